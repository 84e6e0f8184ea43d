/** /_emulator/clock: read, switch mode, set, advance; scans and tokens follow it. */
import t from 'tap';
import { ADMIN, AGENT_IMAGE, PROJECT_A, T0, build, expectError, imageIn, issueToken, started } from './helpers/build.js';
import { EmulatorClock } from '../src/clock/clock.js';

t.test('read and advance; a scan ends when the clock passes its end', async (t) => {
  const emu = build(t);
  t.same((await emu.control('GET', '/_emulator/clock')).body, { mode: 'manual', now: T0, now_iso: '2026-11-27T00:00:00.000Z' });
  await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] });
  const moved = await emu.control('POST', '/_emulator/clock', { advance_ms: 2_930 });
  t.same(moved.body, { mode: 'manual', now: T0 + 2_930, now_iso: '2026-11-27T00:00:02.930Z' });
  t.match(imageIn((await emu.list()).body, AGENT_IMAGE), { scan_status: 'success', latest_scan_time: T0 + 2_930 });
});

t.test('set to an instant, by ms or ISO; never backwards', async (t) => {
  const emu = build(t);
  t.equal((await emu.control('POST', '/_emulator/clock', { now: '2026-12-01T10:00:00Z' })).body.now, Date.UTC(2026, 11, 1, 10));
  t.equal((await emu.control('POST', '/_emulator/clock', { now: Date.UTC(2026, 11, 2) })).body.now_iso, '2026-12-02T00:00:00.000Z');
  await expectError(t, (await emu.control('POST', '/_emulator/clock', { now: T0 })).res, 400, 'EMULATOR.0400', /must not be before/);
  await expectError(t, (await emu.control('POST', '/_emulator/clock', { advance_ms: -5 })).res, 400, 'HSS.0001', /advance_ms must be >= 0/);
  await expectError(t, (await emu.control('POST', '/_emulator/clock', { mode: 'sundial' })).res, 400, 'HSS.0001', /mode must be one of system, manual/);
  await expectError(t, (await emu.control('POST', '/_emulator/clock', { speed: 2 })).res, 400, 'HSS.0001', /unknown field speed/);
});

t.test('token expiry follows the clock', async (t) => {
  const emu = build(t);
  const token = await issueToken(emu.app, ADMIN, PROJECT_A);
  await emu.control('POST', '/_emulator/clock', { advance_ms: 24 * 3_600_000 });
  const res = await emu.app.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local-repositories`, headers: { 'x-auth-token': token } });
  await expectError(t, res, 401, 'APIGW.0307');
});

t.test('system mode runs on from the manual instant and cannot be moved by hand', async (t) => {
  let system = 1_000_000;
  const clock = new EmulatorClock('manual', 5_000_000, () => system);
  t.equal(clock.setMode('system'), 5_000_000, 'continues where manual time stood');
  system += 250;
  t.equal(clock.now(), 5_000_250);
  t.throws(() => clock.advance(10), /system mode/);
  t.equal(clock.setMode('manual'), 5_000_250);
  system += 1_000;
  t.equal(clock.now(), 5_000_250, 'manual time stands still');

  const emu = build(t);
  const switched = await emu.control('POST', '/_emulator/clock', { mode: 'system' });
  t.equal(switched.body.mode, 'system');
  t.ok(switched.body.now >= T0, 'never backwards');
  await expectError(t, (await emu.control('POST', '/_emulator/clock', { advance_ms: 1 })).res, 400, 'EMULATOR.0400', /system mode/);
});

t.test('over a real socket with startEmulator: the HTTP clock and the handle agree', async (t) => {
  const emu = await started(t);
  t.same((await emu.call('POST', '/_emulator/clock', { advance_ms: 1_500 })).body, { mode: 'manual', now: T0 + 1_500, now_iso: '2026-11-27T00:00:01.500Z' });
  t.equal(emu.clock.now(), T0 + 1_500);
  t.equal(emu.clock.set('2026-11-28T00:00:00Z').now, Date.UTC(2026, 10, 28));
  t.equal((await emu.call('GET', '/_emulator/clock')).body.now, Date.UTC(2026, 10, 28));
  t.equal((await emu.call('POST', '/_emulator/clock', { now: T0 })).status, 400);
});
