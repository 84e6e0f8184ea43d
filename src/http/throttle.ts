/**
 * The API gateway's flow control, opt-in (--throttle N): each user may call each operation N
 * times per second of real time; the next call in that second is 429 APIGW.0308. A fixed
 * one-second window, counted only for authenticated callers, so its memory is bounded by
 * users × operations.
 */
import { HssError } from '../errors/catalog.js';

export const throttled = () => new HssError(429, 'APIGW.0308', 'The throttling threshold has been reached.');

export class Throttle {
  readonly #limit: number;
  readonly #wallClock: () => number;
  #second = -1;
  readonly #calls = new Map<string, number>();

  /** `limit`: calls per second per user and operation (0 = none); `wallClock`: real time in ms */
  constructor(limit: number, wallClock: () => number) {
    this.#limit = limit;
    this.#wallClock = wallClock;
  }

  /** Counts one call; throws the gateway's 429 when the caller is over the limit in this second. */
  admit(user: string, operation: string): void {
    if (this.#limit === 0) return;
    const second = Math.floor(this.#wallClock() / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#calls.clear();
    }
    const key = `${user}\n${operation}`;
    const calls = (this.#calls.get(key) ?? 0) + 1;
    this.#calls.set(key, calls);
    if (calls > this.#limit) throw throttled();
  }
}
