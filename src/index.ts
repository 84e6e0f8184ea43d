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
import { bearer, controlCalls, encoded, httpStream, readAnswer, type EmulatorControl, type Transport } from './client/control-client.js';

export type { Config } from './config/options.js';
export { ConfigError } from './config/load-config.js';
export type { ClockReading } from './services/clock-control.js';
export type { Awaitable, CreatedProject, EmulatorControl, FeedEvent, ProjectSummary, ScriptAnswer } from './client/control-client.js';
export { connectEmulator, type ConnectOptions } from './client/connect.js';
export { HssError } from './errors/catalog.js';

export interface StartOptions extends Partial<Config> {
  /** where log lines go when log_level is not silent (default: stdout) */
  logStream?: NodeJS.WritableStream;
}

/**
 * The control plane of an emulator running in this process: the calls connectEmulator()
 * makes over HTTP (hss-emulator/client), through fastify's inject instead — the same routes,
 * validation and answers, no socket. The clock and reset answer at once (not a promise), as
 * they always have; awaiting them works too.
 */
export interface EmulatorHandle extends EmulatorControl {
  clock: {
    now(): number;
    advance(ms: number): ClockReading;
    set(instant: number | string | Date): ClockReading;
    setMode(mode: NonNullable<ClockChange['mode']>): ClockReading;
  };
  reset(options?: { project_id?: string; fixtures?: boolean }): void;
  /** Stops the emulator (and ends the event streams this handle opened). */
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
  const adminAuth = bearer(config.admin_token);
  const transport: Transport = {
    async request(method, path, body, asText = false) {
      const { headers, text } = encoded(body);
      const res = await running.app.inject({ method, url: path, headers: { ...adminAuth, ...headers }, ...(text === undefined ? {} : { payload: text }) });
      return readAnswer(res.statusCode, String(res.headers['content-type'] ?? ''), async () => res.body, asText);
    },
    // inject waits for a response to end, and an event stream does not: it is read over the socket
    stream: httpStream(running.url, adminAuth),
  };
  const { endStreams, ...calls } = controlCalls(running.url, transport);
  return {
    ...calls,
    clock: {
      now: () => running.clock.now(),
      advance: (ms) => clockControl.change({ advance_ms: ms }),
      set: (instant) => clockControl.change({ now: instant }),
      setMode: (mode) => clockControl.change({ mode }),
    },
    reset: (resetOptions = {}) => admin.reset(resetOptions, running.clock.now()),
    close: async () => {
      endStreams();
      await running.app.close();
    },
  };
}
