/**
 * Every configuration option, in one table: its key, CLI flag, environment variable,
 * default and how a text value becomes a typed one. The loader, `--help` and the README's
 * configuration table all come from here.
 */

import { MAX_INSTANT, type ClockMode } from '../clock/clock.js';
import { PACKAGE_ROOT } from '../package-info.js';

/** The default world shipped with the package, wherever it is installed. */
export const BUNDLED_FIXTURES = `${PACKAGE_ROOT}fixtures/default.json`;

export type ValidationMode = 'strict' | 'lenient';
export type AuthMode = 'strict' | 'permissive' | 'off';
export type LogFormat = 'auto' | 'json' | 'pretty';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  host: string;
  /** further names the control plane answers to (Host and Origin), besides loopback names and IP literals */
  allowed_hosts: string[];
  /** origins (scheme://host[:port]) whose web pages may call the emulator (CORS); empty: none; * for any */
  cors_origin: string[];
  port: number;
  db: string;
  fixtures: string;
  /** replace whatever the database holds with the fixtures at start */
  reset_on_start: boolean;
  clock: ClockMode;
  /** ms since the epoch where a manual clock starts; undefined = the system time at start-up */
  clock_start: number | undefined;
  lanes: number;
  scan_base_ms: number;
  scan_throughput_mb_s: number;
  max_image_size: number;
  max_batch_images: number;
  validation: ValidationMode;
  auth: AuthMode;
  token_ttl_s: number;
  debug_auth: boolean;
  /** calls per second of real time one user may make to one operation; 0 = no limit */
  throttle: number;
  control_plane: boolean;
  admin_token: string | undefined;
  journal_size: number;
  tls_cert: string | undefined;
  tls_key: string | undefined;
  log_level: LogLevel;
  log_format: LogFormat;
  /** on SIGTERM/SIGINT: how long requests in flight may take before their connections are closed */
  shutdown_grace_ms: number;
}

/** Turns the text of a flag or variable into a value, or says what is wrong with it. */
type Parse<T> = (text: string) => { value: T } | { problem: string };

export interface OptionSpec<K extends keyof Config = keyof Config> {
  key: K;
  flag: string;
  env: string;
  default: Config[K];
  description: string;
  parse: Parse<Config[K]>;
}

function integer(min: number, max: number): Parse<number> {
  return (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      return { problem: `must be a whole number from ${min} to ${max}` };
    }
    return { value };
  };
}

function number(min: number): Parse<number> {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < min) {
      return { problem: `must be a number of at least ${min}` };
    }
    return { value };
  };
}

function oneOf<T extends string>(...choices: T[]): Parse<T> {
  return (text) =>
    (choices as string[]).includes(text)
      ? { value: text as T }
      : { problem: `must be one of ${choices.join(', ')}` };
}

const flag: Parse<boolean> = (text) =>
  ['true', '1', 'yes'].includes(text) ? { value: true } : ['false', '0', 'no'].includes(text) ? { value: false } : { problem: 'must be true or false' };

const nonEmpty: Parse<string> = (text) =>
  text.trim() === '' ? { problem: 'must not be empty' } : { value: text };

