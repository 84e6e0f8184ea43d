/** Hardening, data safety: no request loses or half-writes data, nothing imported breaks the server later. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { AGENT_IMAGE, PROJECT_A, PROJECT_B, T0, build, expectError, imageIn } from './helpers/build.js';
import { buildApp } from '../src/app.js';
import { MAX_INSTANT } from '../src/clock/clock.js';
import { ScanTicker } from '../src/services/scan-ticker.js';
import { ScanEvents } from '../src/services/scan-events.js';
import { EmulatorClock } from '../src/clock/clock.js';
import type { ScanProgress } from '../src/services/scan-progress.js';
import { testConfig } from './helpers/build.js';

const json = { 'content-type': 'application/json' };

t.test('6. malformed JSON on any control-plane route is 400 HSS.0002 and changes nothing', async (t) => {
  const emu = build(t);
  const snapshot = async () => (await emu.app.inject({ method: 'GET', url: '/_emulator/state?include_secrets=true' })).body;
  const before = await snapshot();
  const routes: [string, string][] = [
    ['POST', '/_emulator/reset'],
    ['POST', '/_emulator/projects'],
    ['POST', '/_emulator/images'],
    ['POST', `/_emulator/images/${AGENT_IMAGE}/script`],
    ['PUT', '/_emulator/state'],
    ['POST', '/_emulator/clock'],
    ['POST', '/_emulator/faults'],
  ];
  for (const [method, url] of routes) {
    for (const payload of [`{"project_id":"${PROJECT_B}"`, '{"fixtures": false,}', 'not json', '{"a":1} trailing']) {
      const res = await emu.app.inject({ method: method as 'POST', url, headers: json, payload });
      await expectError(t, res, 400, 'HSS.0002', /not valid JSON/);
    }
  }
  t.equal(await snapshot(), before, 'the state is byte for byte what it was');
  t.same((await emu.control('GET', '/_emulator/faults')).body.faults, []);
  t.equal((await emu.control('GET', '/_emulator/clock')).body.now, T0, 'the clock did not move');
});

t.test('7. a manual clock on a file database resumes after a restart, never earlier', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hss-clock-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = testConfig({ db: join(dir, 'world.db'), clock_start: T0, scan_base_ms: 60_000, scan_throughput_mb_s: 0 });
  const first = buildApp({ config, logger: false });
  const post = (app: typeof first.app, url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: json, payload: payload as object });
  await post(first.app, '/_emulator/clock', { advance_ms: 3_600_000 });
  await first.app.inject({ method: 'POST', url: `/v5/${PROJECT_A}/image/local/batch-scan`, headers: { ...json }, payload: { image_info_list: [{ image_id: AGENT_IMAGE }] } });
  const stored = first.clock.now();
  t.equal(stored, T0 + 3_600_000);
  await first.app.close();

  const second = buildApp({ config, logger: false });
  t.equal(second.clock.now(), stored, 'the clock resumes from its stored reading, not from --clock-start');
  t.equal(second.clock.mode, 'manual');
  await second.app.close();

  const later = buildApp({ config: { ...config, clock_start: stored + 5_000 }, logger: false });
  t.equal(later.clock.now(), stored + 5_000, 'a later --clock-start wins');
  await later.app.close();
  const system = buildApp({ config: { ...config, clock: 'system', clock_start: undefined }, logger: false });
  t.ok(system.clock.now() >= stored + 5_000, 'a system clock never starts before the stored reading');
  await system.app.close();
});

t.test('7. scans in flight go on after a restart of a manual clock', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hss-clock-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = testConfig({ db: join(dir, 'world.db'), auth: 'off', scan_base_ms: 60_000, scan_throughput_mb_s: 0 });
  const first = buildApp({ config, logger: false });
  await first.app.inject({ method: 'POST', url: '/_emulator/clock', headers: json, payload: { advance_ms: 3_600_000 } });
  const scan = await first.app.inject({ method: 'POST', url: `/v5/${PROJECT_A}/image/local/batch-scan`, headers: json, payload: { image_info_list: [{ image_id: AGENT_IMAGE }] } });
  t.equal(scan.headers['x-emulator-matched'], '1');
  await first.app.close();
  const second = buildApp({ config, logger: false });
  t.teardown(() => second.app.close());
  await second.app.inject({ method: 'POST', url: '/_emulator/clock', headers: json, payload: { advance_ms: 60_000 } });
  const list = await second.app.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local-repositories?limit=200` });
  t.equal(imageIn(list.json(), AGENT_IMAGE)?.scan_status, 'success', 'the scan ended when its time came');
  t.equal(imageIn(list.json(), AGENT_IMAGE)?.latest_scan_time, T0 + 3_600_000 + 60_000);
});

t.test('8. an import with values that could break the server later is refused whole, naming the path', async (t) => {
  const emu = build(t);
  await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] });
  await emu.control('POST', `/_emulator/images/${AGENT_IMAGE}/script`, [{ outcome: 'failed' }]);
  const good = JSON.parse((await emu.app.inject({ method: 'GET', url: '/_emulator/state?include_secrets=true' })).body);
  const before = JSON.stringify(good);
  const cases: [string, (s: typeof good) => void, RegExp][] = [
    ['scans.result not JSON', (s) => (s.tables.scans[0].result = 'not json'), /tables\.scans\[0\]\.result must be JSON text/],
    ['scans.result wrong shape', (s) => (s.tables.scans[0].result = '{"vul_num":"many"}'), /tables\.scans\[0\]\.result/],
    ['users.enterprise_grant text', (s) => (s.tables.users[0].enterprise_grant = 'everything'), /tables\.users\[0\]\.enterprise_grant must be JSON text/],
    ['images.scan_rule', (s) => (s.tables.images[0].scan_rule = '{"outcome":"exploded"}'), /tables\.images\[0\]\.scan_rule\.outcome/],
    ['images.vul_num text', (s) => (s.tables.images[0].vul_num = 'lots'), /tables\.images\[0\]\.vul_num/],
    ['images.latest_update_time text', (s) => (s.tables.images[0].latest_update_time = 'yesterday'), /tables\.images\[0\]\.latest_update_time/],
    ['images.scan_status unknown', (s) => (s.tables.images[0].scan_status = 'exploded'), /tables\.images\[0\]\.scan_status/],
    ['scan_scripts.step', (s) => (s.tables.scan_scripts[0].step = '[1,2]'), /tables\.scan_scripts\[0\]\.step/],
    ['a huge key', (s) => (s.tables.images[0].image_pk = 1.23e29), /tables\.images\[0\]\.image_pk/],
    ['a fractional key', (s) => (s.tables.hosts[0].host_pk = 1.5), /tables\.hosts\[0\]\.host_pk/],
    ['a time past the clock range', (s) => (s.tables.tokens[0] = { ...s.tables.tokens[0], expires_at: 9e15 }), /tables\.tokens\[0\]\.expires_at/],
    ['an unknown column', (s) => (s.tables.images[0].colour = 'red'), /tables\.images\[0\]: unknown column colour/],
    ['a missing column', (s) => delete s.tables.images[0].image_name, /tables\.images\[0\]\.image_name is required/],
    ['an unknown table', (s) => (s.tables.secrets = []), /unknown table secrets/],
    ['a broken reference', (s) => (s.tables.images[0].project_id = 'nowhere'), /tables\.images: FOREIGN KEY/],
    ['a duplicate key', (s) => s.tables.projects.push(s.tables.projects[0]), /tables\.projects\[2\]: UNIQUE constraint failed/],
    ['another schema version', (s) => (s.schema_version = 1), /schema_version 1 is not this emulator's/],
  ];
  for (const [name, spoil, message] of cases) {
    const state = structuredClone(good);
    spoil(state);
    const res = await emu.app.inject({ method: 'PUT', url: '/_emulator/state', headers: json, payload: JSON.stringify(state) });
    await expectError(t, res, 400, 'EMULATOR.0400', message);
    t.comment(name);
  }
  t.equal((await emu.app.inject({ method: 'GET', url: '/_emulator/state?include_secrets=true' })).body, before, 'nothing was imported');
  t.equal((await emu.list()).res.statusCode, 200, 'the server still answers');
});

t.test('9. the clock cannot be pushed past the date range, and a refused change changes nothing', async (t) => {
  const emu = build(t);
  const clock = () => emu.control('GET', '/_emulator/clock').then((r) => r.body);
  for (const body of [{ advance_ms: 9e15 }, { now: 8_640_000_000_000_001 }, { now: '+275760-09-13T00:00:00.001Z' }, { mode: 'system', now: MAX_INSTANT + 1 }]) {
    const res = await emu.control('POST', '/_emulator/clock', body);
    t.equal(res.status, 400, JSON.stringify(body));
  }
  const near = await emu.control('POST', '/_emulator/clock', { now: MAX_INSTANT - 10 });
  t.equal(near.status, 200);
  const past = await emu.control('POST', '/_emulator/clock', { mode: 'system', advance_ms: 11 });
  t.equal(past.status, 400);
  t.same(await clock(), { mode: 'manual', now: MAX_INSTANT - 10, now_iso: new Date(MAX_INSTANT - 10).toISOString() }, 'mode and time as they were');
  const login = await emu.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'Admin@12345', domain: { name: 'hss-emulator' } } } }, scope: { project: { id: PROJECT_A } } } } });
  t.equal(login.statusCode, 201, 'logins still work at the end of time');
});

t.test('10. a world above the old body limit exports and imports in bounded memory', async (t) => {
  const emu = build(t);
  const image = (i: number) => ({
    project_id: PROJECT_B,
    enterprise_project_id: '0',
    image_id: `bulk-${i}`,
    image_name: `swr.example.com/bulk/a-longer-repository-path/image-${i}`,
    image_digest: `sha256:${i.toString(16).padStart(64, '0')}`,
    image_version: 'v1',
    local_image_type: 'other_image',
    image_size: 1000 + i,
    latest_update_time: T0 - i,
  });
  // the old limit was hit near 21,000 images; the bench does a million
  for (let start = 0; start < 24_000; start += 8_000) {
    const res = await emu.control('POST', '/_emulator/images', { images: Array.from({ length: 8_000 }, (_, i) => image(start + i)) });
    t.equal(res.status, 200);
  }
  const exported = await emu.app.inject({ method: 'GET', url: '/_emulator/state?include_secrets=true' });
  t.ok(exported.body.length > 12 * 1024 * 1024, `the export (${(exported.body.length / 1024 ** 2).toFixed(1)} MB) is above the 12 MB body limit`);
  await emu.control('POST', '/_emulator/reset', { fixtures: false });
  const imported = await emu.app.inject({ method: 'PUT', url: '/_emulator/state', headers: json, payload: exported.body });
  t.equal(imported.statusCode, 200, imported.body);
  t.equal((await emu.control('GET', '/_emulator/health')).body.images, 24_020);
  t.equal((await emu.app.inject({ method: 'GET', url: '/_emulator/state?include_secrets=true' })).body, exported.body, 'byte for byte');
});

t.test('11. an error in the scan ticker is reported once and never leaves its timer', async (t) => {
  const armed: { callback: () => void; ms: number }[] = [];
  const timers = { setTimeout: (callback: () => void, ms: number) => (armed.push({ callback, ms }), {}), clearTimeout: () => undefined };
  let failures = 0;
  const progress = {
    nextChangeAt: () => T0,
    catchUpTo: () => {
      failures++;
      throw new Error('the database is unhappy');
    },
  } as unknown as ScanProgress;
  const ticker = new ScanTicker(new EmulatorClock('system', undefined), progress, new ScanEvents(), timers);
  const reported: unknown[] = [];
  ticker.onError = (err) => reported.push(err);
  ticker.poke();
  for (let i = 0; i < 3; i++) armed[armed.length - 1]!.callback();
  t.equal(failures, 3, 'it kept trying');
  t.equal(reported.length, 1, 'reported once, not on every try');
  t.equal(armed[armed.length - 1]!.ms, 1000, 'it retries after a pause');
  ticker.stop();
});
