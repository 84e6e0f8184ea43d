/**
 * Logs people can read: one line per request (operation, status, error code, why a 401
 * failed, duration, project, request id), health checks and scan transitions at debug.
 */
import t, { type Test } from 'tap';
import { Writable } from 'node:stream';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock/clock.js';
import { ADMIN, AGENT_IMAGE, PROJECT_A, T0, issueToken, testConfig } from './helpers/build.js';
import type { LogLevel } from '../src/config/options.js';

function logged(t: Test, level: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  const logStream = new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  const emu = buildApp({ config: testConfig({ log_level: level, scan_throughput_mb_s: 0 }), clock: new ManualClock(T0), wallClock: () => T0, logStream });
  t.teardown(() => emu.app.close());
  return { app: emu.app, lines };
}

const list = `/v5/${PROJECT_A}/image/local-repositories`;

t.test('one info line per request, with operation, status, duration, project and request id', async (t) => {
  const { app, lines } = logged(t, 'info');
  const token = await issueToken(app, ADMIN, PROJECT_A);
  lines.length = 0;
  const res = await app.inject({ method: 'GET', url: `${list}?limit=10`, headers: { 'x-auth-token': token } });
  t.equal(res.statusCode, 200);
  t.equal(lines.length, 1, 'one line, not an "incoming" and a "completed" one');
  t.match(lines[0], {
    level: 30,
    msg: 'ListImageLocal 200',
    operation: 'ListImageLocal',
    status: 200,
    duration_ms: Number,
    project_id: PROJECT_A,
    reqId: res.headers['x-request-id'],
    url: `${list}?limit=10`,
  });
  t.notMatch(JSON.stringify(lines), token, 'the token is nowhere in it');

  lines.length = 0;
  await app.inject({ method: 'GET', url: '/_emulator/health' });
  t.same(lines, [], 'health checks are not logged at info');
  await app.inject({ method: 'GET', url: '/nowhere' });
  t.match(lines, [{ msg: 'GET /nowhere 404 APIGW.0101', status: 404, error_code: 'APIGW.0101' }], 'an unknown route by its method and path');
});

t.test('a 401 says which check failed, never the secret', async (t) => {
  const { app, lines } = logged(t, 'info');
  const cases: [Record<string, string>, RegExp][] = [
    [{}, /neither X-Auth-Token nor an AK\/SK signature/],
    [{ 'x-auth-token': 'MIIhello-not-a-token' }, /an unknown X-Auth-Token/],
    [{ authorization: 'SDK-HMAC-SHA256 Access=NOSUCHAK, SignedHeaders=host, Signature=00' }, /unknown AK/],
    [{ authorization: `SDK-HMAC-SHA256 Access=${ADMIN.ak}, SignedHeaders=host, Signature=00` }, /no X-Sdk-Date/],
    [{ authorization: `SDK-HMAC-SHA256 Access=${ADMIN.ak}, SignedHeaders=host;x-sdk-date, Signature=00`, 'x-sdk-date': '20261127T000000Z' }, /signature does not match/],
    [{ authorization: `SDK-HMAC-SHA256 Access=${ADMIN.ak}, SignedHeaders=host;x-sdk-date, Signature=00`, 'x-sdk-date': '20250101T000000Z' }, /more than 15 minutes from real time/],
  ];
  for (const [headers, reason] of cases) {
    lines.length = 0;
    const res = await app.inject({ method: 'GET', url: list, headers });
    t.equal(res.statusCode, 401);
    t.equal(lines.length, 1);
    t.match(lines[0], { status: 401, error_code: 'APIGW.0301', reason, msg: /^ListImageLocal 401 APIGW\.0301: / });
  }
  t.notMatch(JSON.stringify(lines), /MIIhello|hssEmulatorAdminSecretKey/, 'no token, no SK');
});

t.test('at debug: health checks and every scan transition', async (t) => {
  const { app, lines } = logged(t, 'debug');
  const token = await issueToken(app, ADMIN, PROJECT_A);
  await app.inject({ method: 'GET', url: '/_emulator/health' });
  t.match(lines.at(-1), { level: 20, msg: 'GET /_emulator/health 200' });
  const scan = await app.inject({
    method: 'POST',
    url: `/v5/${PROJECT_A}/image/local/batch-scan`,
    headers: { 'x-auth-token': token, 'content-type': 'application/json' },
    payload: { image_info_list: [{ image_id: AGENT_IMAGE }] },
  });
  t.equal(scan.statusCode, 200);
  const transitions = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('scan '));
  t.match(transitions, [
    { level: 20, msg: `scan ${AGENT_IMAGE} unscan → waiting`, scan: { project_id: PROJECT_A, image_id: AGENT_IMAGE } },
    { level: 20, msg: `scan ${AGENT_IMAGE} waiting → scanning` },
  ]);
});
