/**
 * Moving emulated time from outside (the control plane, startEmulator): after any move,
 * scans that ended in the time that passed are published at once, the ticker re-arms, and
 * the reading is stored so a restart never goes back in time.
 */
import { ClockError, type ClockMode, type EmulatorClock } from '../clock/clock.js';
import { controlBadRequest } from '../errors/catalog.js';
import type { ScanProgress } from './scan-progress.js';
import type { ScanTicker } from './scan-ticker.js';
import type { ClockRepository } from '../db/clock-repository.js';

export interface ClockChange {
  mode?: ClockMode;
  /** ms since the epoch, or an ISO-8601 date-time */
  now?: number | string | Date;
  advance_ms?: number;
}

export interface ClockReading {
  mode: ClockMode;
  now: number;
  now_iso: string;
}

export class ClockControl {
  constructor(
    private readonly clock: EmulatorClock,
    private readonly progress: ScanProgress,
    private readonly ticker: ScanTicker,
    private readonly store: ClockRepository,
  ) {}

  read(): ClockReading {
    const now = this.clock.now();
    return { mode: this.clock.mode, now, now_iso: new Date(now).toISOString() };
  }

  /**
   * Mode first, then `now`, then `advance_ms`, all or nothing: a move backwards or past the
   * last instant is refused with the clock as it was. The new reading is stored, so a
   * restart resumes from it.
   */
  change({ mode, now, advance_ms }: ClockChange): ClockReading {
    try {
      this.clock.atomically(() => {
        if (mode !== undefined) this.clock.setMode(mode);
        if (now !== undefined) this.clock.set(now instanceof Date ? now.getTime() : typeof now === 'string' ? Date.parse(now) : now);
        if (advance_ms !== undefined) this.clock.advance(advance_ms);
      });
    } catch (err) {
      if (err instanceof ClockError) throw controlBadRequest(err.message);
      throw err;
    }
    this.save();
    this.progress.catchUpTo(this.clock.now());
    this.ticker.poke();
    return this.read();
  }

  /** Stores the clock's reading (also at start and at close). */
  save(): void {
    this.store.save(this.clock.record());
  }
}
