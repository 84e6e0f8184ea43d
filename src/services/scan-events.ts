/**
 * Every image state change, published once the transaction that made it has committed:
 * the feed behind server-sent events, metrics and the scan ticker.
 */
import { EventEmitter } from 'node:events';
import type { ImageScanStatus } from '../domain/scan-lifecycle.js';

export interface ScanEvent {
  /** the event's id in the replay buffer, set when its transaction records it */
  id?: number;
  project_id: string;
  image_id: string;
  from: ImageScanStatus;
  to: ImageScanStatus;
  /** when it happened, in emulated ms */
  at: number;
}

export class ScanEvents {
  readonly #emitter = new EventEmitter().setMaxListeners(0);

  publish(events: readonly ScanEvent[]): void {
    if (events.length) this.#emitter.emit('events', events);
  }

  /** Returns a function that unsubscribes. */
  subscribe(listener: (events: readonly ScanEvent[]) => void): () => void {
    this.#emitter.on('events', listener);
    return () => this.#emitter.off('events', listener);
  }
}
