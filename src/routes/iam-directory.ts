/**
 * GET /v3/projects, /v3/auth/domains and /v3/regions — KeystoneListProjects,
 * KeystoneListAuthDomains, KeystoneListRegions: the IAM look-ups an official SDK makes before
 * its first call when the credentials carry no project id (or domain id). Signed with AK/SK or
 * carrying a token, checked by the same gateway as the HSS routes.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IamErrorBody, ListDomainsBody, ListProjectsBody, ListProjectsQuery, ListRegionsBody } from '../../schemas/iam.js';
import { CLOUD_SECURITY, ErrorBody, ref } from '../../schemas/common.js';
import type { Authenticator } from '../auth/principal.js';
import type { IamDirectory } from '../services/iam-directory.js';
import { hssEnvelope, installErrorHandling, keystoneEnvelope } from '../http/error-handler.js';
import { installGatewayAuth } from '../http/cloud-auth.js';
import type { Throttle } from '../http/throttle.js';

const common = { tags: ['IAM'], security: CLOUD_SECURITY };
const errors = { 400: ref(IamErrorBody), 401: ref(ErrorBody), 403: ref(ErrorBody), 429: ref(ErrorBody), 500: ref(IamErrorBody) };

export function iamDirectoryRoutes(app: FastifyInstance, directory: IamDirectory, authenticator: Authenticator, throttle: Throttle): void {
  // The gateway's refusals keep its envelope; IAM's own errors are Keystone's.
  installErrorHandling(app, (error, requestId) => (error.errorCode.startsWith('APIGW.') ? hssEnvelope : keystoneEnvelope)(error, requestId));
  installGatewayAuth(app, authenticator, throttle);
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const endpoint = (request: { protocol: string; host: string }) => `${request.protocol}://${request.host}`;

  typed.get(
    '/v3/projects',
    {
      schema: {
        ...common,
        operationId: 'KeystoneListProjects',
        summary: "List the projects the caller's user holds (a project's name is its region)",
        querystring: ListProjectsQuery,
        response: { 200: ListProjectsBody, ...errors },
      },
    },
    async (request) => directory.listProjects(request.principal!, request.query, endpoint(request), `${endpoint(request)}${request.url}`),
  );

  typed.get(
    '/v3/auth/domains',
    {
      schema: {
        ...common,
        operationId: 'KeystoneListAuthDomains',
        summary: "List the caller's account (domain)",
        response: { 200: ListDomainsBody, ...errors },
      },
    },
    async (request) => directory.listDomains(endpoint(request)),
  );

  typed.get(
    '/v3/regions',
    {
      schema: {
        ...common,
        operationId: 'KeystoneListRegions',
        summary: "List the regions of the account's projects",
        response: { 200: ListRegionsBody, ...errors },
      },
    },
    async (request) => directory.listRegions(endpoint(request)),
  );
}
