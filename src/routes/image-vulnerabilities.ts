/** GET /v5/{project_id}/image/{image_id}/vulnerabilities — ListImageVulnerabilities. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ImageVulnerabilityParams, ListImageVulnerabilitiesQuery, ListImageVulnerabilitiesResponse } from '../../schemas/vulnerabilities.js';
import { CLOUD_SECURITY, RegionHeaders, errorResponses } from '../../schemas/common.js';
import type { InventoryService } from '../services/inventory-service.js';
import { listBody, pageOf } from './paging.js';

export function imageVulnerabilityRoute(app: FastifyInstance, inventory: InventoryService): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v5/:project_id/image/:image_id/vulnerabilities',
    {
      schema: {
        operationId: 'ListImageVulnerabilities',
        summary: "List the vulnerabilities a scan found in an image (image_type=local_image: a local image's last successful scan)",
        tags: ['HSS local images'],
        security: CLOUD_SECURITY,
        params: ImageVulnerabilityParams,
        querystring: ListImageVulnerabilitiesQuery,
        headers: RegionHeaders,
        response: { 200: ListImageVulnerabilitiesResponse, ...errorResponses },
      },
    },
    async ({ scope, params, query, now }) => listBody(inventory.listVulnerabilities(scope, params.image_id, query, pageOf(query), now)),
  );
}
