/** GET /v5/{project_id}/image/local-repositories — ListImageLocal. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ListImageLocalQuery, ListImageLocalResponse } from '../../schemas/local-images.js';
import { CLOUD_SECURITY, ProjectParams, errorResponses } from '../../schemas/common.js';
import type { InventoryService } from '../services/inventory-service.js';
import { pageOf, listBody } from './paging.js';

export function localImagesRoute(app: FastifyInstance, inventory: InventoryService): void {
  // A listing is reused until the inventory's next write (see InventoryService): so are its bytes.
  // It holds exactly the schema's fields, so JSON.stringify writes what the schema would.
  const serialized = new WeakMap<object, string>();
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
    async (request, reply) => {
      const listing = inventory.listImages(request.scope, request.query, pageOf(request.query), request.now);
      let body = serialized.get(listing);
      if (body === undefined) serialized.set(listing, (body = JSON.stringify(listBody(listing))));
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
  );
}
