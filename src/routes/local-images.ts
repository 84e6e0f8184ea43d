/** GET /v5/{project_id}/image/local-repositories — ListImageLocal. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ListImageLocalQuery, ListImageLocalResponse } from '../../schemas/local-images.js';
import { CLOUD_SECURITY, ProjectParams, errorResponses } from '../../schemas/common.js';
import type { InventoryService } from '../services/inventory-service.js';
import { pageOf, listBody } from './paging.js';

export function localImagesRoute(app: FastifyInstance, inventory: InventoryService): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v5/:project_id/image/local-repositories',
    {
      schema: {
        operationId: 'ListImageLocal',
        summary: 'List local images',
        tags: ['HSS local images'],
        security: CLOUD_SECURITY,
        params: ProjectParams,
        querystring: ListImageLocalQuery,
        response: { 200: ListImageLocalResponse, ...errorResponses },
      },
    },
    async (request) => listBody(inventory.listImages(request.scope!, request.query, pageOf(request.query), request.now)),
  );
}
