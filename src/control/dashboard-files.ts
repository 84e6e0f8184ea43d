/**
 * The dashboard at /_emulator/ui: static files from the package's ui/ folder (HTML, CSS and
 * ES modules, no build step), served with a Content-Security-Policy that lets the page load
 * only its own files and call only this server — no inline script, no other origin.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { CONTROL_TAG } from '../../schemas/control.js';
import { PACKAGE_ROOT } from '../package-info.js';

export const DASHBOARD_ROOT = join(PACKAGE_ROOT, 'ui');

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };

export function dashboardFiles(app: FastifyInstance): void {
  app.register(fastifyStatic, {
    root: DASHBOARD_ROOT,
    prefix: '/_emulator/ui/',
    index: 'index.html',
    setHeaders: (reply) => void reply.headers(PAGE_HEADERS),
  });
  app.get('/_emulator/ui', { schema: { tags: [CONTROL_TAG], summary: 'The dashboard (a web page; its files are under /_emulator/ui/)' } }, (_request, reply) =>
    reply.headers(PAGE_HEADERS).sendFile('index.html'),
  );
}
