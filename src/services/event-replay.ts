/**
 * What an event-stream client that reconnects missed, from the bounded, persisted buffer of
 * scan and reset events: first a `gap` when the buffer no longer holds all of it, then every event
 * after the client's last id, oldest first, read a page at a time.
 */
import type { EventKind, EventLog } from '../db/event-log.js';

export interface ReplayedEvent {
  /** absent on a gap */
  id?: number;
  event: 'gap' | EventKind;
  data: string;
}

const PAGE = 1_000;

export class EventReplay {
  constructor(private readonly log: EventLog) {}

  *since(after: number, projectId: string | undefined): Generator<ReplayedEvent> {
    const { oldest } = this.log.bounds();
    if (oldest !== undefined && oldest > after + 1) yield { event: 'gap', data: JSON.stringify({ missed_after: after, replay_from: oldest }) };
    let from = after;
    for (;;) {
      const page = this.log.since(from, projectId, PAGE);
      for (const logged of page) yield { id: logged.event_id, event: logged.kind, data: JSON.stringify({ ...JSON.parse(logged.event), id: logged.event_id }) };
      if (page.length < PAGE) return;
      from = page[page.length - 1]!.event_id;
    }
  }
}
