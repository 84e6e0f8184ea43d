/**
 * The only body parser: JSON, kept byte for byte (AK/SK signatures hash the raw bytes) and
 * parsed only once the caller has passed its checks — credentials on cloud routes, as the
 * real API gateway checks them before the service reads the body — so what a request
 * costs before authentication never depends on what its body holds. A body that is not
 * JSON is 400 HSS.0002 from here, on every route, and never quoted back.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unparsableRequest } from './errors.js';

export const BODY_LIMIT = 12 * 1024 * 1024;

export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, undefined);
  });
}

/** Parses the raw body into request.body (once); an empty body stays undefined. */
export function parseJsonBody(request: FastifyRequest): void {
  const raw = request.rawBody;
  if (raw === undefined || raw.length === 0 || request.body !== undefined) return;
  try {
    request.body = JSON.parse(raw.toString('utf8'));
  } catch {
    // The parser's own message quotes the body, which may hold a password: say only where.
    throw unparsableRequest('the body is not valid JSON');
  }
}

/** A preValidation hook for scopes whose callers need no credentials checked first. */
export async function parseJsonBodyHook(request: FastifyRequest): Promise<void> {
  parseJsonBody(request);
}
