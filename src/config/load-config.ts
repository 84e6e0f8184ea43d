/**
 * The one place that reads configuration: CLI flags first, then HSS_EMULATOR_* variables,
 * then a JSON config file (--config), then defaults. A bad value stops start-up with one
 * line that names it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Type } from 'typebox';
import { lazyCompile } from '../validation/lazy-compile.js';
import { OPTIONS, defaultConfig, type Config, type OptionSpec } from './options.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface CliRequest {
  config: Config;
  help: boolean;
  version: boolean;
  /** things worth a warning that do not stop start-up, e.g. an unknown HSS_EMULATOR_* variable */
  warnings: string[];
}

/** The config file: the option keys (snake_case), each a string, number or boolean. */
export const ConfigFile = Type.Object(
  Object.fromEntries(OPTIONS.map((o) => [o.key, Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()]))])),
  { additionalProperties: false },
);
const checkConfigFile = lazyCompile(ConfigFile);

export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliRequest {
  const flags = parseFlags(argv);
  const configPath = typeof flags.values.config === 'string' ? flags.values.config : env.HSS_EMULATOR_CONFIG;
  const file = configPath === undefined ? {} : readConfigFile(configPath);
  const config = defaultConfig();
  const target = config as unknown as Record<string, unknown>;
  for (const spec of OPTIONS as readonly OptionSpec[]) {
    const fromFlag = flags.values[spec.flag];
    const fromEnv = env[spec.env];
    const fromFile = file[spec.key];
    const [text, source] =
      typeof fromFlag === 'string'
        ? [fromFlag, `--${spec.flag}`]
        : fromEnv !== undefined
          ? [fromEnv, spec.env]
          : fromFile !== undefined
            ? [String(fromFile), `${configPath}: ${spec.key}`]
            : [undefined, ''];
    if (text === undefined) continue;
    const parsed = spec.parse(text);
    if ('problem' in parsed) throw new ConfigError(`invalid ${source} ${JSON.stringify(text)}: ${parsed.problem}`);
    target[spec.key] = parsed.value;
  }
  if ((config.tls_cert === undefined) !== (config.tls_key === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key go together: give both to serve HTTPS');
  }
  return { config, help: flags.values.help === true, version: flags.values.version === true, warnings: unknownVariables(env) };
}

const KNOWN_VARIABLES = ['HSS_EMULATOR_CONFIG', ...OPTIONS.map((o) => o.env)];

/** A warning for each HSS_EMULATOR_* variable no option reads, naming the closest one that does. */
function unknownVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('HSS_EMULATOR_') && !KNOWN_VARIABLES.includes(name))
    .map((name) => {
      const closest = [...KNOWN_VARIABLES].sort((a, b) => editDistance(name, a) - editDistance(name, b))[0];
      return `unknown environment variable ${name} is ignored; did you mean ${closest}?`;
    });
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Options given in code (startEmulator): checked by the same rules, with the same
 * messages, as flags, variables and files. Returns the complete configuration.
 */
export function configFromValues(values: Readonly<Record<string, unknown>>): Config {
  const config = defaultConfig() as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) {
    const spec = (OPTIONS as readonly OptionSpec[]).find((o) => o.key === key);
    if (!spec) throw new ConfigError(`unknown option ${key}`);
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
    const parsed = spec.parse(text);
    if ('problem' in parsed) throw new ConfigError(`invalid ${key} ${JSON.stringify(value)}: ${parsed.problem}`);
    config[key] = parsed.value;
  }
  const checked = config as unknown as Config;
  if ((checked.tls_cert === undefined) !== (checked.tls_key === undefined)) {
    throw new ConfigError('tls_cert and tls_key go together: give both to serve HTTPS');
  }
  return checked;
}

function readConfigFile(path: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  const error = checkConfigFile().Errors(data).find((e) => e.keyword !== 'false schema');
  if (error) {
    const extra = (error.params as { additionalProperty?: string }).additionalProperty;
    throw new ConfigError(`${path}: ${error.instancePath || '/'}: ${extra !== undefined ? `unknown option ${extra}` : error.message}`);
  }
  return data as Record<string, unknown>;
}

function parseFlags(argv: readonly string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
    config: { type: 'string' },
  };
  for (const spec of OPTIONS) options[spec.flag] = { type: 'string' };
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
}

export function helpText(): string {
  const rows = OPTIONS.map((o) => {
    const shown = o.default === undefined ? 'none' : String(o.default);
    return `  --${o.flag.padEnd(22)} ${o.description}\n  ${''.padEnd(24)} default ${shown}; env ${o.env}; file key ${o.key}`;
  });
  return [
    'Usage: hss-emulator [options]',
    '       hss-emulator healthcheck [options]   exit 0 if the server these options start is up, else 1',
    '',
    'A local emulator of the Huawei Cloud HSS local-image scanning API.',
    'Precedence: flags, then environment variables, then the --config file, then defaults.',
    '',
    'Options:',
    '  --config FILE            a JSON file of options by key, e.g. {"port": 9090, "clock": "manual"}',
    '                           env HSS_EMULATOR_CONFIG',
    ...rows,
    '  -h, --help               this text',
    '  -v, --version            print the version',
  ].join('\n');
}
