/**
 * No Docker engine runs here, so this replays the Dockerfile's recipe by hand: the
 * production-only install of the deps stage into a clean folder, the final stage's files,
 * ENV and CMD, then its HEALTHCHECK command and a SIGTERM.
 */
import t from 'tap';

// npm ci of the production tree on a busy 2-core machine: this file's own limit, well above what it needs
t.setTimeout(240_000);
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { cleanEnv } from './helpers/command.js';

const root = new URL('..', import.meta.url).pathname;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

/** The instructions of each stage, by stage name ('final' for the last). */
function stages(): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of dockerfile.split('\n')) {
    const from = /^FROM \S+(?: AS (\S+))?/.exec(line);
    if (from) result.set(from[1] ?? 'final', (current = []));
    else if (/^[A-Z]+ /.test(line)) current.push(line);
  }
  return result;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

t.test('every stage is built on one Node LTS image that better-sqlite3 supports', async (t) => {
  const image = /^ARG NODE_IMAGE=node:(\d+)-bookworm-slim$/m.exec(dockerfile);
  t.ok(image, 'one ARG names the base image');
  const major = Number(image![1]);
  t.equal(major % 2, 0, `Node ${major} is an LTS line (even major)`);
  const { engines } = JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { engines: { node: string } };
  t.ok(engines.node.split('||').map((r) => r.trim()).includes(`${major}.x`), `better-sqlite3 supports Node ${major} (${engines.node})`);
  t.same(dockerfile.match(/^FROM \S+/gm), ['FROM ${NODE_IMAGE}', 'FROM ${NODE_IMAGE}', 'FROM ${NODE_IMAGE}']);
});

t.test('the build stage builds the bundles from what it copies', async (t) => {
  const build = stages().get('build')!;
  const dir = t.testdir({});
  for (const line of build.filter((l) => l.startsWith('COPY '))) {
    const [, ...sources] = line.split(' ').slice(0, -1);
    for (const source of sources) cpSync(join(root, source), join(dir, source), { recursive: true });
  }
  // npm ci is the final stage's test; here the checkout's installed tree stands in for it
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const run = build.find((l) => l.startsWith('RUN npm run'))!.slice(4).split(' ');
  const built = spawnSync(run[0]!, run.slice(1), { cwd: dir, encoding: 'utf8', env: cleanEnv() });
  t.equal(built.status, 0, `${run.join(' ')}: ${built.stdout}${built.stderr}`);
  for (const file of ['dist/bin/hss-emulator.mjs', 'dist/bin/hss-emulator.bundle.cjs', 'dist/lib/index.mjs', 'dist/lib/client.mjs']) {
    t.ok(existsSync(join(dir, file)), file);
  }
});

t.test('the final stage installs, starts, passes its health check and stops cleanly', async (t) => {
  const all = stages();
  const deps = all.get('deps')!;
  const final = all.get('final')!;
  const dir = t.testdir({ app: {}, data: {} });
  const app = join(dir, 'app');
  const data = join(dir, 'data');

  // deps stage: COPY package.json package-lock.json, then its npm RUN line as written
  cpSync(join(root, 'package.json'), join(app, 'package.json'));
  cpSync(join(root, 'package-lock.json'), join(app, 'package-lock.json'));
  const install = deps.find((line) => line.startsWith('RUN npm ci'))!.slice(4);
  t.match(install, /--omit=dev/, 'production dependencies only');
  // No prebuilt better-sqlite3 is reachable here, so its install script would compile it from
  // source (~2 minutes). The binary this checkout already compiled is offered as a local prebuild
  // instead: prebuild-install unpacks it exactly as it would a downloaded one, and the recipe's
  // own `npm rebuild` still runs. CI's `npm ci` covers the compile itself.
  const prebuilds = join(dir, 'prebuilds');
  mkdirSync(prebuilds);
  const sqlite = join(root, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8')) as { version: string };
  const tarball = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const packed = spawnSync('tar', ['-czf', join(prebuilds, tarball), '-C', sqlite, 'build/Release/better_sqlite3.node']);
  t.equal(packed.status, 0, 'the local prebuild is packed');
  const installed = spawnSync('bash', ['-c', install], {
    cwd: app,
    encoding: 'utf8',
    timeout: 200_000,
    env: cleanEnv({ npm_config_better_sqlite3_local_prebuilds: prebuilds }),
  });
  t.equal(installed.status, 0, installed.stderr);
  t.ok(existsSync(join(app, 'node_modules', 'better-sqlite3')), 'installed into the image folder…');
  t.ok(existsSync(join(root, 'node_modules', 'tap')), '…not into this checkout');
  t.notOk(existsSync(join(app, 'node_modules', 'typescript')), 'no dev dependencies');
  t.notOk(existsSync(join(app, 'node_modules', 'tap')), 'no test runner');

  // final stage: COPY the build output and the fixtures
  for (const line of final.filter((l) => l.startsWith('COPY ') && !l.includes('--from=deps'))) {
    const source = line.split(' ').at(-2)!;
    const from = line.includes('--from=build') ? join(root, source.replace('/app/', '')) : join(root, source);
    cpSync(from, join(app, source.replace('/app/', '').replace(/^\.\//, '')), { recursive: true });
  }
  t.ok(existsSync(join(app, 'dist', 'bin', 'hss-emulator.mjs')), 'the bundled command');
  t.match(final.join('\n'), /^USER node$/m, 'runs as a non-root user');
  t.match(final.join('\n'), /^EXPOSE 9080$/m);
  t.match(final.join('\n'), /^VOLUME \["\/data"\]$/m);

  // ENV, with the port and volume moved to this machine's free port and a temp folder
  const port = await freePort();
  const env: Record<string, string> = cleanEnv();
  for (const [, key, value] of final.find((l) => l.startsWith('ENV '))!.matchAll(/(\w+)=(\S+)/g)) env[key!] = value!;
  t.equal(env.HSS_EMULATOR_HOST, '0.0.0.0', 'listens on every interface');
  env.HSS_EMULATOR_PORT = String(port);
  env.HSS_EMULATOR_DB = join(data, 'hss-emulator.db');

  const cmd = JSON.parse(final.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
  const server = spawn(cmd[0]!, cmd.slice(1), { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void server.kill('SIGKILL'));
  let output = '';
  server.stdout.on('data', (chunk) => (output += chunk));
  server.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    server.stdout.on('data', () => output.includes('hss-emulator ready') && resolve());
    void exited.then(() => reject(new Error(`exited early: ${output}`)));
  });

  const health = JSON.parse(/HEALTHCHECK .* CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
  t.notMatch(health.join(' '), /9080|127\.0\.0\.1/, 'the health check hard-codes no port or address');
  // run as Docker does: in WORKDIR, with the image's ENV
  const probe = spawnSync(health[0]!, health.slice(1), { cwd: app, env, encoding: 'utf8' });
  t.equal(probe.status, 0, `HEALTHCHECK passes: ${probe.stdout}${probe.stderr}`);
  t.match(probe.stdout, new RegExp(`http://127\\.0\\.0\\.1:${port}/_emulator/health: 200 ok`));
  t.match(output, /"msg":"hss-emulator ready"/, 'JSON log lines');

  server.kill('SIGTERM');
  t.equal(await exited, 0, 'SIGTERM stops it cleanly');
  t.equal(spawnSync(health[0]!, health.slice(1), { cwd: app, env }).status, 1, 'HEALTHCHECK fails once it is down');
  t.same(readdirSync(data).sort(), ['hss-emulator.db'], 'the database closed cleanly: no WAL left behind');
});
