/**
 * One log line per request, once it is answered, instead of Fastify's two generic ones:
 * the operation (or method and route), status, error code and — for a failed authentication
 * — which check failed, the duration, the project and the request id. Health checks log at
 * debug, like scan transitions. URLs go through the same redaction as everything else.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redactUrl } from '../auth/redaction.js';
import { errorOf } from './error-handler.js';
import { operationOf, projectOf } from './operation.js';
import type { ScanEvents } from '../services/scan-events.js';

/** pino's numbers for the levels this file logs at, and for the configured one. */
const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

export function installRequestLog(app: FastifyInstance, events: ScanEvents): void {
  // the configured level is fixed for the app's life: decide once what gets logged at all
  const threshold = LEVELS[app.log.level] ?? Infinity;
  const logsRequests = threshold <= LEVELS.info!;
  const logsDebug = threshold <= LEVELS.debug!;
  if (!logsRequests) return; // at warn and above nothing here logs: no hook at all
  app.addHook('onResponse', (request, reply, done) => {
    const health = request.url.startsWith('/_emulator/health');
    if (health ? logsDebug : logsRequests) write(request, reply, health);
    done();
  });

  function write(request: FastifyRequest, reply: FastifyReply, health: boolean): void {
    const operation = operationOf(request);
    const projectId = projectOf(request);
    const error = errorOf(request);
    const what = operation ?? `${request.method} ${request.routeOptions.url ?? (request.url.split('?')[0] ?? '')}`;
    const fields = {
      ...(operation ? { operation } : {}),
      status: reply.statusCode,
      ...(error ? { error_code: error.errorCode, ...(error.reason ? { reason: error.reason } : {}) } : {}),
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      ...(projectId ? { project_id: projectId } : {}),
      method: request.method,
      url: redactUrl(request.url),
    };
    const message = `${what} ${reply.statusCode}${error ? ` ${error.errorCode}` : ''}${error?.reason ? `: ${error.reason}` : ''}`;
    if (health) request.log.debug(fields, message);
    else request.log.info(fields, message);
  }

  if (!logsDebug) return;
  const unsubscribe = events.subscribe((changes) => {
    for (const change of changes) {
      app.log.debug({ scan: change }, `scan ${change.count === undefined ? change.image_id : `of ${change.count} images`} ${change.from} → ${change.to}`);
    }
  });
  app.addHook('onClose', async () => unsubscribe());
}
