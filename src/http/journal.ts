/**
 * The request journal: the newest cloud requests (not control-plane ones), for tests that
 * assert which calls their code made. Bounded; credentials never recorded.
 */
import type { FastifyInstance } from 'fastify';
import { operationOf, type CloudOperation } from './operation.js';

export interface JournalEntry {
  id: number;
  /** emulated ms when the request arrived */
  at: number;
  request_id: string;
  operation: CloudOperation;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
  /** batch-scan only: how many scans the request started */
  matched: number | null;
  duration_ms: number;
}

export interface JournalFilter {
  operation?: string;
  status?: number;
  limit?: number;
}

const SECRET_KEY = /pass(word)?|secret|^sk$|token|authorization|signature/i;

/** A deep copy with every value under a secret-sounding key replaced. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

export class Journal {
  readonly #entries: JournalEntry[] = [];
  #nextId = 1;

  constructor(private readonly capacity: number) {}

  record(entry: Omit<JournalEntry, 'id'>): void {
    if (this.capacity === 0) return;
    this.#entries.push({ id: this.#nextId++, ...entry });
    if (this.#entries.length > this.capacity) this.#entries.shift();
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const matching = this.#entries.filter(
      (e) => (filter.operation === undefined || e.operation === filter.operation) && (filter.status === undefined || e.status === filter.status),
    );
    return matching.reverse().slice(0, filter.limit ?? matching.length);
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

export function installJournal(app: FastifyInstance, journal: Journal): void {
  app.addHook('onResponse', async (request, reply) => {
    const operation = operationOf(request);
    if (!operation) return;
    const matched = reply.getHeader('x-emulator-matched');
    journal.record({
      at: request.now,
      request_id: request.id,
      operation,
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      query: redact({ ...(request.query as object) }) as Record<string, unknown>,
      body: redact(request.body ?? null),
      status: reply.statusCode,
      matched: matched === undefined ? null : Number(matched),
      duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
    });
  });
}
