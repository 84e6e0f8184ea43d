/**
 * The in-process API, for test suites: start an emulator on a free port with throwaway
 * state and a manual clock, move its time, reset it, close it.
 *
 *   import { startEmulator } from 'hss-emulator';
 *   const emulator = await startEmulator();
 *   // … point your client at emulator.url, then:
 *   await emulator.clock.advance(5_000);
 *   await emulator.close();
 */
import type { Config } from './config/options.js';
import { configFromValues } from './config/load-config.js';
import { startServer } from './server.js';
import type { ClockChange, ClockReading } from './services/clock-control.js';

export type { Config } from './config/options.js';
export { ConfigError } from './config/load-config.js';
export type { ClockReading } from './services/clock-control.js';

export interface StartOptions extends Partial<Config> {
  /** where log lines go when log_level is not silent (default: stdout) */
  logStream?: NodeJS.WritableStream;
}

export interface EmulatorHandle {
  /** e.g. http://127.0.0.1:41234 — use it as the SDK endpoint */
  url: string;
  clock: {
    now(): number;
    advance(ms: number): ClockReading;
    set(instant: number | string | Date): ClockReading;
    setMode(mode: NonNullable<ClockChange['mode']>): ClockReading;
  };
  /** Back to the fixtures (or empty with fixtures: false), everything or one project. */
  reset(options?: { project_id?: string; fixtures?: boolean }): void;
  close(): Promise<void>;
}

/**
 * Defaults: port 0 (any free one), in-memory database, manual clock at the current time, no logs.
 * The clock may be moved anywhere: AK/SK signatures are checked against real time, as the
 * SDKs sign with it, so advancing an hour or a month never makes a signed call fail.
 */
export async function startEmulator(options: StartOptions = {}): Promise<EmulatorHandle> {
  const { logStream, ...overrides } = options;
  const config: Config = configFromValues({ port: 0, db: ':memory:', clock: 'manual', log_level: 'silent', ...overrides });
  const running = await startServer({ config, ...(logStream ? { logStream } : {}) });
  const { clockControl, admin } = running.services;
  return {
    url: running.url,
    clock: {
      now: () => running.clock.now(),
      advance: (ms) => clockControl.change({ advance_ms: ms }),
      set: (instant) => clockControl.change({ now: instant }),
      setMode: (mode) => clockControl.change({ mode }),
    },
    reset: (resetOptions = {}) => admin.reset(resetOptions, running.clock.now()),
    close: () => running.app.close(),
  };
}
