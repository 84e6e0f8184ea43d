/**
 * The gateway in front of every cloud route: authenticate (before the body is even looked
 * at, as the API gateway does), then resolve the project and enterprise-project scope once
 * the query is validated. Routes only read `request.scope`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessPolicy } from '../auth/access-policy.js';
import type { Authenticator } from '../auth/principal.js';
import { parseJsonBody } from './json-body.js';
import { operationOf } from './operation.js';
import type { Throttle } from './throttle.js';

interface CloudRequestParts {
  params: { project_id?: string };
  query: { enterprise_project_id?: string };
}

/**
 * What the gateway does before any route runs: authenticate, apply flow control to the
 * caller, then let the body be parsed.
 */
export function installGatewayAuth(app: FastifyInstance, authenticator: Authenticator, throttle: Throttle): void {
  // callback hooks, not async ones: no promise per request (an error goes to `done`)
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      const { params } = request as unknown as CloudRequestParts;
      const principal = authenticator.authenticate({
        method: request.method,
        rawUrl: request.url,
        headers: request.headers,
        body: request.rawBody,
        projectId: params.project_id ?? '',
        now: request.now,
        debug: (details, message) => request.log.debug(details, message),
      });
      throttle.admit(principal.user, operationOf(request) ?? request.routeOptions.url ?? '');
      request.principal = principal;
      parseJsonBody(request);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  });
}

/** Whether the matched route defines a `region` header (batch-scan, hosts, containers do; the others ignore one). */
function declaresRegion(request: FastifyRequest): boolean {
  const headers = (request.routeOptions.schema as { headers?: { properties?: Record<string, unknown> } } | undefined)?.headers;
  return headers?.properties?.['region'] !== undefined;
}

export function installCloudAuth(app: FastifyInstance, authenticator: Authenticator, throttle: Throttle, access: AccessPolicy): void {
  installGatewayAuth(app, authenticator, throttle);
  app.addHook('preHandler', (request, _reply, done) => {
    const { params, query } = request as unknown as CloudRequestParts;
    const region = declaresRegion(request) ? request.headers['region'] : undefined;
    try {
      request.scope = access.scopeFor(request.principal!, params.project_id ?? '', query.enterprise_project_id, typeof region === 'string' ? region : undefined);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  });
}
