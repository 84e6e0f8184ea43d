/** What happened: the request journal, server-sent scan events, Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CONTROL_TAG, EventsQuery, RequestsQuery } from '../../schemas/control.js';
import type { ControlDeps } from './deps.js';

const tags = [CONTROL_TAG];
const HEARTBEAT_MS = 15_000;

export function observeRoutes(app: FastifyInstance, { journal, events, progress, clock, metrics }: ControlDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.get('/_emulator/requests', { schema: { tags, summary: 'The request journal, newest first', querystring: RequestsQuery } }, async (request) => ({
    requests: journal.list(request.query),
  }));
  typed.delete('/_emulator/requests', { schema: { tags, summary: 'Empty the request journal' } }, async (_request, reply) => {
    journal.clear();
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
    { schema: { tags, summary: 'Server-sent events: every image state change', querystring: EventsQuery } },
    async (request, reply) => {
      const only = request.query.project_id;
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-request-id': request.id,
      });
      out.write(': hss-emulator scan events\n\n');
      let id = 0;
      const unsubscribe = events.subscribe((changes) => {
        for (const change of changes) {
          if (only === undefined || change.project_id === only) out.write(`id: ${++id}\nevent: scan\ndata: ${JSON.stringify(change)}\n\n`);
        }
      });
      const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(end);
        out.end();
      };
      streams.add(end);
      request.raw.on('close', end);
      // Anything already due is published to this stream too.
      progress.atNow(clock.now(), () => undefined);
    },
  );
}
