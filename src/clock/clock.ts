/**
 * "Now" for the whole emulator. Nothing else asks the system for the time, so a manual
 * clock makes every scan and expiry reproducible. Emulated time never moves backwards:
 * switching from manual back to system time continues from the manual instant.
 */
export type ClockMode = 'system' | 'manual';

export interface Clock {
  readonly mode: ClockMode;
  /** ms since the epoch */
  now(): number;
}

export class ClockError extends RangeError {
  override name = 'ClockError';
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
    this.#value += ms;
    return this.#value;
  }

  /** Manual mode only; never to an earlier instant. */
  set(instant: number): number {
    if (this.#mode !== 'manual') throw new ClockError('the clock is in system mode; switch it to manual to set it');
    if (!Number.isFinite(instant) || instant < this.#value) {
      throw new ClockError(`now must not be before the current time ${new Date(this.#value).toISOString()}`);
    }
    this.#value = instant;
    return this.#value;
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
