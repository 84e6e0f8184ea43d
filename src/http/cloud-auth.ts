/**
 * The gateway in front of every cloud route: authenticate (before the body is even looked
 * at, as the API gateway does), then resolve the project and enterprise-project scope once
 * the query is validated. Routes only read `request.scope`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessPolicy } from '../auth/access-policy.js';
import type { Authenticator } from '../auth/principal.js';
import { parseJsonBody } from './json-body.js';

interface CloudRequestParts {
  params: { project_id?: string };
  query: { enterprise_project_id?: string };
}

export function installCloudAuth(app: FastifyInstance, authenticator: Authenticator, access: AccessPolicy): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const { params } = request as unknown as CloudRequestParts;
    request.principal = authenticator.authenticate({
      method: request.method,
      rawUrl: request.url,
      headers: request.headers,
      body: request.rawBody,
      projectId: params.project_id ?? '',
      now: request.now,
      debug: (details, message) => request.log.debug(details, message),
    });
    parseJsonBody(request);
  });
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const { params, query } = request as unknown as CloudRequestParts;
    const region = request.headers['region'];
    request.scope = access.scopeFor(
      request.principal!,
      params.project_id ?? '',
      query.enterprise_project_id,
      typeof region === 'string' ? region : undefined,
    );
  });
}
