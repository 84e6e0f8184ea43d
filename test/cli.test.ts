/** The command: --config files, precedence, --help, --version, HTTPS, log formats. */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import { loadConfig } from '../src/config/load-config.js';
import { CLI, startCommand } from './helpers/command.js';
import { OPTIONS } from '../src/config/options.js';

const cli = CLI;
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

t.test('precedence: flags, then environment, then the config file, then defaults', async (t) => {
  const dir = t.testdir({ 'config.json': JSON.stringify({ port: 7100, lanes: 3, clock: 'manual', debug_auth: true, max_image_size: 1024 }) });
  const file = join(dir, 'config.json');
  t.match(loadConfig(['--config', file], {}).config, { port: 7100, lanes: 3, clock: 'manual', debug_auth: true, max_image_size: 1024 });
  t.match(loadConfig(['--config', file], { HSS_EMULATOR_LANES: '5' }).config, { port: 7100, lanes: 5 });
  t.match(loadConfig(['--config', file, '--lanes', '7'], { HSS_EMULATOR_LANES: '5' }).config, { lanes: 7 });
  t.match(loadConfig([], { HSS_EMULATOR_CONFIG: file }).config, { port: 7100 });
});

t.test('a bad config file is one line naming the file, the key and the problem', async (t) => {
  const dir = t.testdir({
    'typo.json': JSON.stringify({ prot: 9000 }),
    'bad.json': JSON.stringify({ lanes: 0 }),
    'shape.json': JSON.stringify({ port: [1] }),
    'broken.json': '{"port": ',
  });
  t.throws(() => loadConfig(['--config', join(dir, 'typo.json')], {}), /typo\.json: \/: unknown option prot/);
  t.throws(() => loadConfig(['--config', join(dir, 'bad.json')], {}), /invalid .*bad\.json: lanes "0": must be a whole number from 1 to 1024/);
  t.throws(() => loadConfig(['--config', join(dir, 'shape.json')], {}), /shape\.json: \/port: /);
  t.throws(() => loadConfig(['--config', join(dir, 'broken.json')], {}), /broken\.json: .*JSON/);
  t.throws(() => loadConfig(['--config', join(dir, 'missing.json')], {}), /missing\.json: ENOENT/);
  t.throws(() => loadConfig(['--tls-cert', 'c.pem'], {}), /go together/);
  const run = spawnSync(process.execPath, [...cli, '--config', join(dir, 'typo.json')], { encoding: 'utf8' });
  t.equal(run.status, 2);
  t.equal(run.stderr.trim().split('\n').length, 1);
});

t.test('--help lists every option with default, variable and file key; --version prints the version', async (t) => {
  const help = spawnSync(process.execPath, [...cli, '--help'], { encoding: 'utf8' });
  t.equal(help.status, 0);
  for (const option of OPTIONS) {
    t.match(help.stdout, new RegExp(`--${option.flag} .*\\n.*default .*; env ${option.env}; file key ${option.key}`));
  }
  t.match(help.stdout, /--config FILE/);
  const version = spawnSync(process.execPath, [...cli, '--version'], { encoding: 'utf8' });
  t.equal(version.stdout.trim(), pkg.version);
});

t.test('--tls-cert and --tls-key serve HTTPS', async (t) => {
  const dir = t.testdir();
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { encoding: 'utf8' });
  t.equal(made.status, 0, made.stderr);
  const { url } = await startCommand(t, ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem'), '--log-format', 'json']);
  t.match(url, /^https:\/\//);
  const body = await new Promise<string>((resolve, reject) => {
    request(`${url}/_emulator/health`, { ca: readFileSync(join(dir, 'cert.pem')) }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
    }).on('error', reject).end();
  });
  t.match(JSON.parse(body), { status: 'ok' });
  const port = new URL(url).port;
  const check = spawnSync(process.execPath, [...cli, 'healthcheck', '--port', port, '--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')], { encoding: 'utf8' });
  t.equal(check.status, 0, `healthcheck over HTTPS: ${check.stdout}${check.stderr}`);
  t.match(check.stdout, `https://127.0.0.1:${port}/_emulator/health: 200 ok`);
  const missing = spawnSync(process.execPath, [...cli, '--tls-cert', join(dir, 'nope.pem'), '--tls-key', join(dir, 'key.pem')], { encoding: 'utf8' });
  t.equal(missing.status, 2);
  t.match(missing.stderr, /^hss-emulator: --tls-cert .*nope\.pem: ENOENT/);
});

t.test('logs: JSON lines by default off a terminal, readable with --log-format pretty', async (t) => {
  const json = await startCommand(t, []);
  t.doesNotThrow(() => json.lines.map((l) => JSON.parse(l)), 'every line is JSON');
  const ready = json.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'hss-emulator ready');
  t.match(ready, { url: json.url, docs: `${json.url}/_emulator/docs`, dashboard: `${json.url}/_emulator/ui` }, 'the ready line gives the API, docs and dashboard URLs');
  const pretty = await startCommand(t, ['--log-format', 'pretty']);
  const readyLine = pretty.lines.find((l) => l.includes('hss-emulator ready'))!;
  t.throws(() => JSON.parse(readyLine), 'not JSON');
  t.match(readyLine, /INFO.*hss-emulator ready/);
  const quiet = spawnSync(process.execPath, [...cli, '--port', '0', '--db', ':memory:', '--log-level', 'silent', '--version'], { encoding: 'utf8' });
  t.equal(quiet.status, 0);
});

