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

export class ScanTicker {
  #timer: ReturnType<Timers['setTimeout']> | undefined;
  #stopped = false;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly clock: EmulatorClock,
    private readonly progress: ScanProgress,
    events: ScanEvents,
    private readonly timers: Timers = { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout) },
  ) {
    // Every published change may have started or ended scans: look again.
    this.#unsubscribe = events.subscribe(() => this.poke());
  }

  /** Re-arms the timer for the next change; call after anything that moves time or starts scans. */
  poke(): void {
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped || this.clock.mode !== 'system') return;
    const next = this.progress.nextChangeAt();
    if (next === undefined) return;
    const wait = Math.max(0, next - this.clock.now()) + 1;
    this.#timer = this.timers.setTimeout(() => this.tick(), Math.min(wait, 2 ** 31 - 1));
    this.#timer.unref?.();
  }

  /** Catches up to now; publishing what changed re-arms the timer. */
  tick(): void {
    this.progress.atNow(this.clock.now(), () => undefined);
    this.poke();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    this.#unsubscribe();
  }
}
