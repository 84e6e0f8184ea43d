/**
 * Starts the emulator the way a user does (the built command) and runs the README's curl
 * flow over a real socket.
 */
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readmeCurlCalls, type CurlCall } from './helpers/readme.js';

const cli = new URL('../dist/src/cli.js', import.meta.url).pathname;
const EXAMPLE_IMAGES = ['c499ab72-7ee9-4ee6-b6b7-5973230e7a7b', 'b8722a02-162f-4e4e-8100-127605e3a07b'];

type ImageList = { data_list: { image_id: string; scan_status: string; latest_scan_time: number }[] };
const statusOf = (list: ImageList, id: string) => list.data_list.find((i) => i.image_id === id)?.scan_status;

/** Runs the built command and resolves with its URL once it logs that it is ready. */
async function startCommand(t: Test, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [cli, '--port', '0', '--db', ':memory:', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => void child.kill('SIGKILL'));
  for await (const line of createInterface({ input: child.stdout! })) {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    if (entry.msg === 'hss-emulator ready') {
      child.stdout!.resume();
      return entry.url!;
    }
  }
  throw new Error('the emulator exited before it was ready');
}

function send(base: string, call: CurlCall) {
  return fetch(call.url.replace('http://127.0.0.1:9080', base), { method: call.method, headers: call.headers, body: call.body });
}

t.test('the README curl flow, against the started command', async (t) => {
  const calls = readmeCurlCalls();
  t.equal(calls.length, 5, 'batch-scan, list, hosts, containers, apps');
  const [scan, list, ...details] = calls as [CurlCall, CurlCall, ...CurlCall[]];

  const manual = await startCommand(t, ['--clock', 'manual']);
  const scanned = await send(manual, scan);
  t.equal(scanned.status, 200);
  t.same(await scanned.json(), {});
  t.match(scanned.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
  const during = (await (await send(manual, list)).json()) as ImageList;
  for (const id of EXAMPLE_IMAGES) t.match(statusOf(during, id), /^(waiting|scanning)$/, id);
  for (const call of details) {
    const res = await send(manual, call);
    t.equal(res.status, 200, call.url);
    t.ok(((await res.json()) as { total_num: number }).total_num > 0, `${call.url} lists something`);
  }

  const instant = await startCommand(t, ['--scan-base-ms', '0', '--scan-throughput-mb-s', '0']);
  t.equal((await send(instant, scan)).status, 200);
  const after = (await (await send(instant, list)).json()) as ImageList;
  for (const id of EXAMPLE_IMAGES) {
    t.equal(statusOf(after, id), 'success', id);
    t.ok(after.data_list.find((i) => i.image_id === id)!.latest_scan_time > 0);
  }
});

t.test('SIGTERM stops the command cleanly', async (t) => {
  const child = spawn(process.execPath, [cli, '--port', '0', '--db', ':memory:'], { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.includes('hss-emulator ready')) break;
  }
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  t.equal(await exited, 0);
});
