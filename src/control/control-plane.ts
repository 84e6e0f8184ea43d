/**
 * /_emulator/*: reset, projects, inventory, scripts, state, clock, faults, journal, events,
 * metrics and a dashboard. Never needs cloud credentials; with `admin_token` set, each
 * needs `Authorization: Bearer <admin_token>` or the cookie of a browser login (admin-session.ts). Health (healthPlane) is open, and is served
 * with the control plane off too.
 */
import type { FastifyInstance } from 'fastify';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { controlUnauthorized } from '../errors/catalog.js';
import { parseJsonBodyHook } from '../http/json-body.js';
import type { ControlDeps } from './deps.js';
import { installBrowserGuard } from './browser-guard.js';
import { LOGIN_PATH, holdsAdminToken, loginRoutes } from './admin-session.js';
import { documentRoutes, healthRoute } from './health-routes.js';
import { dashboardFiles } from './dashboard-files.js';
import { worldRoutes } from './world-routes.js';
import { clockRoutes } from './clock-routes.js';
import { faultRoutes } from './fault-routes.js';
import { observeRoutes } from './observe-routes.js';

export function controlPlane(app: FastifyInstance, deps: ControlDeps): void {
  const token = deps.config.admin_token;
  installBrowserGuard(app, { host: deps.config.host, allowedHosts: deps.config.allowed_hosts, adminToken: token !== undefined });
  if (token !== undefined) {
    app.addHook('onRequest', async (request) => {
      if (request.url.split('?')[0] === LOGIN_PATH) return; // it checks the token itself
      if (!holdsAdminToken(request, token)) throw controlUnauthorized();
    });
    loginRoutes(app, token, deps.config.tls_cert !== undefined);
  }
  // bodies are read once the admin token (if any) has been checked
  app.addHook('preValidation', parseJsonBodyHook);
  // Swagger UI over the same OpenAPI document as openapi.yaml
  app.register(fastifySwaggerUi, { routePrefix: '/_emulator/docs' });
  documentRoutes(app);
  dashboardFiles(app);
  worldRoutes(app, deps);
  clockRoutes(app, deps);
  faultRoutes(app, deps);
  observeRoutes(app, deps);
}

/** GET /_emulator/health, in a context of its own: no admin token, but the browser guard. */
export function healthPlane(app: FastifyInstance, deps: Pick<ControlDeps, 'config' | 'clock' | 'admin' | 'startedAt'>): void {
  installBrowserGuard(app, { host: deps.config.host, allowedHosts: deps.config.allowed_hosts, adminToken: false });
  healthRoute(app, deps);
}
