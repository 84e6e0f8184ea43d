/** Configuration from flags and HSS_EMULATOR_* variables, and the one-line errors of a bad value. */
import t from 'tap';
import { CLI } from './helpers/command.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config/load-config.js';
import { OPTIONS, defaultConfig } from '../src/config/options.js';

const cli = CLI;

t.test('defaults, then environment, then flags', async (t) => {
  t.same(loadConfig([], {}).config, defaultConfig());
  t.match(defaultConfig(), { host: '127.0.0.1', port: 9080, db: 'data/hss-emulator.db', clock: 'system', lanes: 4, validation: 'strict' });
  const env = { HSS_EMULATOR_PORT: '7000', HSS_EMULATOR_LANES: '2', HSS_EMULATOR_CLOCK: 'manual' };
  t.match(loadConfig([], env).config, { port: 7000, lanes: 2, clock: 'manual' });
  t.match(loadConfig(['--port', '7001', '--db', ':memory:'], env).config, { port: 7001, lanes: 2, db: ':memory:' });
  t.match(loadConfig(['--clock-start', '2026-11-27T00:00:00Z'], {}).config, { clock_start: Date.UTC(2026, 10, 27) });
  t.match(loadConfig(['--clock-start=1795737600000'], {}).config, { clock_start: 1795737600000 });
  t.match(
    loadConfig(['--scan-base-ms', '0', '--scan-throughput-mb-s', '0', '--max-image-size', '1024', '--validation', 'lenient'], {}).config,
    { scan_base_ms: 0, scan_throughput_mb_s: 0, max_image_size: 1024, validation: 'lenient' },
  );
  t.equal(loadConfig(['--help'], {}).help, true);
  t.equal(loadConfig(['-v'], {}).version, true);
});

t.test('a bad value is one line naming the flag or variable and what it must be', async (t) => {
  const bad: [string[], Record<string, string>, RegExp][] = [
    [['--port', 'http'], {}, /^invalid --port "http": must be a whole number from 0 to 65535$/],
    [[], { HSS_EMULATOR_PORT: '70000' }, /^invalid HSS_EMULATOR_PORT "70000": must be a whole number/],
    [['--clock', 'sundial'], {}, /^invalid --clock "sundial": must be one of system, manual$/],
    [['--lanes', '0'], {}, /--lanes "0"/],
    [['--scan-throughput-mb-s=-1'], {}, /must be a number of at least 0/],
    [['--clock-start', 'tuesday'], {}, /ISO-8601/],
    [['--db', ' '], {}, /must not be empty/],
    [['--colour', 'blue'], {}, /Unknown option '--colour'/],
  ];
  for (const [argv, env, message] of bad) {
    t.throws(() => loadConfig(argv, env), ConfigError);
    t.throws(() => loadConfig(argv, env), message);
  }
});

t.test('the command stops with one clear line and exit code 2 on a bad value', async (t) => {
  const run = spawnSync(process.execPath, [...cli, '--port', 'http'], { encoding: 'utf8' });
  t.equal(run.status, 2);
  t.equal(run.stderr, 'hss-emulator: invalid --port "http": must be a whole number from 0 to 65535\n');
  const fixtures = spawnSync(process.execPath, [...cli, '--db', ':memory:', '--fixtures', 'nope.json'], { encoding: 'utf8' });
  t.equal(fixtures.status, 2);
  t.match(fixtures.stderr, /^hss-emulator: nope\.json: ENOENT/);
  t.equal(fixtures.stderr.trim().split('\n').length, 1);
});

t.test('the README configuration table lists every option', async (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  for (const option of OPTIONS) t.match(readme, `| \`--${option.flag}\` | \`${option.env}\` |`, option.flag);
});
