/**
 * The newest scan events (and resets of the world), persisted with ids that go on across restarts, so an event-stream
 * client that reconnects with Last-Event-ID is sent what it missed. Bounded: only the
 * newest `capacity` events are kept.
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

export class EventLog {
  readonly #insert;
  readonly #trim;
  readonly #since;
  readonly #oldest;

  constructor(
    db: Db,
    readonly capacity: number,
  ) {
    this.#insert = db.prepare<[string, string, EventKind]>('INSERT INTO scan_events (project_id, event, kind) VALUES (?, ?, ?)');
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
    const ids = events.map((e) => Number(this.#insert.run(e.project_id ?? EVERY_PROJECT, JSON.stringify(e), kind).lastInsertRowid));
    const newest = ids[ids.length - 1];
    if (newest !== undefined && newest > this.capacity) this.#trim.run(newest - this.capacity);
    return ids;
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
