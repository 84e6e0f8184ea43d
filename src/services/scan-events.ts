/**
 * Every image state change, and every reset or import of the world, published once the
 * transaction that made it has committed: the feed behind server-sent events, metrics and
 * the scan ticker.
 */
import { EventEmitter } from 'node:events';
import type { ImageScanStatus } from '../domain/scan-lifecycle.js';

export interface ScanEvent {
  /** the event's id in the replay buffer, set when its transaction records it */
  id?: number;
  project_id: string;
  /** absent on a coalesced event (see `count`) */
  image_id?: string;
  /** the image's name, with its image_id */
  image_name?: string;
  from: ImageScanStatus;
  to: ImageScanStatus;
  /** when it happened, in emulated ms (the latest of a coalesced event's changes) */
  at: number;
  /**
   * EMULATOR: a transaction that changes more than DETAILED_CHANGES images reports one
   * event per project and transition, with how many images made it, instead of one per image.
   */
  count?: number;
}

/**
 * The world was put back (to the fixtures, or empty) or replaced by an import: what a client
 * showed of it (all projects, or `project_id`'s) is to be read again. No image-by-image events
 * are reported for it.
 */
export interface ResetEvent {
  /** the event's id in the replay buffer, set when its transaction records it */
  id?: number;
  /** absent: every project */
  project_id?: string;
  to: 'fixtures' | 'empty' | 'import';
  /** emulated ms */
  at: number;
}

/** Changes one transaction reports image by image; above this, they are coalesced. */
export const DETAILED_CHANGES = 1_000;

/**
 * The changes one transaction makes, in memory that does not grow with their number: image by
 * image up to DETAILED_CHANGES, then counted per project and transition.
 */
export class ChangeSet {
  #detailed: ScanEvent[] | undefined = [];
  readonly #coalesced = new Map<string, ScanEvent & { count: number }>();
  readonly #resets: ResetEvent[] = [];

  /** The world (or one project) was reset or imported; reported after the scan changes. */
  reset(event: ResetEvent): void {
    this.#resets.push(event);
  }

  /** The resets to report, in the order they were made. */
  resets(): ResetEvent[] {
    return [...this.#resets];
  }

  add(event: ScanEvent): void {
    if (this.#detailed && this.#detailed.length < DETAILED_CHANGES) {
      this.#detailed.push(event);
      return;
    }
    this.#coalesceDetailed();
    this.#count(event, 1);
  }

  /** `count` images of a project made the same transition, the latest at `at`. */
  addCount(event: Omit<ScanEvent, 'image_id' | 'image_name' | 'count'>, count: number): void {
    if (count <= 0) return;
    this.#coalesceDetailed();
    this.#count(event, count);
  }

  /** Whether `more` changes added one by one would still be reported one by one. */
  staysDetailed(more: number): boolean {
    return this.#detailed !== undefined && this.#detailed.length + more <= DETAILED_CHANGES;
  }

  /** Adds another set's changes after this one's, as if they had been added here. */
  addAll(other: ChangeSet): void {
    if (other.#detailed) for (const event of other.#detailed) this.add(event);
    else for (const event of other.#coalesced.values()) this.addCount(event, event.count);
  }

  /** From here on, counts only: the events kept one by one so far are counted too. */
  #coalesceDetailed(): void {
    if (!this.#detailed) return;
    for (const earlier of this.#detailed) this.#count(earlier, 1);
    this.#detailed = undefined;
  }

  #count(event: Omit<ScanEvent, 'count'>, count: number): void {
    const key = `${event.project_id}\n${event.from}\n${event.to}`;
    const known = this.#coalesced.get(key);
    if (known) {
      known.count += count;
      known.at = Math.max(known.at, event.at);
    } else {
      this.#coalesced.set(key, { project_id: event.project_id, from: event.from, to: event.to, at: event.at, count });
    }
  }

  /** What to report, oldest first. */
  events(): ScanEvent[] {
    const events = this.#detailed ?? [...this.#coalesced.values()];
    return events.sort((a, b) => a.at - b.at);
  }
}

export class ScanEvents {
  readonly #emitter = new EventEmitter().setMaxListeners(0);

  publish(events: readonly ScanEvent[], resets: readonly ResetEvent[] = []): void {
    if (events.length) this.#emitter.emit('events', events);
    for (const reset of resets) this.#emitter.emit('reset', reset);
  }

  /** Image state changes. Returns a function that unsubscribes. */
  subscribe(listener: (events: readonly ScanEvent[]) => void): () => void {
    this.#emitter.on('events', listener);
    return () => this.#emitter.off('events', listener);
  }

  /** Resets and imports. Returns a function that unsubscribes. */
  subscribeResets(listener: (reset: ResetEvent) => void): () => void {
    this.#emitter.on('reset', listener);
    return () => this.#emitter.off('reset', listener);
  }
}
