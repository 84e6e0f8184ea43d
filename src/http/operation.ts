/** The SDK operation name of the route a request matched (its OpenAPI operationId), if any. */
import type { FastifyRequest } from 'fastify';

export const CLOUD_OPERATIONS = [
  'BatchScanLocalImage',
  'ListImageLocal',
  'ListLocalImageHosts',
  'ListLocalImageContainers',
  'ListLocalImageAppInfo',
  'KeystoneCreateUserTokenByPassword',
  'KeystoneListProjects',
  'KeystoneListAuthDomains',
  'KeystoneListRegions',
] as const;
export type CloudOperation = (typeof CLOUD_OPERATIONS)[number];

export function operationOf(request: FastifyRequest): CloudOperation | undefined {
  const id = (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId;
  return (CLOUD_OPERATIONS as readonly string[]).includes(id ?? '') ? (id as CloudOperation) : undefined;
}
