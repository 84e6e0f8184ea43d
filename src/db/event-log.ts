/**
 * The newest scan events (and resets of the world), persisted with ids that go on across restarts, so an event-stream
 * client that reconnects with Last-Event-ID is sent what it missed. Bounded: the newest
 * `capacity` events are kept, and at most TRIM_STEP more (trimming is one DELETE every
 * TRIM_STEP ids, not one per transaction).
 */
import type { Db } from './database.js';

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

/** Events one INSERT writes at most. */
const INSERT_ROWS = 16;

export class EventLog {
  readonly #insert;
  readonly #trim;
  readonly #since;
  readonly #oldest;

  constructor(
    db: Db,
    readonly capacity: number,
  ) {
    // up to INSERT_ROWS events a statement: their ids are consecutive, ending at last_insert_rowid()
    this.#insert = Array.from({ length: INSERT_ROWS }, (_, n) =>
      db.prepare<string[]>(`INSERT INTO scan_events (project_id, event, kind) VALUES ${Array(n + 1).fill('(?, ?, ?)').join(', ')}`),
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
    let newest = 0;
    for (let from = 0; from < events.length; from += INSERT_ROWS) {
      const rows = events.slice(from, from + INSERT_ROWS);
      newest = Number(this.#insert[rows.length - 1]!.run(...rows.flatMap((e) => [e.project_id ?? EVERY_PROJECT, JSON.stringify(e), kind])).lastInsertRowid);
    }
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
