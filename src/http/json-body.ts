/**
 * The only body parser: JSON, kept byte for byte (AK/SK signatures hash the raw bytes) and
 * parsed only once the caller has passed its checks — credentials on cloud routes, as the
 * real API gateway checks them before the service reads the body — so what a request
 * costs before authentication never depends on what its body holds. A body that is not
 * JSON is 400 HSS.0002 from here, on every route, and never quoted back.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { entityTooLarge, unparsableRequest } from '../errors/catalog.js';

export const BODY_LIMIT = 12 * 1024 * 1024;

const BODILESS = new Set(['GET', 'HEAD']);

export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, undefined);
  });
  // Fastify leaves a GET's body unread, but the SDKs send `{}` with every GET and sign its
  // hash: keep those bytes (within the same limit) so the signature is checked over them.
  // (a callback hook: most requests have nothing to read, and an async hook costs a promise each)
  app.addHook('onRequest', (request, _reply, done) => {
    const { headers } = request.raw;
    const hasBody = headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
    if (!BODILESS.has(request.method) || !hasBody) return done();
    readAll(request.raw, BODY_LIMIT).then((body) => {
      request.rawBody = body;
      done();
    }, done);
  });
}

function readAll(stream: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.off('data', onData);
        stream.resume(); // drain the rest without keeping it
        reject(entityTooLarge());
      } else chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/** Parses the raw body into request.body (once); an empty body, or a GET's, stays undefined. */
export function parseJsonBody(request: FastifyRequest): void {
  const raw = request.rawBody;
  if (raw === undefined || raw.length === 0 || request.body !== undefined || BODILESS.has(request.method)) return;
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