const hostList: Parse<string[]> = (text) => {
  const names = text.split(',').map((h) => h.trim()).filter((h) => h !== '');
  return names.every((h) => /^(\*|[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$/.test(h))
    ? { value: names }
    : { problem: 'must be host names separated by commas (or *)' };
};

const originList: Parse<string[]> = (text) => {
  const origins = text.split(',').map((o) => o.trim()).filter((o) => o !== '');
  const isOrigin = (o: string) => {
    if (o === '*') return true;
    try {
      const url = new URL(o);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === o.replace(/\/$/, '');
    } catch {
      return false;
    }
  };
  return origins.every(isOrigin)
    ? { value: origins.map((o) => o.replace(/\/$/, '')) }
    : { problem: 'must be origins such as http://localhost:3000, separated by commas (or *)' };
};

const instant: Parse<number | undefined> = (text) => {
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_INSTANT
    ? { value }
    : { problem: 'must be an ISO-8601 date-time or milliseconds since the epoch, up to 9999-12-31' };
};

function option<K extends keyof Config>(spec: Omit<OptionSpec<K>, 'env'>): OptionSpec<K> {
  return { ...spec, env: `HSS_EMULATOR_${String(spec.key).toUpperCase()}` };
}

export const OPTIONS = [
  option({ key: 'host', flag: 'host', default: '127.0.0.1', parse: nonEmpty, description: 'address to listen on' }),
  option({ key: 'allowed_hosts', flag: 'allowed-hosts', default: [] as string[], parse: hostList, description: 'comma-separated host names the control plane also answers to (e.g. a compose service name); * for any' }),
  option({ key: 'cors_origin', flag: 'cors-origin', default: [] as string[], parse: originList, description: 'comma-separated origins whose web pages may call the API (CORS), e.g. http://localhost:5173; * for any; default: none' }),
  option({ key: 'port', flag: 'port', default: 9080, parse: integer(0, 65535), description: 'port to listen on (0 = any free port)' }),
  option({ key: 'db', flag: 'db', default: 'data/hss-emulator.db', parse: nonEmpty, description: 'SQLite database file, or :memory: to keep nothing' }),
  option({ key: 'fixtures', flag: 'fixtures', default: BUNDLED_FIXTURES, parse: nonEmpty, description: 'world loaded into an empty database' }),
  option({ key: 'reset_on_start', flag: 'reset-on-start', default: false, parse: flag, description: 'replace what the database holds with the fixtures at start' }),
  option({ key: 'clock', flag: 'clock', default: 'system' as ClockMode, parse: oneOf<ClockMode>('system', 'manual'), description: 'system time, or a manual clock that moves only when told' }),
  option({ key: 'clock_start', flag: 'clock-start', default: undefined, parse: instant, description: 'where emulated time starts (ISO-8601 or ms); default: now' }),
  option({ key: 'lanes', flag: 'lanes', default: 4, parse: integer(1, 1024), description: 'scans that run at once in one project; more wait' }),
  option({ key: 'scan_base_ms', flag: 'scan-base-ms', default: 2000, parse: integer(0, 86_400_000), description: 'fixed part of every scan duration, in ms' }),
  option({ key: 'scan_throughput_mb_s', flag: 'scan-throughput-mb-s', default: 200, parse: number(0), description: 'scan speed in MB/s added per image size (0 = size adds no time)' }),
  option({ key: 'max_image_size', flag: 'max-image-size', default: 10 * 1024 ** 3, parse: integer(0, Number.MAX_SAFE_INTEGER), description: 'bytes; larger images end image_oversized' }),
  option({ key: 'max_batch_images', flag: 'max-batch-images', default: 1000, parse: integer(1, 100_000), description: 'most items one batch-scan image_info_list may hold' }),
  option({ key: 'validation', flag: 'validation', default: 'strict' as ValidationMode, parse: oneOf<ValidationMode>('strict', 'lenient'), description: 'strict rejects unknown body fields; lenient ignores them' }),
  option({ key: 'auth', flag: 'auth', default: 'strict' as AuthMode, parse: oneOf<AuthMode>('strict', 'permissive', 'off'), description: 'strict checks tokens and signatures; permissive takes any; off needs none' }),
  option({ key: 'token_ttl_s', flag: 'token-ttl-s', default: 86_400, parse: integer(1, 31_536_000), description: 'lifetime of an IAM token in seconds of emulated time' }),
  option({ key: 'debug_auth', flag: 'debug-auth', default: false, parse: flag, description: 'log the canonical request and string-to-sign of a failed signature (debug level)' }),
  option({ key: 'throttle', flag: 'throttle', default: 0, parse: integer(0, 1_000_000), description: "calls per second one user may make to one operation, then 429 APIGW.0308 (0 = no limit; the cloud's default is 200)" }),
  option({ key: 'control_plane', flag: 'control-plane', default: true, parse: flag, description: 'serve /_emulator/* (reset, clock, faults, journal, events, metrics)' }),
  option({ key: 'admin_token', flag: 'admin-token', default: undefined, parse: nonEmpty, description: 'require Authorization: Bearer <token> on /_emulator/*; default: open' }),
  option({ key: 'journal_size', flag: 'journal-size', default: 1000, parse: integer(0, 1_000_000), description: 'requests the journal keeps (newest)' }),
  option({ key: 'tls_cert', flag: 'tls-cert', default: undefined, parse: nonEmpty, description: 'PEM certificate file: serve HTTPS (with --tls-key)' }),
  option({ key: 'tls_key', flag: 'tls-key', default: undefined, parse: nonEmpty, description: 'PEM private key file of --tls-cert' }),
  option({ key: 'log_level', flag: 'log-level', default: 'info' as LogLevel, parse: oneOf<LogLevel>('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'), description: 'pino log level' }),
  option({ key: 'log_format', flag: 'log-format', default: 'auto' as LogFormat, parse: oneOf<LogFormat>('auto', 'json', 'pretty'), description: 'JSON lines, or readable; auto: readable on a terminal' }),
  option({ key: 'shutdown_grace_ms', flag: 'shutdown-grace-ms', default: 10_000, parse: integer(0, 600_000), description: 'on SIGTERM, how long requests in flight may finish before they are cut off' }),
] as const satisfies readonly OptionSpec[];

export function defaultConfig(): Config {
  return Object.fromEntries(OPTIONS.map((o) => [o.key, o.default])) as unknown as Config;
}
