/**
 * The only body parser: JSON, kept byte for byte beside the parsed value (AK/SK signatures
 * hash the raw bytes). A parse failure is held until the caller is authenticated, as the
 * real API gateway checks credentials before the service reads the body.
 */
import type { FastifyInstance } from 'fastify';
import { unparsableRequest } from './errors.js';

export const BODY_LIMIT = 12 * 1024 * 1024;

export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch (err) {
      request.bodyError = unparsableRequest(`malformed JSON (${(err as Error).message})`);
      done(null, undefined);
    }
  });
}
