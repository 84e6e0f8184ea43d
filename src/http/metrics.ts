/** Prometheus metrics: requests by operation and status, their latency, scans by outcome. */
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { SCAN_OUTCOMES } from '../domain/scan-lifecycle.js';
import type { ScanEvents } from '../services/scan-events.js';
import { operationOf } from './operation.js';

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'hss_emulator_requests_total',
    help: 'Cloud API requests by operation and HTTP status',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'hss_emulator_request_duration_seconds',
    help: 'Cloud API request latency by operation',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly scans = new Counter({
    name: 'hss_emulator_scans_total',
    help: 'Finished scans by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
}

export function installMetrics(app: FastifyInstance, metrics: Metrics, events: ScanEvents): void {
  const outcomes = new Set<string>(SCAN_OUTCOMES);
  const unsubscribe = events.subscribe((changes) => {
    for (const change of changes) if (outcomes.has(change.to)) metrics.scans.inc({ outcome: change.to }, change.count ?? 1);
  });
  app.addHook('onClose', async () => unsubscribe());
  // a callback hook: every request passes here, and an async one costs a promise each
  app.addHook('onResponse', (request, reply, done) => {
    const operation = operationOf(request);
    if (operation) {
      metrics.requests.inc({ operation, status: String(reply.statusCode) });
      metrics.latency.observe({ operation }, reply.elapsedTime / 1000);
    }
    done();
  });
}
