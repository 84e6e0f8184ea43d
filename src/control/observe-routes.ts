/** What happened: the request journal, server-sent scan events, Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CONTROL_TAG, EventsQuery, RequestsClearQuery, RequestsQuery } from '../../schemas/control.js';
import type { ControlDeps } from './deps.js';

const tags = [CONTROL_TAG];
const HEARTBEAT_MS = 15_000;
/** Bytes an event-stream client may leave unread before it is dropped. */
export const SSE_MAX_BUFFERED = 4 * 1024 * 1024;

export function observeRoutes(app: FastifyInstance, { journal, events, replay, progress, clock, metrics }: ControlDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.get('/_emulator/requests', { schema: { tags, summary: 'The request journal, newest first', querystring: RequestsQuery } }, async (request) => ({
    requests: journal.list(request.query),
  }));
  typed.delete('/_emulator/requests', { schema: { tags, summary: 'Empty the request journal, or forget one project\'s calls', querystring: RequestsClearQuery } }, async (request, reply) => {
    journal.clear(request.query.project_id);
    return reply.code(204).send();
  });

  typed.get('/_emulator/metrics', { schema: { tags, summary: 'Prometheus metrics' } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  // Open event streams end when the server closes, so close() does not wait on them.
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  typed.get(
    '/_emulator/events',
    {
      schema: {
        tags,
        summary: 'Server-sent events: every image state change (`scan`) and reset or import (`reset`); Last-Event-ID replays what a reconnecting client missed',
        querystring: EventsQuery,
      },
    },
    async (request, reply) => {
      const head = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': request.id };
      if (request.method === 'HEAD') return reply.headers(head).send();
      const only = request.query.project_id;
      const lastHeader = request.headers['last-event-id'];
      const resumeFrom = request.query.last_event_id ?? (typeof lastHeader === 'string' && /^\d{1,15}$/.test(lastHeader) ? Number(lastHeader) : undefined);
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, { ...head, connection: 'keep-alive' });
      let sent = resumeFrom ?? 0;
      let dropped = false;
      // A client that does not read is dropped once too much waits for it, never buffered without end.
      const send = (id: number | undefined, event: string, data: string) => {
        if (dropped || (id !== undefined && id <= sent)) return;
        if (out.writableLength > SSE_MAX_BUFFERED) {
          dropped = true;
          request.log.warn({ buffered: out.writableLength }, 'event-stream client dropped: it fell too far behind');
          end();
          return;
        }
        if (id !== undefined) sent = id;
        out.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`);
      };
      out.write(': hss-emulator scan events\n\n');
      const unsubscribeScans = events.subscribe((changes) => {
        for (const change of changes) {
          if (only === undefined || change.project_id === only) send(change.id, 'scan', JSON.stringify(change));
        }
      });
      // A reset of every project concerns a stream of one project too.
      const unsubscribeResets = events.subscribeResets((reset) => {
        if (only === undefined || reset.project_id === undefined || reset.project_id === only) send(reset.id, 'reset', JSON.stringify(reset));
      });
      const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
      const end = () => {
        clearInterval(heartbeat);
        unsubscribeScans();
        unsubscribeResets();
        streams.delete(end);
        out.end();
      };
      streams.add(end);
      request.raw.on('close', end);
      if (resumeFrom !== undefined) for (const missed of replay.since(resumeFrom, only)) send(missed.id, missed.event, missed.data);
      // Anything already due is published to this stream too.
      progress.catchUpTo(clock.now());
    },
  );

}
