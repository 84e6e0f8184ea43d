/**
 * One interface, two transports: every scenario runs against startEmulator()'s handle (in
 * process, through inject) and against connectEmulator() (over HTTP, with the admin token),
 * and must see the same answers.
 */
import t, { type Test } from 'tap';
import { startEmulator, type EmulatorControl } from '../src/index.js';
import { connectEmulator, HssError } from '../src/client/connect.js';
import { AGENT_IMAGE, PROJECT_A, PROJECT_B, T0 } from './helpers/build.js';

const options = { auth: 'off' as const, scan_throughput_mb_s: 0, clock_start: T0, admin_token: 'handle-token' };

const handles: Record<string, (t: Test) => Promise<EmulatorControl>> = {
  'startEmulator (in process)': async (t) => {
    const emulator = await startEmulator(options);
    t.teardown(() => emulator.close());
    return emulator;
  },
  'connectEmulator (over HTTP)': async (t) => {
    const server = await startEmulator(options);
    t.teardown(() => server.close());
    const client = connectEmulator(server.url, { adminToken: options.admin_token });
    t.teardown(() => client.close());
    return client;
  },
};

const image = {
  project_id: PROJECT_B,
  enterprise_project_id: '0',
  image_id: 'handle-image',
  image_name: 'registry.example.com/handle/app',
  image_digest: `sha256:${'ef'.repeat(32)}`,
  image_version: '2.0',
  local_image_type: 'other_image' as const,
  image_size: 5_000_000,
  latest_update_time: T0,
};

async function refused(t: Test, call: Promise<unknown>, statusCode: number, errorCode: string, message?: RegExp) {
  const error = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  t.ok(error instanceof HssError, `refused: ${errorCode}`);
  t.match(error, { statusCode, errorCode, ...(message ? { message } : {}) });
}

const cloud = (emu: EmulatorControl, path: string, body?: unknown) =>
  fetch(`${emu.url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const scenarios: Record<string, (t: Test, emu: EmulatorControl) => Promise<void>> = {
  'images, a scripted failure and the clock': async (t, emu) => {
    t.equal(await emu.images.upsert([image]), 1);
    const script = await emu.scripts.set('handle-image', [{ outcome: 'failed', scan_failed_desc: 'docker_offline', duration_ms: 100 }]);
    t.match(script, { project_id: PROJECT_B, image_id: 'handle-image', scan_script: [{ outcome: 'failed' }] });
    t.equal((await cloud(emu, `/v5/${PROJECT_B}/image/local/batch-scan`, { image_info_list: [{ image_id: 'handle-image' }] })).status, 200);
    t.match(await emu.clock.advance(100), { mode: 'manual', now: T0 + 100 });
    t.equal(await emu.clock.now(), T0 + 100);
    t.match(await emu.images.list({ project_id: PROJECT_B, image_id: 'handle-image' }), [
      { scan_status: 'failed', scan_failed_desc: 'docker_offline', latest_scan_time: T0 + 100, scan_script: [] },
    ]);
    t.equal(await emu.images.remove(PROJECT_B, 'handle-image'), 1);
    t.match(await emu.clock.set('2026-12-01T00:00:00Z'), { now: Date.UTC(2026, 11, 1) });
    t.match(await emu.clock.setMode('manual'), { mode: 'manual' });
  },
  'projects, faults and the journal of one project': async (t, emu) => {
    const created = await emu.projects.create({ project_id: 'handle-job', region: 'cn-north-4' });
    t.match(created, { project_id: 'handle-job', region: 'cn-north-4', users: ['admin'], images: 0 });
    t.ok((await emu.projects.list()).some((p) => p.project_id === 'handle-job'));
    const fault = await emu.faults.add({ operation: 'ListImageLocal', project_id: 'handle-job', status: 503 });
    t.match(fault, { id: Number, project_id: 'handle-job', hits: 0 });
    t.equal((await cloud(emu, '/v5/handle-job/image/local-repositories')).status, 503);
    t.equal((await cloud(emu, `/v5/${PROJECT_A}/image/local-repositories`)).status, 200);
    t.match(await emu.faults.list('handle-job'), [{ id: fault.id, hits: 1 }]);
    t.match(await emu.journal.list({ project_id: 'handle-job' }), [{ operation: 'ListImageLocal', status: 503, project_id: 'handle-job' }]);
    await emu.faults.remove(fault.id);
    t.same(await emu.faults.list(), []);
    await emu.journal.clear('handle-job');
    t.same(await emu.journal.list({ project_id: 'handle-job' }), []);
    t.equal((await emu.journal.list()).length, 1, "the other project's call stays");
    await emu.faults.add({ operation: 'ListImageLocal', status: 500 });
    await emu.faults.clear();
    t.same(await emu.faults.list(), []);
    await emu.projects.remove('handle-job');
    t.notOk((await emu.projects.list()).some((p) => p.project_id === 'handle-job'));
  },
  'the event stream: scans, then a reset': async (t, emu) => {
    // from the first event on (a fresh emulator), however late the stream connects
    const events = emu.events({ projectId: PROJECT_A, lastEventId: 0 })[Symbol.asyncIterator]();
    const first = events.next();
    t.equal((await cloud(emu, `/v5/${PROJECT_A}/image/local/batch-scan`, { image_info_list: [{ image_id: AGENT_IMAGE }] })).status, 200);
    t.match((await first).value, { event: 'scan', data: { project_id: PROJECT_A, image_id: AGENT_IMAGE, from: 'unscan', to: 'waiting' } });
    t.match((await events.next()).value, { event: 'scan', data: { to: 'scanning' } });
    await emu.reset({ project_id: PROJECT_A });
    t.match((await events.next()).value, { event: 'reset', data: { project_id: PROJECT_A, to: 'fixtures' } });
    await events.return?.();
  },
  'state out and back in': async (t, emu) => {
    const exported = await emu.state.export({ includeSecrets: true });
    t.match(JSON.parse(exported), { schema_version: Number, tables: { images: Array } });
    await emu.reset({ fixtures: false });
    t.same(await emu.images.list({ project_id: PROJECT_A }), []);
    await emu.state.import(exported);
    t.equal(await emu.state.export({ includeSecrets: true }), exported, 'byte for byte');
  },
  'a refusal is an HssError with the status and code the control plane answered': async (t, emu) => {
    await refused(t, emu.faults.add({ operation: 'KeystoneListProjects', project_id: 'x', status: 500 }), 400, 'EMULATOR.0400', /names no project/);
    await refused(t, emu.projects.remove('no-such-project'), 404, 'EMULATOR.0404');
    await refused(t, emu.state.import('{"schema_version": 1, "tables": {}}'), 400, 'EMULATOR.0400', /schema_version/);
    t.type(await emu.clock.now(), 'number', 'and the handle goes on working');
  },
};

for (const [name, start] of Object.entries(handles)) {
  t.test(name, async (t) => {
    for (const [scenario, run] of Object.entries(scenarios)) await t.test(scenario, async (t) => run(t, await start(t)));
  });
}

t.test('connectEmulator without the admin token is refused like any client', async (t) => {
  const server = await startEmulator(options);
  t.teardown(() => server.close());
  const client = connectEmulator(server.url);
  await refused(t, client.projects.list(), 401, 'EMULATOR.0401');
});
