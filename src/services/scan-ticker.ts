/**
 * Under the system clock, wakes once when the next scan changes phase, so the change is
 * published (server-sent events, metrics) even if no request comes in. One timer for the
 * whole emulator, never one per image; under a manual clock, none at all — time moves
 * only when the control plane moves it.
 */
import type { EmulatorClock } from '../clock/clock.js';
import type { ScanProgress } from './scan-progress.js';
import type { ScanEvents } from './scan-events.js';

export interface Timers {
  setTimeout(callback: () => void, ms: number): { unref?(): unknown };
  clearTimeout(timer: unknown): void;
}

/** How long the ticker waits before it tries again after a failure, real ms. */
export const TICKER_RETRY_MS = 1000;

export class ScanTicker {
  #timer: ReturnType<Timers['setTimeout']> | undefined;
  #stopped = false;
  #failing = false;
  /** Told once when ticking starts to fail (not again until it has succeeded). */
  onError: (err: unknown, retryMs: number) => void = () => undefined;
  readonly #unsubscribe: (() => void)[];

  constructor(
    private readonly clock: EmulatorClock,
    private readonly progress: ScanProgress,
    events: ScanEvents,
    private readonly timers: Timers = { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout) },
  ) {
    // Every published change, reset or import may have started or ended scans: look again.
    this.#unsubscribe = [events.subscribe(() => this.poke()), events.subscribeResets(() => this.poke())];
  }

  /** Re-arms the timer for the next change; call after anything that moves time or starts scans. */
  poke(): void {
    this.#clear();
    if (this.#stopped || this.clock.mode !== 'system') return;
    const next = this.progress.nextChangeAt();
    if (next === undefined) return;
    this.#arm(Math.max(0, next - this.clock.now()) + 1);
  }

  /**
   * Catches up to now; publishing what changed re-arms the timer. A failure never leaves
   * the timer's callback: it is reported once, and the ticker tries again later.
   */
  tick(): void {
    try {
      this.progress.catchUpTo(this.clock.now());
      this.#failing = false;
      this.poke();
    } catch (err) {
      if (!this.#failing) this.onError(err, TICKER_RETRY_MS);
      this.#failing = true;
      this.#clear();
      if (!this.#stopped) this.#arm(TICKER_RETRY_MS);
    }
  }

  #arm(ms: number): void {
    this.#timer = this.timers.setTimeout(() => this.tick(), Math.min(ms, 2 ** 31 - 1));
    this.#timer.unref?.();
  }

  #clear(): void {
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }
}
