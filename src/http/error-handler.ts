/**
 * Every error leaves in the real service's envelope — {error_code, error_msg, request_id}
 * for HSS and the gateway, Keystone's {error: {code, message, title}} on IAM routes. Client
 * mistakes keep their 4xx; anything unexpected is logged and answered with a generic 500
 * that reveals nothing.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomRequestId } from './request-context.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  HssError,
  apiNotFound,
  methodNotFound,
  entityTooLarge,
  internalError,
  invalidParameter,
  unparsableRequest,
  uriTooLarge,
} from '../errors/catalog.js';

export type ErrorBodyFormat = (error: HssError, requestId: string) => unknown;

export const hssEnvelope: ErrorBodyFormat = (error, requestId) => ({
  error_code: error.errorCode,
  error_msg: error.message,
  request_id: requestId,
});

export const keystoneEnvelope: ErrorBodyFormat = (error) => ({
  error: { code: error.statusCode, message: error.message, title: STATUS_CODES[error.statusCode] ?? 'Error' },
});

/**
 * Unknown routes: the gateway's 404, with its "does not exist" text for a path that exists
 * under another method. Every route's path is collected as it is added.
 */
export function installNotFound(app: FastifyInstance): void {
  const knownPaths: RegExp[] = [];
  app.addHook('onRoute', (route) => {
    const pattern = route.url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    knownPaths.push(new RegExp(`^${pattern}/?$`));
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const otherMethod = knownPaths.some((known) => known.test(path));
    return sendError(reply, otherMethod ? methodNotFound() : apiNotFound(), request.id);
  });
}

/** Sets the error handler of `app` (a plugin scope inherits it) to answer in `format`. */
export function installErrorHandling(app: FastifyInstance, format: ErrorBodyFormat = hssEnvelope): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const hss = toHssError(error);
    if (hss.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(reply, hss, request.id, format);
  });
}

export function toHssError(error: FastifyError): HssError {
  if (error instanceof HssError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return entityTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unparsableRequest('Content-Type must be application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return unparsableRequest('the body is not valid JSON');
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return entityTooLarge();
  if (status >= 400 && status < 500) return unparsableRequest(error.message);
  return internalError();
}

/**
 * For errors the router raises before any hook runs (a malformed or over-long URL): the
 * same envelope and X-Request-Id as everything else.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const hss = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? uriTooLarge() : invalidParameter('the URL is malformed');
  void sendError(reply.header('X-Request-Id', request.id), hss, request.id);
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a bad method token, a NUL
 * in a header, a duplicate Content-Length, headers over the size limit): answered on the
 * socket in the same envelope, with an X-Request-Id, and the connection closed.
 * EMULATOR: the gateway's own answer to such requests is not published.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const hss =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new HssError(431, 'APIGW.0201', 'Request header fields too large.')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new HssError(408, 'APIGW.0201', 'Request timeout.')
        : new HssError(400, 'APIGW.0201', 'Bad request: the HTTP request is malformed.');
  const requestId = randomRequestId();
  const body = JSON.stringify(hssEnvelope(hss, requestId));
  socket.end(
    [
      `HTTP/1.1 ${hss.statusCode} ${STATUS_CODES[hss.statusCode] ?? 'Error'}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}

const answered = new WeakMap<FastifyRequest, HssError>();

/** The error a request was answered with, if any (for its log line). */
export function errorOf(request: FastifyRequest): HssError | undefined {
  return answered.get(request);
}

export function sendError(reply: FastifyReply, error: HssError, requestId: string, format: ErrorBodyFormat = hssEnvelope) {
  answered.set(reply.request, error);
  return reply.code(error.statusCode).send(format(error, requestId));
}
