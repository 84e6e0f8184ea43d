/**
 * The control-plane routes the dashboard is built on (public, documented, usable by anyone):
 * a project's images a page at a time with counts per status, its scan lanes, and a
 * batch-scan without cloud credentials.
 */
import t from 'tap';
import { AGENT_IMAGE, PROJECT_A, T0, build, expectError } from './helpers/build.js';

const images = (query = '') => `/_emulator/projects/${PROJECT_A}/images${query}`;

t.test('a page of images: sorted, filtered, counted per status', async (t) => {
  const emu = build(t);
  const first = (await emu.control('GET', images('?limit=5'))).body;
  t.match(first, { project_id: PROJECT_A, total: 14, offset: 0, limit: 5, counts: { unscan: 8, waiting: 0, scanning: 0, success: 4, failed: 2 } });
  t.equal(first.images.length, 5);
  const times = first.images.map((i: { latest_update_time: number }) => i.latest_update_time);
  t.same(times, [...times].sort((a, b) => b - a), 'newest first by default');
  t.match(first.images[0], { image_id: String, image_name: String, scan_status: String, scan_script: [] });
  t.notOk('image_pk' in first.images[0], 'no storage keys');

  const byName = (await emu.control('GET', images('?sort=image_name&limit=3'))).body.images.map((i: { image_name: string }) => i.image_name);
  t.same(byName, ['alpine', 'busybox', 'mcr.microsoft.com/windows/servercore'], 'names a to z by default');
  const desc = (await emu.control('GET', images('?sort=image_name&order=desc&limit=1'))).body.images[0].image_name;
  t.equal(desc, 'swr.cn-north-7.myhuaweicloud.com/team/frontend');

  t.equal((await emu.control('GET', images('?name=team'))).body.total, 2, 'name: a substring');
  const failed = (await emu.control('GET', images('?scan_status=failed'))).body;
  t.same([failed.total, failed.counts.failed], [2, 2]);
  const second = (await emu.control('GET', images('?sort=image_name&offset=3&limit=3'))).body.images[0].image_name;
  t.equal(second, 'mysql', 'offset pages on');

  await expectError(t, await emu.app.inject({ method: 'GET', url: images('?sort=image_pk') }), 400, 'HSS.0001', /sort/);
  await expectError(t, await emu.app.inject({ method: 'GET', url: images('?limit=501') }), 400, 'HSS.0001', /limit/);
  await expectError(t, await emu.app.inject({ method: 'GET', url: '/_emulator/projects/nope/images' }), 404, 'EMULATOR.0404', /nope/);
});

t.test('batch-scan from the control plane, and the lanes it fills', async (t) => {
  const emu = build(t, { lanes: 2 });
  const scan = await emu.control('POST', `/_emulator/projects/${PROJECT_A}/batch-scan`, { operate_all: true, image_name: 'swr.cn-north-7' });
  t.equal(scan.res.statusCode, 200);
  t.match(scan.body, { started: 6, images: Array });
  t.equal(scan.body.images.length, 6, 'the images it scans, named');

  const lanes = (await emu.control('GET', `/_emulator/projects/${PROJECT_A}/scans`)).body;
  t.match(lanes, { project_id: PROJECT_A, now: T0, lanes: 2, done: [] });
  t.equal(lanes.in_flight.length, 6);
  t.same(new Set(lanes.in_flight.map((s: { lane: number }) => s.lane)), new Set([0, 1]), 'two lanes');
  t.match(lanes.in_flight[0], { image_id: String, image_name: /^swr\.cn-north-7/, start_at: T0, phase: 'scanning', outcome: String });
  const waiting = lanes.in_flight.filter((s: { phase: string }) => s.phase === 'waiting');
  t.equal(waiting.length, 4, 'four wait for a free lane');
  t.ok(waiting.every((s: { start_at: number }) => s.start_at > T0));
  const counts = (await emu.control('GET', images('?limit=1'))).body.counts;
  t.match(counts, { waiting: 4, scanning: 2 }, 'the counts agree');

  emu.clock.advance(24 * 3_600_000);
  const after = (await emu.control('GET', `/_emulator/projects/${PROJECT_A}/scans?limit=10`)).body;
  t.same(after.in_flight, []);
  t.equal(after.done.length, 6, 'finished, newest first');
  t.ok(after.done.every((s: { phase: string }) => s.phase === 'done'));

  t.equal((await emu.control('GET', '/_emulator/requests')).body.requests.length, 0, 'control-plane calls are not cloud calls');
  await expectError(t, await emu.app.inject({ method: 'POST', url: `/_emulator/projects/${PROJECT_A}/batch-scan`, payload: {} }), 400, 'HSS.0001', /image_info_list must hold 1 to/);
  await expectError(t, await emu.app.inject({ method: 'POST', url: '/_emulator/projects/nope/batch-scan', payload: { image_info_list: [{ image_id: AGENT_IMAGE }] } }), 404, 'EMULATOR.0404');
});
