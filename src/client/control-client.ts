/**
 * The control plane as an object: the same calls whether the emulator runs in this process
 * (startEmulator: requests go through fastify.inject, no socket) or in another process or a
 * container (connectEmulator: requests go over HTTP). Both take and give the shapes the
 * control plane's schemas define, and a refused call throws an HssError with the status,
 * error_code and error_msg the control plane answered.
 */
import type { ClockMode } from '../clock/clock.js';
import { HssError } from '../errors/catalog.js';
import type { ImageFixture } from '../../schemas/fixtures.js';
import type { FaultBody, ProjectBody, RequestsQuery, ResetBody, ScriptBody } from '../../schemas/control.js';
import type { ClockReading } from '../services/clock-control.js';
import type { AdminImage } from '../services/world-admin.js';
import type { Fault } from '../http/faults.js';
import type { JournalEntry } from '../http/journal.js';
import type { ResetEvent, ScanEvent } from '../services/scan-events.js';

/** A value, or a promise of it: the in-process handle answers some calls at once. */
export type Awaitable<T> = T | Promise<T>;

export interface CreatedProject {
  project_id: string;
  region: string;
  users: string[];
  images: number;
}

export interface ProjectSummary {
  project_id: string;
  region: string;
  users: string[];
  images: number;
}

export interface ScriptAnswer {
  project_id: string;
  image_id: string;
  scan_script: ScriptBody;
}

/** What the event stream sends: an image's state change, or a reset or import. */
export type FeedEvent = { event: 'scan'; data: ScanEvent } | { event: 'reset'; data: ResetEvent } | { event: 'gap'; data: { missed_after: number; replay_from: number } };

/** The calls of the control plane, whatever carries them. */
export interface EmulatorControl {
  /** e.g. http://127.0.0.1:41234 — the SDK endpoint */
  readonly url: string;
  clock: {
    now(): Awaitable<number>;
    advance(ms: number): Awaitable<ClockReading>;
    set(instant: number | string | Date): Awaitable<ClockReading>;
    setMode(mode: ClockMode): Awaitable<ClockReading>;
  };
  /** Back to the fixtures (or empty with fixtures: false), everything or one project. */
  reset(options?: ResetBody): Awaitable<void>;
  projects: {
    create(project: ProjectBody): Promise<CreatedProject>;
    list(): Promise<ProjectSummary[]>;
    remove(projectId: string): Promise<void>;
  };
  images: {
    /** Adds images, or replaces those whose project_id + image_id exist; says how many. */
    upsert(images: ImageFixture[]): Promise<number>;
    list(filter?: { project_id?: string; image_id?: string }): Promise<AdminImage[]>;
    /** One image, or every image of the project; says how many went. */
    remove(projectId: string, imageId?: string): Promise<number>;
  };
  scripts: {
    /** Replaces the queue of scripted scans of one image ([] clears it). */
    set(imageId: string, steps: ScriptBody, projectId?: string): Promise<ScriptAnswer>;
  };
  faults: {
    add(rule: FaultBody): Promise<Fault>;
    list(projectId?: string): Promise<Fault[]>;
    remove(id: number): Promise<void>;
    /** Every rule, or one project's. */
    clear(projectId?: string): Promise<void>;
  };
  journal: {
    /** The cloud calls, newest first. */
    list(filter?: RequestsQuery): Promise<JournalEntry[]>;
    /** Forgets every call, or one project's. */
    clear(projectId?: string): Promise<void>;
  };
  /**
   * The event stream from now on (or after `lastEventId`), until the signal aborts or the
   * loop that reads it stops.
   */
  events(options?: { projectId?: string; lastEventId?: number; signal?: AbortSignal }): AsyncIterable<FeedEvent>;
  state: {
    /** The whole state as JSON text (SKs only with includeSecrets). */
    export(options?: { includeSecrets?: boolean }): Promise<string>;
    /** Replaces the whole state with an export, or refuses it whole. */
    import(state: string): Promise<void>;
  };
  /** In process: stops the emulator. Remote: ends this client's open event streams only. */
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  /** the parsed JSON body, the text of a non-JSON one, or undefined when there is none */
  body: unknown;
}

/** How control-plane calls travel: the requests, and the event stream's bytes. */
export interface Transport {
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, text?: boolean): Promise<Answer>;
  stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
}

