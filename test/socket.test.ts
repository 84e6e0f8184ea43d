/**
 * Starts the emulator the way a user does (the built command) and runs the README's
 * examples over a real socket: its curl flow replayed with fetch, the same shell lines run
 * by bash and curl, and its Node snippet with the official SDK core.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startCommand } from './helpers/command.js';
import { README_BASE, readmeBlocks, readmeCurlCalls, type CurlCall } from './helpers/readme.js';

const EXAMPLE_IMAGES = ['c499ab72-7ee9-4ee6-b6b7-5973230e7a7b', 'b8722a02-162f-4e4e-8100-127605e3a07b'];

type ImageList = { total_num: number; data_list: { image_id: string; scan_status: string; latest_scan_time: number }[] };
const statusOf = (list: ImageList, id: string) => list.data_list.find((i) => i.image_id === id)?.scan_status;

/** Replays the README's curl calls with fetch; returns each response's parsed body. */
async function replay(base: string, calls: CurlCall[]): Promise<{ status: number; body: unknown }[]> {
  const vars = new Map<string, string>();
  const results = [];
  for (const call of calls) {
    const headers = Object.fromEntries(
      Object.entries(call.headers).map(([k, v]) => [k, v.replace(/\$(\w+)/g, (_, name: string) => vars.get(name) ?? '')]),
    );
    const res = await fetch(call.url.replace(README_BASE, base), { method: call.method, headers, body: call.body });
    if (call.storesTokenIn) vars.set(call.storesTokenIn, res.headers.get('x-subject-token') ?? '');
    results.push({ status: res.status, body: await res.json() });
  }
  return results;
}

t.test('the README curl flow, replayed with fetch against the started command', async (t) => {
  const calls = readmeCurlCalls();
  t.same(calls.map((c) => `${c.method} ${new URL(c.url).pathname.split('/').slice(-2).join('/')}`), [
    'POST auth/tokens',
    'POST local/batch-scan',
    'GET image/local-repositories',
    'GET local/hosts',
    'GET local/containers',
    'GET local/apps',
  ]);
  const { url: manual } = await startCommand(t, ['--clock', 'manual']);
  const [login, scan, list, ...details] = await replay(manual, calls);
  t.equal(login!.status, 201);
  t.equal(scan!.status, 200);
  t.same(scan!.body, {});
  for (const id of EXAMPLE_IMAGES) t.match(statusOf(list!.body as ImageList, id), /^(waiting|scanning)$/, id);
  for (const detail of details) {
    t.equal(detail.status, 200);
    t.ok((detail.body as ImageList).total_num > 0, 'lists something');
  }

  const { url: instant } = await startCommand(t, ['--scan-base-ms', '0', '--scan-throughput-mb-s', '0']);
  const [, , after] = await replay(instant, calls.slice(0, 3));
  for (const id of EXAMPLE_IMAGES) t.equal(statusOf(after!.body as ImageList, id), 'success', id);
});

t.test('the README shell lines, run by bash and curl', { skip: spawnSync('curl', ['--version']).status !== 0 && 'no curl here' }, async (t) => {
  const { url: base } = await startCommand(t, ['--clock', 'manual']);
  const script = readmeBlocks('sh').filter((block) => block.includes('curl')).join('\n').replaceAll(README_BASE, base);
  const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' });
  t.equal(run.status, 0, run.stderr);
  t.match(run.stdout, /^\{\}/, 'the batch-scan answered {}');
  t.match(run.stdout, /"scan_status":"scanning"/);
  t.notMatch(run.stdout, /error_code/);
});

t.test('the README Node snippet, with the official SDK core in its region-only setup', async (t) => {
  const { url: base } = await startCommand(t, ['--clock', 'manual']);
  const [snippet] = readmeBlocks('js').filter((block) => block.includes('sendRequest'));
  t.match(snippet, /withRegion\(new Region\('cn-north-7'/, 'no project id: the SDK looks it up');
  t.notMatch(snippet, /withProjectId/);
  const file = new URL('../.tap/readme-snippet.mjs', import.meta.url).pathname;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, snippet!.replaceAll(README_BASE, base));
  t.teardown(() => rmSync(file, { force: true }));
  const run = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  t.equal(run.status, 0, run.stderr);
  t.match(run.stdout, /^14 \[/, 'all 14 images of project A');
  t.match(run.stdout, /install-hss-agent:1\.0\.10\.x86_64 unscan/);
});

