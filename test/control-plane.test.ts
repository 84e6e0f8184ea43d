/** The control plane itself: health, dashboard, metrics, admin_token, control_plane: false. */
import t from 'tap';
import { Writable } from 'node:stream';
import { AGENT_IMAGE, T0, build, expectError, started, testConfig } from './helpers/build.js';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock/clock.js';

t.test('health says ready, with version, uptime, clock and inventory size', async (t) => {
  const emu = build(t);
  const { status, body } = await emu.control('GET', '/_emulator/health');
  t.equal(status, 200);
  t.match(body, { status: 'ok', version: /^\d+\.\d+\.\d+/, clock: { mode: 'manual', now: T0 }, images: 20 });
  t.ok(body.uptime_ms >= 0);
});

t.test('the dashboard is a web page that reads the control plane', async (t) => {
  const emu = build(t);
  const { res } = await emu.control('GET', '/_emulator/ui');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html/);
  t.match(res.body, /<title>hss-emulator dashboard<\/title>/);
  t.match(res.headers['content-security-policy'], /default-src 'self'/, 'only its own files, only this server');
  const script = /<script type="module" src="([^"]+)"/.exec(res.body)![1]!;
  const js = await emu.app.inject({ method: 'GET', url: script });
  t.equal(js.statusCode, 200, 'its module is served');
  t.match(js.headers['content-type'], /javascript/);
  t.match(js.body, /new EventSource\(`\/_emulator\/events/, 'it follows the event stream');
  t.equal((await emu.app.inject({ method: 'GET', url: '/_emulator/ui/../package.json' })).statusCode, 404, 'nothing outside ui/');
});

t.test('metrics: requests by operation and status, latency, scans by outcome', async (t) => {
  const emu = build(t, { scan_base_ms: 0, scan_throughput_mb_s: 0 });
  await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] });
  await emu.batchScan({ operate_all: 1 });
  await emu.batchScan({ operate_all: true, image_name: 'postgres' });
  await emu.list();
  const { res } = await emu.control('GET', '/_emulator/metrics');
  t.match(res.headers['content-type'], /text\/plain; version=0\.0\.4/);
  t.match(res.body, /hss_emulator_requests_total\{operation="BatchScanLocalImage",status="200"\} 2/);
  t.match(res.body, /hss_emulator_requests_total\{operation="BatchScanLocalImage",status="400"\} 1/);
  t.match(res.body, /hss_emulator_requests_total\{operation="ListImageLocal",status="200"\} 1/);
  t.match(res.body, /hss_emulator_scans_total\{outcome="success"\} 1/);
  t.match(res.body, /hss_emulator_scans_total\{outcome="failed"\} 1/);
  t.match(res.body, /hss_emulator_request_duration_seconds_bucket\{le="0.005",operation="ListImageLocal"\}/);
});

t.test('admin_token guards every control route but health; cloud routes are unaffected', async (t) => {
  const emu = build(t, { admin_token: 's3cret' });
  await expectError(t, (await emu.control('GET', '/_emulator/clock')).res, 401, 'EMULATOR.0401', /Bearer/);
  const wrong = await emu.app.inject({ method: 'GET', url: '/_emulator/clock', headers: { authorization: 'Bearer nope' } });
  t.equal(wrong.statusCode, 401);
  const right = await emu.app.inject({ method: 'GET', url: '/_emulator/clock', headers: { authorization: 'Bearer s3cret' } });
  t.equal(right.statusCode, 200);
  t.equal((await emu.control('GET', '/_emulator/health')).status, 200);
  t.equal((await emu.list()).res.statusCode, 200);
});

t.test('with admin_token a browser logs in once: an HttpOnly, SameSite=Strict cookie opens the dashboard and docs', async (t) => {
  const lines: string[] = [];
  const logStream = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  const emu = buildApp({ config: testConfig({ admin_token: 's3cret', log_level: 'info' }), clock: new ManualClock(T0), logStream });
  t.teardown(() => emu.app.close());
  const get = (url: string, headers: Record<string, string> = {}) => emu.app.inject({ method: 'GET', url, headers });
  t.equal((await get('/_emulator/ui')).statusCode, 401, 'no header, no cookie');
  t.match((await get('/_emulator/ui')).json().error_msg, /\/_emulator\/login\?token=/, 'the 401 says how a browser gets in');

  const wrong = await get('/_emulator/login?token=nope');
  t.equal(wrong.statusCode, 401);
  t.equal(wrong.headers['set-cookie'], undefined, 'a wrong token sets nothing');

  const login = await get('/_emulator/login?token=s3cret');
  t.equal(login.statusCode, 303);
  t.equal(login.headers.location, '/_emulator/ui');
  const cookie = String(login.headers['set-cookie']);
  t.match(cookie, /^hss_emulator_admin=[0-9a-f]{64}; Path=\/_emulator; HttpOnly; SameSite=Strict$/);
  t.notMatch(cookie, /s3cret/, 'the cookie holds a digest, not the token');
  const session = { cookie: cookie.split(';')[0]! };
  t.equal((await get('/_emulator/ui', session)).statusCode, 200, 'the dashboard opens');
  t.equal((await get('/_emulator/docs/', session)).statusCode, 200, 'so does Swagger UI');
  t.equal((await get('/_emulator/clock', { cookie: 'hss_emulator_admin=' + 'f'.repeat(64) })).statusCode, 401, 'a forged cookie does not');
  t.equal((await get('/_emulator/login?token=s3cret&next=/_emulator/docs')).headers.location, '/_emulator/docs');
  t.equal((await get('/_emulator/login?token=s3cret&next=https://evil.example/')).statusCode, 400, 'next stays on the control plane');

  const logout = await emu.app.inject({ method: 'POST', url: '/_emulator/logout', headers: session });
  t.equal(logout.statusCode, 204);
  t.match(String(logout.headers['set-cookie']), /^hss_emulator_admin=; .*Max-Age=0/);
  t.match(lines.join(''), /_emulator\/login\?token=\[redacted\]/, 'the login is logged…');
  t.notMatch(lines.join(''), /s3cret/, '…but the token in its URL never reaches a log line');
});

t.test('control_plane: false removes it, all but the health check', async (t) => {
  const emu = build(t, { control_plane: false });
  for (const path of ['/_emulator/reset', '/_emulator/clock', '/_emulator/ui', '/_emulator/openapi.json']) {
    await expectError(t, (await emu.control('GET', path)).res, 404, 'APIGW.0101');
  }
  t.match((await emu.control('GET', '/_emulator/health')).body, { status: 'ok', images: 20 }, 'a container health check still has its route');
  t.equal((await emu.list()).res.statusCode, 200);
});

t.test('over a real socket with startEmulator: health, metrics, dashboard, admin token', async (t) => {
  const emu = await started(t, { admin_token: 'tok' });
  t.match((await emu.call('GET', '/_emulator/health')).body, { status: 'ok', images: 20 });
  t.equal((await emu.call('GET', '/_emulator/metrics')).status, 401);
  const metrics = await emu.call('GET', '/_emulator/metrics', undefined, { authorization: 'Bearer tok' });
  t.match(metrics.body, /# TYPE hss_emulator_requests_total counter/);
  t.match((await emu.call('GET', '/_emulator/ui', undefined, { authorization: 'Bearer tok' })).body, /<!doctype html>/);
});
