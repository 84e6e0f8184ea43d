/**
 * GET /_emulator/health — served even with the control plane off, and without the admin
 * token, for container health checks — plus the OpenAPI document (the dashboard: dashboard-files.ts).
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { CONTROL_TAG } from '../../schemas/control.js';
import { VERSION } from '../package-info.js';
import type { ControlDeps } from './deps.js';

const Health = Type.Object({
  status: Type.String(),
  version: Type.String(),
  uptime_ms: Type.Integer(),
  clock: Type.Object({ mode: Type.String(), now: Type.Integer() }),
  images: Type.Integer(),
});

export function healthRoute(app: FastifyInstance, { clock, admin, startedAt }: Pick<ControlDeps, 'clock' | 'admin' | 'startedAt'>): void {
  app.get(
    '/_emulator/health',
    { schema: { tags: [CONTROL_TAG], summary: 'Ready: version, uptime, clock, inventory size', response: { 200: Health } } },
    async () => ({
      status: 'ok',
      version: VERSION,
      uptime_ms: Math.round(performance.now() - startedAt),
      clock: { mode: clock.mode, now: clock.now() },
      images: admin.imageCount(),
    }),
  );
}

export function documentRoutes(app: FastifyInstance): void {
  app.get('/_emulator/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
