/**
 * The published package: `npm pack`, install the tarball into an empty folder, and run
 * `npx hss-emulator` there as a user would.
 */
import t from 'tap';

// npm pack and an install from the local cache on a busy 2-core machine: this file's own limit, well above what it needs
t.setTimeout(180_000);
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cleanEnv } from './helpers/command.js';

const root = new URL('..', import.meta.url).pathname;

t.test('npx hss-emulator from a packed tarball', async (t) => {
  const dir = t.testdir({ pack: {}, user: {} });
  // `npm test` has just built dist/, so pack skips `prepare` (another full build).
  const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', join(dir, 'pack')], { cwd: root, encoding: 'utf8', env: cleanEnv() });
  t.equal(packed.status, 0, packed.stderr);
  const tarball = readdirSync(join(dir, 'pack')).find((f) => f.endsWith('.tgz'))!;
  t.match(tarball, /^hss-emulator-\d+\.\d+\.\d+\.tgz$/);

  const user = join(dir, 'user');
  writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'someone-elses-project', private: true }));
  // Scripts off: better-sqlite3's native build is the Dockerfile test's job; here it is copied
  // from this checkout (same Node, same machine) to keep the suite fast.
  const installed = spawnSync(
    'npm',
    ['install', join(dir, 'pack', tarball), '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    { cwd: user, encoding: 'utf8', timeout: 300_000, env: cleanEnv() },
  );
  t.equal(installed.status, 0, installed.stderr);
  const binding = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  spawnSync('mkdir', ['-p', join(user, 'node_modules/better-sqlite3/build/Release')]);
  copyFileSync(join(root, binding), join(user, binding));

  const files = spawnSync('tar', ['-tzf', join(dir, 'pack', tarball)], { encoding: 'utf8' }).stdout;
  t.match(files, /package\/dist\/bin\/hss-emulator\.mjs/, 'the bin: the bundled command');
  t.match(files, /package\/dist\/lib\/index\.mjs/, 'the library: bundled');
  t.match(files, /package\/dist\/lib\/client\.mjs/);
  t.match(files, /package\/dist\/src\/client\/connect\.d\.ts/, 'its declarations');
  t.match(files, /package\/fixtures\/default\.json/);
  t.match(files, /package\/LICENSE/, 'the license goes with the package');
  const { license } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license: string };
  t.equal(readFileSync(join(root, 'LICENSE'), 'utf8').split('\n')[0], `${license} License`, 'LICENSE is the license package.json names');
  t.notMatch(files, /package\/test\//, 'no tests in the package');
  t.same(files.split('\n').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), [], 'no TypeScript sources besides declarations');

  const client = spawnSync(process.execPath, ['--input-type=module', '-e', "import('hss-emulator/client').then((m) => console.log(typeof m.connectEmulator))"], { cwd: user, encoding: 'utf8' });
  t.equal(client.stdout.trim(), 'function', `hss-emulator/client resolves from the package: ${client.stderr}`);
  // --no-experimental-require-module: Node as it was before 20.19, unable to require() an ES
  // module; the bundles need no such require, so the package runs on every Node 20
  const library = spawnSync(
    process.execPath,
    [
      '--no-experimental-require-module',
      '--input-type=module',
      '-e',
      "const { startEmulator } = await import('hss-emulator'); const e = await startEmulator(); const r = await fetch(e.url + '/_emulator/docs/static/index.html'); const ui = await fetch(e.url + '/_emulator/ui/js/dashboard.js'); console.log(e.clock.now() > 0, (await e.images.list()).length, r.status, ui.status); await e.close();",
    ],
    { cwd: user, encoding: 'utf8' },
  );
  t.equal(library.stdout.trim(), 'true 20 200 200', `startEmulator from the package, Swagger UI's and the dashboard's files served: ${library.stderr}`);

  const version = spawnSync('npx', ['hss-emulator', '--version'], { cwd: user, encoding: 'utf8', env: cleanEnv() });
  t.equal(version.status, 0, version.stderr);
  t.match(version.stdout, /^\d+\.\d+\.\d+\n$/);

  // npx runs the bin in a child of its own: signal the whole process group.
  const server = spawn('npx', ['hss-emulator', '--port', '0', '--db', ':memory:', '--log-format', 'json'], {
    env: cleanEnv(),
    cwd: user,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-server.pid!, name);
    } catch {
      // already gone
    }
  };
  t.teardown(() => signal('SIGKILL'));
  let url = '';
  for await (const line of createInterface({ input: server.stdout! })) {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    if (entry.msg === 'hss-emulator ready') {
      url = entry.url!;
      break;
    }
  }
  server.stdout!.resume();
  const health = (await (await fetch(`${url}/_emulator/health`)).json()) as { status: string; images: number };
  t.match(health, { status: 'ok', images: 20 }, 'the bundled default world loaded from the package');
  const exited = new Promise((resolve) => server.once('exit', resolve));
  signal('SIGTERM');
  await exited;
});
