/**
 * What every request carries from its first moment: one request id (echoed back as
 * X-Request-Id) and one instant from the injected clock, so a request sees one "now"
 * throughout.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
// Brings in the OpenAPI fields of route schemas (tags, summary, operationId).
import type {} from '@fastify/swagger';
import type { Clock } from '../clock/clock.js';
import type { Principal } from '../auth/principal.js';
import type { Scope } from '../domain/listing.js';
import type { CloudOperation } from '../../schemas/operations.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the request's instant, ms since the epoch */
    now: number;
    /** the body bytes exactly as received (JSON bodies only) */
    rawBody: Buffer | undefined;
    principal: Principal | undefined;
    /**
     * The project and enterprise projects a cloud request reaches, set by the gateway before
     * any cloud handler runs; reading it anywhere else is a programming error and throws.
     */
    scope: Scope;
    /** the cloud operation the route serves ('' for none), once operationOf has worked it out; null before */
    cloudOperation: CloudOperation | '' | null;
  }
}

const REQUEST_ID = /^[0-9a-f]{32}$/;

// Random bytes drawn 4 KiB at a time: one system call per 256 request ids, not one each.
let pool = Buffer.alloc(0);
let used = 0;

export function randomRequestId(): string {
  if (used + 16 > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  used += 16;
  return pool.toString('hex', used - 16, used);
}

/** Keeps a well-formed X-Request-Id the client sent; otherwise makes a new one. */
export function requestIdGenerator(newId: () => string) {
  return (req: IncomingMessage): string => {
    const sent = req.headers['x-request-id'];
    return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : newId();
  };
}

export function installRequestContext(app: FastifyInstance, clock: Clock): void {
  app.decorateRequest('now', 0);
  app.decorateRequest('rawBody', undefined);
  app.decorateRequest('principal', undefined);
  app.decorateRequest('cloudOperation', null);
  const resolved = new WeakMap<object, Scope>();
  app.decorateRequest('scope', {
    getter(this: object): Scope {
      const scope = resolved.get(this);
      if (!scope) throw new Error('request.scope is read on a route the cloud gateway does not guard');
      return scope;
    },
    setter(this: object, scope: Scope) {
      resolved.set(this, scope);
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    request.now = clock.now();
    reply.header('X-Request-Id', request.id);
    done();
  });
}
