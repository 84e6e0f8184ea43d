/** What a cloud call is: its SDK operation name and the project its path names. */
import type { FastifyRequest } from 'fastify';
import { CLOUD_OPERATIONS, type CloudOperation } from '../../schemas/operations.js';

/** The SDK operation name of the route a request matched (its OpenAPI operationId), if any. */
export function operationOf(request: FastifyRequest): CloudOperation | undefined {
  // worked out once per request: request.routeOptions builds a new object at every read, and
  // the gateway, faults, metrics, the journal and the request log all ask
  if (request.cloudOperation === null) {
    const id = (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId;
    request.cloudOperation = (CLOUD_OPERATIONS as readonly string[]).includes(id ?? '') ? (id as CloudOperation) : '';
  }
  return request.cloudOperation || undefined;
}

/** The project a cloud call's path names (/v5/{project_id}/…), if it names one. */
export function projectOf(request: FastifyRequest): string | undefined {
  const { project_id: projectId } = request.params as { project_id?: unknown };
  return typeof projectId === 'string' ? projectId : undefined;
}
