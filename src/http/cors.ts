/**
 * CORS for web front ends developed against the emulator (`--cors-origin`): off unless
 * origins are configured. Preflights are answered for every route, reflecting the headers
 * the page asks for (X-Auth-Token, X-Sdk-Date, Authorization, ...), and a page may read the
 * headers a client needs: the token of a login, the request id.
 */
import type { FastifyInstance } from 'fastify';
import fastifyCors from '@fastify/cors';

export const CORS_EXPOSED_HEADERS = ['X-Subject-Token', 'X-Request-Id', 'X-Emulator-Matched'];

export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  app.register(fastifyCors, {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
}
