/** The command's life: its healthcheck, and how SIGTERM ends it. */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { Agent, get } from 'node:http';
import { CLI, startCommand } from './helpers/command.js';

const cli = CLI;

t.test('healthcheck: exit 0 when the server its options start is up, 1 otherwise', async (t) => {
  const { url } = await startCommand(t, ['--admin-token', 'tok', '--control-plane', 'false']);
  const port = new URL(url).port;
  const check = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [...cli, 'healthcheck', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const up = check(['--port', port, '--admin-token', 'tok']);
  t.equal(up.status, 0, up.stderr);
  t.equal(up.stdout, `hss-emulator healthcheck: http://127.0.0.1:${port}/_emulator/health: 200 ok\n`);
  t.equal(check([], { HSS_EMULATOR_PORT: port, HSS_EMULATOR_HOST: '0.0.0.0' }).status, 0, 'from the environment, a wildcard host probed on loopback');
  t.notMatch(up.stdout + up.stderr, /tok/, 'the admin token is not printed');
  const down = check(['--port', '1']); // nothing listens on tcpmux
  t.equal(down.status, 1);
  t.match(down.stderr, /^hss-emulator healthcheck: http:\/\/127\.0\.0\.1:\d+\/_emulator\/health: connect ECONNREFUSED/);
  const anyPort = check(['--port', '0']);
  t.equal(anyPort.status, 1);
  t.match(anyPort.stderr, /port 0 .* cannot be probed/);
  t.equal(check(['--lanes', '0']).status, 2, 'a bad option is the usual configuration error');
});

t.test('SIGTERM: a clean exit 0 idle, with a request in flight, and past the grace period', async (t) => {
  const PROJECT = '2b31ed520b4d4e0a9c3d7f6e5a4b3c21';
  const cases: { name: string; latencyMs?: number; grace?: string; inFlight?: 'answered' | 'cut off' }[] = [
    { name: 'nothing to wait for' },
    // the answer also ends its keep-alive connection, so the close does not wait on it
    { name: 'a request in flight finishes first', latencyMs: 400, inFlight: 'answered' },
    // #8 item 12: a 60 s request and an idle keep-alive connection do not hold the exit up
    { name: 'a request past the grace period is cut off', latencyMs: 60_000, grace: '500', inFlight: 'cut off' },
  ];
  for (const { name, latencyMs, grace, inFlight } of cases) {
    const { url, child } = await startCommand(t, ['--auth', 'off', ...(grace ? ['--shutdown-grace-ms', grace] : [])]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let request: Promise<Response | 'cut off'> | undefined;
    const idle = new Agent({ keepAlive: true });
    if (latencyMs !== undefined) {
      await fetch(`${url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operation: 'ListImageLocal', latency_ms: latencyMs }) });
      await new Promise<void>((resolve) => get(`${url}/_emulator/health`, { agent: idle }, (r) => (r.resume(), r.on('end', resolve))));
      request = fetch(`${url}/v5/${PROJECT}/image/local-repositories`).catch(() => 'cut off' as const);
      // in flight once the fault has drawn it
      const hits = async () => ((await (await fetch(`${url}/_emulator/faults`)).json()) as { faults: { hits: number }[] }).faults[0]!.hits;
      while ((await hits()) === 0);
    }
    const asked = Date.now();
    child.kill('SIGTERM');
    t.equal(await exited, 0, `${name}: exit code 0`);
    t.ok(Date.now() - asked < 5_000, `${name}: exited well before the default 10 s grace period`);
    const outcome = await request;
    if (inFlight === 'answered') {
      t.equal(outcome !== 'cut off' && outcome?.status, 200, `${name}: the request got its answer`);
      t.equal(outcome !== 'cut off' && outcome?.headers.get('connection'), 'close', `${name}: and its connection ended with it`);
    }
    if (inFlight === 'cut off') t.equal(outcome, 'cut off', name);
    idle.destroy();
  }
});
