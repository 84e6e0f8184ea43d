/**
 * /_emulator/*: reset, projects, inventory, scripts, state, clock, faults, journal, events,
 * metrics, health and a dashboard. Never needs cloud credentials; with `admin_token` set,
 * every route but health needs `Authorization: Bearer <admin_token>`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { controlUnauthorized } from '../errors/catalog.js';
import { parseJsonBodyHook } from '../http/json-body.js';
import type { ControlDeps } from './deps.js';
import { installBrowserGuard } from './browser-guard.js';
import { healthRoutes } from './health-routes.js';
import { worldRoutes } from './world-routes.js';
import { clockRoutes } from './clock-routes.js';
import { faultRoutes } from './fault-routes.js';
import { observeRoutes } from './observe-routes.js';

export function controlPlane(app: FastifyInstance, deps: ControlDeps): void {
  const token = deps.config.admin_token;
  installBrowserGuard(app, { host: deps.config.host, allowedHosts: deps.config.allowed_hosts, adminToken: token !== undefined });
  if (token !== undefined) {
    const expected = Buffer.from(`Bearer ${token}`);
    app.addHook('onRequest', async (request) => {
      if (request.url.startsWith('/_emulator/health')) return;
      const sent = Buffer.from(String(request.headers.authorization ?? ''));
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw controlUnauthorized();
    });
  }
  // bodies are read once the admin token (if any) has been checked
  app.addHook('preValidation', parseJsonBodyHook);
  // Swagger UI over the same OpenAPI document as openapi.yaml
  app.register(fastifySwaggerUi, { routePrefix: '/_emulator/docs' });
  healthRoutes(app, deps);
  worldRoutes(app, deps);
  clockRoutes(app, deps);
  faultRoutes(app, deps);
  observeRoutes(app, deps);
}
