/** POST /v5/{project_id}/image/local/batch-scan — BatchScanLocalImage. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BatchScanBody, BatchScanQuery, BatchScanResponse } from '../../schemas/batch-scan.js';
import { CLOUD_SECURITY, ProjectParams, RegionHeaders, errorResponses } from '../../schemas/common.js';
import type { ScanService } from '../services/scan-service.js';
import { noteMatchedImages } from '../http/journal.js';

export function batchScanRoute(app: FastifyInstance, scans: ScanService): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v5/:project_id/image/local/batch-scan',
    {
      schema: {
        operationId: 'BatchScanLocalImage',
        summary: 'Scan local images',
        tags: ['HSS local images'],
        security: CLOUD_SECURITY,
        params: ProjectParams,
        querystring: BatchScanQuery,
        headers: RegionHeaders,
        body: BatchScanBody,
        response: { 200: BatchScanResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { started, images } = scans.batchScan(request.scope, request.body, request.now);
      // EMULATOR: tells how many scans the request started; the real service says nothing.
      reply.header('X-Emulator-Matched', String(started));
      noteMatchedImages(request, images);
      return {};
    },
  );
}
