/**
 * The request journal: the newest cloud requests (not control-plane ones), for tests that
 * assert which calls their code made. Bounded twice — by entries (journal_size) and by bytes
 * in total — and each body is cut at a per-entry cap with a marker, so no client can make
 * it hold more. Credentials are never recorded; a body that was never parsed (the caller
 * failed authentication, or it is not JSON) is recorded by its size only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { operationOf, projectOf } from './operation.js';
import type { CloudOperation } from '../../schemas/operations.js';
import { redact, redactedJson } from '../auth/redaction.js';

export interface JournalEntry {
  id: number;
  /** emulated ms when the request arrived */
  at: number;
  request_id: string;
  operation: CloudOperation;
  /** the project the path names; null for IAM calls */
  project_id: string | null;
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** the JSON body, or a string ending in "…[truncated: N bytes]" beyond the per-entry cap */
  body: unknown;
  status: number;
  /** batch-scan only: how many scans the request started */
  matched: number | null;
  /** batch-scan only: the ids of the first images it started scans of (at most 50), in list order */
  matched_images: string[] | null;
  /** the answer's error code (error_code, or IAM's error.code), when it is an error */
  error_code: string | null;
  /** the answer's body: JSON, or a string ending in "…[truncated: N bytes]" beyond the per-entry cap */
  response: unknown;
  duration_ms: number;
}

/** An entry as kept: the answer as the text sent, read as JSON only when the journal is read. */
interface StoredEntry extends Omit<JournalEntry, 'response'> {
  responseText: string;
}

export interface JournalFilter {
  project_id?: string;
  operation?: string;
  status?: number;
  limit?: number;
}

/** Characters of one body the journal keeps; beyond it the body is cut with a marker. */
export const JOURNAL_BODY_CAP = 16 * 1024;
/** Bytes (about) all entries together may hold; the oldest go first. */
export const JOURNAL_BYTE_BUDGET = 32 * 1024 * 1024;
/** What an entry costs besides its body and query. */
const ENTRY_OVERHEAD = 256;

export class Journal {
  readonly #entries: { entry: StoredEntry; bytes: number }[] = [];
  #bytes = 0;
  #nextId = 1;

  constructor(
    private readonly capacity: number,
    private readonly byteBudget = JOURNAL_BYTE_BUDGET,
  ) {}

  record(entry: Omit<StoredEntry, 'id'>, bytes: number): void {
    if (this.capacity === 0) return;
    this.#entries.push({ entry: { id: this.#nextId++, ...entry }, bytes });
    this.#bytes += bytes;
    while (this.#entries.length > this.capacity || (this.#bytes > this.byteBudget && this.#entries.length > 1)) {
      this.#bytes -= this.#entries.shift()!.bytes;
    }
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const matching = this.#entries
      .map((e) => e.entry)
      .filter(
        (e) =>
          (filter.project_id === undefined || e.project_id === filter.project_id) &&
          (filter.operation === undefined || e.operation === filter.operation) &&
          (filter.status === undefined || e.status === filter.status),
      );
    return matching
      .reverse()
      .slice(0, filter.limit ?? matching.length)
      .map(({ responseText, ...entry }) => ({ ...entry, response: responseBody(responseText) }));
  }

  /** The bytes the entries hold now, about. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Forgets every entry, or one project's. */
  clear(projectId?: string): void {
    if (projectId === undefined) {
      this.#entries.length = 0;
      this.#bytes = 0;
      return;
    }
    // in place (a million entries must not be spread into a call's arguments)
    let kept = 0;
    for (const e of this.#entries) if (e.entry.project_id !== projectId) this.#entries[kept++] = e;
    this.#entries.length = kept;
    this.#bytes = this.#entries.reduce((sum, e) => sum + e.bytes, 0);
  }
}

/** The body as the journal keeps it, and what that costs. */
function journalBody(request: FastifyRequest): { body: unknown; bytes: number } {
  const raw = request.rawBody;
  if (request.body === undefined) {
    if (raw === undefined || raw.length === 0) return { body: null, bytes: 4 };
    const note = `[not parsed: ${raw.length} bytes]`;
    return { body: note, bytes: note.length };
  }
  const { text, truncated } = redactedJson(request.body, JOURNAL_BODY_CAP);
  if (!truncated) return { body: JSON.parse(text) as unknown, bytes: text.length };
  const cut = `${text}…[truncated: ${raw?.length ?? '?'} bytes]`;
  return { body: cut, bytes: cut.length };
}

/** The answer as the journal shows it: JSON when it was JSON and whole (secret-named fields redacted, as in bodies), else the text kept. */
function responseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return redact(JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}

/** The answer's text as kept: whole up to the cap, else its start (a copy) and a marker. */
function keptResponse(payload: string): string {
  if (payload.length <= JOURNAL_BODY_CAP) return payload;
  // a copy, not a slice: V8 keeps a slice's whole parent string alive
  return `${Buffer.from(payload.slice(0, JOURNAL_BODY_CAP)).toString()}…[truncated: ${Buffer.byteLength(payload)} bytes]`;
}

/** The error code of an error answer: HSS's error_code, or IAM's error.code. */
function errorCodeOf(status: number, text: string): string | null {
  if (status < 400 || text === '' || text.length > JOURNAL_BODY_CAP) return null;
  try {
    const body = JSON.parse(text) as { error_code?: unknown; error?: { code?: unknown } };
    const code = body.error_code ?? body.error?.code;
    return code === undefined || code === null ? null : String(code);
  } catch {
    return null;
  }
}

/** What a batch-scan started, as its route reports it for the journal. */
const matchedImages = new WeakMap<FastifyRequest, string[]>();

/** A batch-scan's route names the images it started scans of (the first of them). */
export function noteMatchedImages(request: FastifyRequest, imageIds: string[]): void {
  matchedImages.set(request, imageIds);
}

export function installJournal(app: FastifyInstance, journal: Journal): void {
  const answers = new WeakMap<FastifyRequest, string>();
  // callback hooks: every request passes here, and an async one costs a promise each
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (typeof payload === 'string' && operationOf(request)) answers.set(request, payload);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const operation = operationOf(request);
    if (operation) record(request, reply, operation);
    done();
  });

  function record(request: FastifyRequest, reply: FastifyReply, operation: CloudOperation): void {
    const matched = reply.getHeader('x-emulator-matched');
    const { body, bytes } = journalBody(request);
    const answer = answers.get(request) ?? '';
    const responseText = keptResponse(answer);
    const images = matchedImages.get(request) ?? null;
    // a copy, secret-named parameters redacted
    const query = redact(request.query ?? {}) as Record<string, unknown>;
    const mark = request.url.indexOf('?');
    const path = mark < 0 ? request.url : request.url.slice(0, mark);
    journal.record(
      {
        at: request.now,
        request_id: request.id,
        operation,
        project_id: projectOf(request) ?? null,
        method: request.method,
        path,
        query,
        body,
        status: reply.statusCode,
        matched: matched === undefined ? null : Number(matched),
        matched_images: images,
        error_code: errorCodeOf(reply.statusCode, answer),
        responseText,
        duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
      },
      // the path and the query as the URL carries them (their JSON is about as long)
      bytes + responseText.length + (images?.length ?? 0) * 40 + request.url.length + ENTRY_OVERHEAD,
    );
  }
}
