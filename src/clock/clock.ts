/**
 * "Now" for the whole emulator. Nothing else asks the system for the time, so a manual
 * clock makes every scan and expiry reproducible. Emulated time never moves backwards:
 * switching from manual back to system time continues from the manual instant.
 */
import { MAX_INSTANT } from '../../schemas/vocabulary.js';

export type ClockMode = 'system' | 'manual';

export interface Clock {
  readonly mode: ClockMode;
  /** ms since the epoch */
  now(): number;
}

export class ClockError extends RangeError {
  override name = 'ClockError';
}

export { MAX_INSTANT };

/** What is stored of a clock so a restart resumes it, never earlier. */
export interface ClockReadingRecord {
  mode: ClockMode;
  /** the emulated instant when it was stored */
  now: number;
  /** system mode: emulated minus system time */
  offset_ms: number;
}

export class EmulatorClock implements Clock {
  #mode: ClockMode;
  /** manual: the instant; system: the offset added to the system time */
  #value: number;
  readonly #systemNow: () => number;

  constructor(mode: ClockMode, start: number | undefined, systemNow: () => number = Date.now) {
    this.#systemNow = systemNow;
    this.#mode = mode;
    this.#value = mode === 'manual' ? (start ?? systemNow()) : start === undefined ? 0 : start - systemNow();
  }

  get mode(): ClockMode {
    return this.#mode;
  }

  now(): number {
    return this.#mode === 'manual' ? this.#value : this.#systemNow() + this.#value;
  }

  /** Freezes (manual) or releases (system) time at the current instant. */
  setMode(mode: ClockMode): number {
    const now = this.now();
    this.#mode = mode;
    this.#value = mode === 'manual' ? now : Math.max(0, now - this.#systemNow());
    return this.now();
  }

  /** Manual mode only. */
  advance(ms: number): number {
    if (this.#mode !== 'manual') throw new ClockError('the clock is in system mode; switch it to manual to move it');
    if (!Number.isFinite(ms) || ms < 0) throw new ClockError('advance_ms must be 0 or more: time does not go backwards');
    if (this.#value + ms > MAX_INSTANT) throw new ClockError(`advance_ms would move the clock past ${new Date(MAX_INSTANT).toISOString()}`);
    this.#value += ms;
    return this.#value;
  }

  /** Manual mode only; never to an earlier instant. */
  set(instant: number): number {
    if (this.#mode !== 'manual') throw new ClockError('the clock is in system mode; switch it to manual to set it');
    if (!Number.isFinite(instant)) throw new ClockError('now must be ms since the epoch or an ISO-8601 date-time');
    if (instant < this.#value) throw new ClockError(`now must not be before the current time ${new Date(this.#value).toISOString()}`);
    if (instant > MAX_INSTANT) throw new ClockError(`now must not be after ${new Date(MAX_INSTANT).toISOString()}`);
    this.#value = instant;
    return this.#value;
  }

  /** What to store so a restart can resume this clock. */
  record(): ClockReadingRecord {
    return { mode: this.#mode, now: this.now(), offset_ms: this.#mode === 'system' ? this.#value : 0 };
  }

  /** Runs `change`; if it throws, the clock is as it was before. */
  atomically<T>(change: () => T): T {
    const [mode, value] = [this.#mode, this.#value];
    try {
      return change();
    } catch (err) {
      [this.#mode, this.#value] = [mode, value];
      throw err;
    }
  }
}

/** A clock that starts manual at `start`; what tests use. */
export class ManualClock extends EmulatorClock {
  constructor(start: number) {
    super('manual', start);
  }
}

export function createClock(mode: ClockMode, start: number | undefined): EmulatorClock {
  return new EmulatorClock(mode, start);
}

/**
 * A clock in `mode` that continues from a stored one: never earlier than what it read when
 * stored (a system clock's reading moved on with real time meanwhile), nor than `start`.
 */
export function resumeClock(
  mode: ClockMode,
  start: number | undefined,
  stored: ClockReadingRecord | undefined,
  systemNow: () => number = Date.now,
): EmulatorClock {
  if (!stored) return new EmulatorClock(mode, start, systemNow);
  const storedNow = stored.mode === 'system' ? Math.max(stored.now, systemNow() + stored.offset_ms) : stored.now;
  const resumeAt = Math.min(MAX_INSTANT, Math.max(storedNow, start ?? storedNow));
  return new EmulatorClock(mode, resumeAt, systemNow);
}
