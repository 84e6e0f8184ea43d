/**
 * "Now" for the whole emulator. Nothing else asks the system for the time, so a manual
 * clock makes every scan and expiry reproducible.
 */
export type ClockMode = 'system' | 'manual';

export interface Clock {
  readonly mode: ClockMode;
  /** ms since the epoch */
  now(): number;
}

export class SystemClock implements Clock {
  readonly mode = 'system' as const;
  now(): number {
    return Date.now();
  }
}

/** Time stands still until advanced or set; it never moves backwards. */
export class ManualClock implements Clock {
  readonly mode = 'manual' as const;
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('a manual clock only moves forward');
    this.#now += ms;
    return this.#now;
  }

  set(instant: number): number {
    if (!Number.isFinite(instant) || instant < this.#now) throw new RangeError('a manual clock only moves forward');
    this.#now = instant;
    return this.#now;
  }
}

export function createClock(mode: ClockMode, start: number | undefined): Clock {
  return mode === 'manual' ? new ManualClock(start ?? Date.now()) : new SystemClock();
}
