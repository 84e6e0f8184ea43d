/**
 * The one place that reads configuration: CLI flags first, then HSS_EMULATOR_* variables,
 * then defaults. A bad value stops start-up with one line that names it.
 */
import { parseArgs } from 'node:util';
import { OPTIONS, defaultConfig, type Config, type OptionSpec } from './options.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface CliRequest {
  config: Config;
  help: boolean;
  version: boolean;
}

export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliRequest {
  const flags = parseFlags(argv);
  const config = defaultConfig();
  const target = config as unknown as Record<string, unknown>;
  for (const spec of OPTIONS as readonly OptionSpec[]) {
    const fromFlag = flags.values[spec.flag];
    const fromEnv = env[spec.env];
    const [text, source] =
      typeof fromFlag === 'string' ? [fromFlag, `--${spec.flag}`] : fromEnv !== undefined ? [fromEnv, spec.env] : [undefined, ''];
    if (text === undefined) continue;
    const parsed = spec.parse(text);
    if ('problem' in parsed) {
      throw new ConfigError(`invalid ${source} ${JSON.stringify(text)}: ${parsed.problem}`);
    }
    target[spec.key] = parsed.value;
  }
  return { config, help: flags.values.help === true, version: flags.values.version === true };
}

function parseFlags(argv: readonly string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
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
    const shown = o.default === undefined ? '(now)' : String(o.default);
    return `  --${o.flag.padEnd(22)} ${o.description}\n  ${''.padEnd(24)} default ${shown}; env ${o.env}`;
  });
  return ['Usage: hss-emulator [options]', '', 'Options:', ...rows, '  -h, --help               this text', '  -v, --version            print the version'].join('\n');
}
