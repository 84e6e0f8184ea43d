/**
 * The newest scan events (and resets of the world), persisted with ids that go on across restarts, so an event-stream
 * client that reconnects with Last-Event-ID is sent what it missed. Bounded: the newest
 * `capacity` events are kept, and at most TRIM_STEP more (trimming is one DELETE every
 * TRIM_STEP ids, not one per transaction).
 */
import type { Db } from './database.js';
import { MultiRowInsert } from './multi-row-insert.js';

export type EventKind = 'scan' | 'reset';

export interface LoggedEvent {
  event_id: number;
  kind: EventKind;
  event: string;
}

/** The project_id stored for an event of every project (a reset of the whole world). */
const EVERY_PROJECT = '';

/** How many ids apart the buffer is trimmed. */
export const TRIM_STEP = 1_000;

export class EventLog {
  readonly #insert;
  readonly #trim;
  readonly #since;
  readonly #oldest;

  constructor(
    db: Db,
    readonly capacity: number,
  ) {
    // many events a statement: their ids are consecutive, ending at the one run() returns
    this.#insert = new MultiRowInsert<{ event: { project_id?: string }; kind: EventKind }>(
      db,
      'INSERT INTO scan_events (project_id, event, kind)',
      3,
      ({ event, kind }) => [event.project_id ?? EVERY_PROJECT, JSON.stringify(event), kind],
    );
    this.#trim = db.prepare<[number]>('DELETE FROM scan_events WHERE event_id <= ?');
    // LIMIT +@limit: planned once, not at every run (see PAGE_CLAUSE)
    this.#since = db.prepare<{ after: number; project: string | null; limit: number }, LoggedEvent>(`
      SELECT event_id, kind, event FROM scan_events
      WHERE event_id > @after AND (@project IS NULL OR project_id IN (@project, '${EVERY_PROJECT}'))
      ORDER BY event_id LIMIT +@limit`);
    this.#oldest = db.prepare<[], { oldest: number | null; newest: number | null }>(
      'SELECT min(event_id) AS oldest, max(event_id) AS newest FROM scan_events',
    );
  }

  /** Call inside the transaction that made the events; returns their ids, in order. */
  append(events: readonly { project_id?: string }[], kind: EventKind): number[] {
    if (events.length === 0) return [];
    const newest = this.#insert.run(events.map((event) => ({ event, kind })));
    const first = newest - events.length + 1;
    if (newest > this.capacity && Math.floor((first - 1) / TRIM_STEP) !== Math.floor(newest / TRIM_STEP)) this.#trim.run(newest - this.capacity);
    return events.map((_, i) => first + i);
  }

  /** Events after `after` (of one project and of every project, if given), oldest first, at most `limit`. */
  since(after: number, projectId: string | undefined, limit: number): LoggedEvent[] {
    return this.#since.all({ after, project: projectId ?? null, limit });
  }

  /** The ids the buffer holds now. */
  bounds(): { oldest: number | undefined; newest: number | undefined } {
    const row = this.#oldest.get();
    return { oldest: row?.oldest ?? undefined, newest: row?.newest ?? undefined };
  }
}
