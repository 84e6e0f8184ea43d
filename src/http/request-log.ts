/**
 * One log line per request, once it is answered, instead of Fastify's two generic ones:
 * the operation (or method and route), status, error code and — for a failed authentication
 * — which check failed, the duration, the project and the request id. Health checks log at
 * debug, like scan transitions. URLs go through the same redaction as everything else.
 */
import type { FastifyInstance } from 'fastify';
import { redactUrl } from '../auth/redaction.js';
import { errorOf } from './error-handler.js';
import { operationOf, projectOf } from './operation.js';
import type { ScanEvents } from '../services/scan-events.js';

export function installRequestLog(app: FastifyInstance, events: ScanEvents): void {
  app.addHook('onResponse', async (request, reply) => {
    const operation = operationOf(request);
    const error = errorOf(request);
    const what = operation ?? `${request.method} ${request.routeOptions.url ?? (request.url.split('?')[0] ?? '')}`;
    const fields = {
      ...(operation ? { operation } : {}),
      status: reply.statusCode,
      ...(error ? { error_code: error.errorCode, ...(error.reason ? { reason: error.reason } : {}) } : {}),
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      ...(projectOf(request) ? { project_id: projectOf(request) } : {}),
      method: request.method,
      url: redactUrl(request.url),
    };
    const message = `${what} ${reply.statusCode}${error ? ` ${error.errorCode}` : ''}${error?.reason ? `: ${error.reason}` : ''}`;
    if (request.url.startsWith('/_emulator/health')) request.log.debug(fields, message);
    else request.log.info(fields, message);
  });

  const unsubscribe = events.subscribe((changes) => {
    if (app.log.level !== 'debug' && app.log.level !== 'trace') return;
    for (const change of changes) {
      app.log.debug({ scan: change }, `scan ${change.count === undefined ? change.image_id : `of ${change.count} images`} ${change.from} → ${change.to}`);
    }
  });
  app.addHook('onClose', async () => unsubscribe());
}
