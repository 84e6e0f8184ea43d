/** The SDK operation name of the route a request matched (its OpenAPI operationId), if any. */
import type { FastifyRequest } from 'fastify';
import { CLOUD_OPERATIONS, type CloudOperation } from '../../schemas/operations.js';

export function operationOf(request: FastifyRequest): CloudOperation | undefined {
  const id = (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId;
  return (CLOUD_OPERATIONS as readonly string[]).includes(id ?? '') ? (id as CloudOperation) : undefined;
}