function query(values: Record<string, string | number | boolean | undefined>): string {
  const pairs = Object.entries(values).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
  return pairs.length ? `?${new URLSearchParams(pairs.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

/** Reads an answer: JSON when it says so, text when asked (or when it is not JSON), nothing for a 204. */
export async function readAnswer(status: number, contentType: string, text: () => Promise<string>, asText: boolean): Promise<Answer> {
  if (status === 204) return { status, body: undefined };
  const body = await text();
  if (asText && status < 300) return { status, body };
  if (!contentType.includes('json')) return { status, body };
  try {
    return { status, body: JSON.parse(body) as unknown };
  } catch {
    return { status, body };
  }
}

/** The admin token as the control plane takes it (nothing without one). */
export function bearer(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** A call's body as it is sent: JSON text (a string goes as it is), with its content type. */
export function encoded(body: unknown): { headers: Record<string, string>; text?: string } {
  return body === undefined ? { headers: {} } : { headers: { 'content-type': 'application/json' }, text: typeof body === 'string' ? body : JSON.stringify(body) };
}

/** The event stream of the emulator at `base`, read over HTTP (inject cannot: a stream never ends). */
export function httpStream(base: string, auth: Record<string, string>): Transport['stream'] {
  return async (path, headers, signal) => {
    const res = await fetch(`${base}${path}`, { headers: { ...auth, ...headers, accept: 'text/event-stream' }, signal });
    if (res.status !== 200 || !res.body) throw refusal(await readAnswer(res.status, res.headers.get('content-type') ?? '', () => res.text(), false));
    return res.body as unknown as AsyncIterable<Uint8Array>;
  };
}

/** The control plane's refusal, as the error it answered with. */
export function refusal(answer: Answer): HssError {
  const error = (answer.body ?? {}) as { error_code?: string; error_msg?: string };
  return new HssError(answer.status, error.error_code ?? 'EMULATOR.0000', error.error_msg ?? `HTTP ${answer.status}`);
}

/** The answer's body when its status is one of `ok`; otherwise the control plane's error, thrown. */
function expect<T>(answer: Answer, ...ok: number[]): T {
  if (ok.includes(answer.status)) return answer.body as T;
  throw refusal(answer);
}

/** Server-sent events (those the event stream sends: scan, reset, gap), parsed as they come. */
export async function* feed(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<FeedEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const lines = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
      const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
      if ((event === 'scan' || event === 'reset' || event === 'gap') && data !== undefined) yield { event, data: JSON.parse(data) } as FeedEvent;
    }
  }
}

/** The calls every handle shares, over `transport`. */
export function controlCalls(url: string, transport: Transport): Omit<EmulatorControl, 'close'> & { endStreams(): void } {
  const { request } = transport;
  const open = new Set<AbortController>();
  const readClock = async (change: Record<string, unknown>) => expect<ClockReading>(await request('POST', '/_emulator/clock', change), 200);
  return {
    url,
    clock: {
      now: async () => expect<ClockReading>(await request('GET', '/_emulator/clock'), 200).now,
      advance: (ms) => readClock({ advance_ms: ms }),
      set: (instant) => readClock({ now: instant instanceof Date ? instant.toISOString() : instant }),
      setMode: (mode) => readClock({ mode }),
    },
    reset: async (options = {}) => void expect(await request('POST', '/_emulator/reset', options), 200),
    projects: {
      create: async (project) => expect<CreatedProject>(await request('POST', '/_emulator/projects', project), 201),
      list: async () => expect<{ projects: ProjectSummary[] }>(await request('GET', '/_emulator/projects'), 200).projects,
      remove: async (projectId) => void expect(await request('DELETE', `/_emulator/projects/${encodeURIComponent(projectId)}`), 204),
    },
    images: {
      upsert: async (images) => expect<{ upserted: number }>(await request('POST', '/_emulator/images', { images }), 200).upserted,
      list: async (filter = {}) => expect<{ images: AdminImage[] }>(await request('GET', `/_emulator/images${query(filter)}`), 200).images,
      remove: async (projectId, imageId) =>
        expect<{ removed: number }>(await request('DELETE', `/_emulator/images${query({ project_id: projectId, image_id: imageId })}`), 200).removed,
    },
    scripts: {
      set: async (imageId, steps, projectId) =>
        expect<ScriptAnswer>(await request('POST', `/_emulator/images/${encodeURIComponent(imageId)}/script${query({ project_id: projectId })}`, steps), 200),
    },
    faults: {
      add: async (rule) => expect<Fault>(await request('POST', '/_emulator/faults', rule), 201),
      list: async (projectId) => expect<{ faults: Fault[] }>(await request('GET', `/_emulator/faults${query({ project_id: projectId })}`), 200).faults,
      remove: async (id) => void expect(await request('DELETE', `/_emulator/faults/${id}`), 204),
      clear: async (projectId) => void expect(await request('DELETE', `/_emulator/faults${query({ project_id: projectId })}`), 204),
    },
    journal: {
      list: async (filter = {}) => expect<{ requests: JournalEntry[] }>(await request('GET', `/_emulator/requests${query(filter)}`), 200).requests,
      clear: async (projectId) => void expect(await request('DELETE', `/_emulator/requests${query({ project_id: projectId })}`), 204),
    },
    events: ({ projectId, lastEventId, signal } = {}) => ({
      [Symbol.asyncIterator]: () => {
        const controller = new AbortController();
        open.add(controller);
        signal?.addEventListener('abort', () => controller.abort(), { once: true });
        const headers: Record<string, string> = lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) };
        const events = (async function* () {
          try {
            yield* feed(await transport.stream(`/_emulator/events${query({ project_id: projectId })}`, headers, controller.signal));
          } catch (err) {
            if (!controller.signal.aborted) throw err;
          } finally {
            controller.abort();
            open.delete(controller);
          }
        })();
        return events;
      },
    }),
    state: {
      export: async ({ includeSecrets = false } = {}) =>
        expect<string>(await request('GET', `/_emulator/state${query({ include_secrets: includeSecrets || undefined })}`, undefined, true), 200),
      import: async (state) => void expect(await request('PUT', '/_emulator/state', state), 200),
    },
    endStreams: () => {
      for (const controller of open) controller.abort();
    },
  };
}
