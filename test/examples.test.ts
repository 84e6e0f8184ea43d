/**
 * examples/ runs as printed: the curl walk-through and the SDK program against a started
 * emulator (examples/scan-gate has its own tap test). The workflow and compose file cannot
 * run here; they are parsed and checked against the real options.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startServer } from '../src/server.js';
import { OPTIONS } from '../src/config/options.js';
import { testConfig } from './helpers/build.js';

const examples = new URL('../examples/', import.meta.url).pathname;

/** Runs a program without blocking this process, which serves the emulator it talks to. */
async function run(file: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { status: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

t.test('the curl walk-through logs in, scans and polls until the scans end', async (t) => {
  const emulator = await startServer({ config: testConfig({ port: 0, clock: 'system', scan_base_ms: 0, scan_throughput_mb_s: 0 }), logger: false });
  t.teardown(() => emulator.app.close());
  const walk = await run('bash', [`${examples}curl-walkthrough.sh`], { BASE_URL: emulator.url });
  t.equal(walk.status, 0, walk.stderr);
  t.match(walk.stdout, /2\. scan two images\n\{\}/);
  t.match(walk.stdout, /done: success success/);
});

t.test('the SDK program lists and scans with AK/SK', async (t) => {
  const emulator = await startServer({ config: testConfig({ port: 0, clock: 'system', clock_start: undefined }), logger: false });
  t.teardown(() => emulator.app.close());
  const program = await run(process.execPath, [`${examples}sdk-list-and-scan.mjs`], { HSS_ENDPOINT: emulator.url });
  t.equal(program.status, 0, program.stderr);
  t.match(program.stdout, /^14 local images\nscanning swr\.cn-north-7\.myhuaweicloud\.com\/scc_hss_container\/install-hss-agent:1\.0\.10\.x86_64\n.* is (waiting|scanning)\n$/);
});

t.test('the compose file and the workflow use real options', async (t) => {
  const knownEnv = new Set(OPTIONS.map((o) => o.env));
  const compose = parse(readFileSync(`${examples}docker-compose.yml`, 'utf8'));
  for (const key of Object.keys(compose.services['hss-emulator'].environment)) t.ok(knownEnv.has(key), key);
  t.same(compose.services['hss-emulator'].ports, ['9080:9080']);
  const workflow = parse(readFileSync(`${examples}github-actions.yml`, 'utf8'));
  const runs = (workflow.jobs.test.steps as { run?: string }[]).map((step) => step.run ?? '').join('\n');
  t.match(runs, /docker build -t hss-emulator \.\/hss-emulator/, 'the image is built in the job: none is published');
  t.match(runs, /docker run -d --name hss -p 9080:9080/);
  t.match(runs, /\{\{\.State\.Health\.Status\}\}'? hss\)" = healthy/, "it waits for the image's own health check");
  const env = [...runs.matchAll(/-e (HSS_EMULATOR_\w+)=/g)].map((m) => m[1]!);
  t.ok(env.length > 0);
  for (const key of env) t.ok(knownEnv.has(key), key);
  t.notMatch(readFileSync(`${examples}github-actions.yml`, 'utf8'), /ghcr\.io|services:/, 'no service container of an image nobody publishes');
});

t.test('the Testcontainers example waits on the health route and is type-checked by npm run lint', async (t) => {
  const example = readFileSync(`${examples}testcontainers/hss-emulator.container-test.ts`, 'utf8');
  t.match(example, /new GenericContainer\('hss-emulator'\)/);
  t.match(example, /Wait\.forHttp\('\/_emulator\/health', 9080\)/);
  t.match(example, /from 'hss-emulator\/client'/, 'the package import a user writes');
  const tsconfig = readFileSync(new URL('../tsconfig.json', import.meta.url), 'utf8');
  t.match(tsconfig, /"include": \[[^\]]*"examples\/\*\*\/\*\.ts"/, 'lint type-checks it against the real testcontainers types');
  for (const line of example.matchAll(/(HSS_EMULATOR_\w+):/g)) t.ok(OPTIONS.some((o) => o.env === line[1]), line[1]!);
});
