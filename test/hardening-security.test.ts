/** Hardening, security: what a hostile client or web page must not be able to do. */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { ADMIN, AGENT_IMAGE, PROJECT_A, T0, build, expectError, passwordLogin } from './helpers/build.js';
import { sdkSign } from './helpers/sdk.js';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock/clock.js';
import { JOURNAL_BODY_CAP, JOURNAL_BYTE_BUDGET } from '../src/http/journal.js';
import { DASHBOARD_ROOT } from '../src/control/dashboard-files.js';
import { testConfig } from './helpers/build.js';

const batchScanUrl = `/v5/${PROJECT_A}/image/local/batch-scan`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

t.test('1. an unauthenticated flood of huge bodies costs bounded memory and is never parsed', async (t) => {
  const emu = build(t);
  // 1,000,000 empty items: ~3 MB of text, ~130 MB once parsed
  const huge = `{"image_info_list":[${Array.from({ length: 1_000_000 }, () => '{}').join(',')}]}`;
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 30; i++) {
    const res = await emu.app.inject({ method: 'POST', url: batchScanUrl, headers: { 'content-type': 'application/json' }, payload: huge });
    t.equal(res.statusCode, 401);
  }
  const grown = (process.memoryUsage().rss - before) / 1024 ** 2;
  t.ok(grown < 400, `RSS grew ${grown.toFixed(0)} MB for 30 requests (unbounded: ~3,900 MB)`);
  t.ok(emu.journal.bytes <= JOURNAL_BYTE_BUDGET, 'the journal stays within its byte budget');
  const [entry] = emu.journal.list({ limit: 1 });
  t.equal(entry?.body, `[not parsed: ${huge.length} bytes]`, 'an unauthenticated body is recorded by its size only');
});

t.test('1. an authenticated huge body is cut in the journal with a marker', async (t) => {
  const emu = build(t);
  const items = Array.from({ length: 900 }, (_, i) => ({ image_name: `name-${i}`.padEnd(200, 'x') }));
  const res = await emu.batchScan({ image_info_list: items });
  t.equal(res.statusCode, 200);
  const [entry] = emu.journal.list({ limit: 1 });
  t.type(entry?.body, 'string');
  t.match(entry?.body, /…\[truncated: \d+ bytes\]$/);
  t.ok(String(entry?.body).length < JOURNAL_BODY_CAP + 64, 'no longer than the per-entry cap');
});

t.test('2. a body swapped past the signature is refused; UNSIGNED-PAYLOAD is honoured as the gateway documents', async (t) => {
  const emu = build(t);
  const signedBody = { image_info_list: [{ image_id: AGENT_IMAGE }] };
  const signed = sdkSign({ method: 'POST', path: batchScanUrl, body: signedBody, ak: ADMIN.ak, sk: ADMIN.sk, projectId: PROJECT_A, at: T0 });
  const swapped = '{"operate_all":true}';
  const res = await emu.app.inject({
    method: 'POST',
    url: signed.url,
    headers: { ...signed.headers, 'x-sdk-content-sha256': sha256(signed.payload!) },
    payload: swapped,
  });
  await expectError(t, res, 401, 'APIGW.0301', /verify aksk signature fail/);
  t.equal(res.headers['x-emulator-matched'], undefined, 'nothing scanned');

  const declaredWrong = await emu.app.inject({ method: 'POST', url: signed.url, headers: { ...signed.headers, 'x-sdk-content-sha256': sha256(swapped) }, payload: signed.payload });
  t.equal(declaredWrong.statusCode, 401, 'a declared hash that is not the body’s is not trusted either');

  const unsigned = sdkSign({
    method: 'POST',
    path: batchScanUrl,
    body: signedBody,
    ak: ADMIN.ak,
    sk: ADMIN.sk,
    projectId: PROJECT_A,
    at: T0,
    headers: { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' },
  });
  const ok = await emu.app.inject({ method: 'POST', url: unsigned.url, headers: unsigned.headers, payload: unsigned.payload });
  t.equal(ok.statusCode, 200, 'a client that chose not to sign its body is accepted');
  t.equal(ok.headers['x-emulator-matched'], '1');
});

t.test('3. cross-site writes and DNS rebinding cannot reach the control plane', async (t) => {
  const emu = build(t);
  const images = async () => (await emu.control('GET', '/_emulator/health')).body.images;
  await emu.control('POST', '/_emulator/images', {
    images: [{ project_id: PROJECT_A, enterprise_project_id: '0', image_id: 'extra', image_name: 'x', image_digest: `sha256:${'1'.repeat(64)}`, image_version: '1', local_image_type: 'other_image', image_size: 1, latest_update_time: T0 }],
  });
  t.equal(await images(), 21);

  const noCors = await emu.app.inject({ method: 'POST', url: '/_emulator/reset', headers: { origin: 'https://evil.example' } });
  await expectError(t, noCors, 403, 'EMULATOR.0403', /other web origins/);
  const plainText = await emu.app.inject({ method: 'POST', url: '/_emulator/reset', headers: { 'content-type': 'text/plain' }, payload: '{}' });
  await expectError(t, plainText, 415, 'EMULATOR.0415', /application\/json/);
  const noType = await emu.app.inject({ method: 'POST', url: '/_emulator/reset' });
  t.equal(noType.statusCode, 415, 'a write with no content type is refused');
  t.equal(await images(), 21, 'nothing was reset');

  const rebound = await emu.app.inject({ method: 'GET', url: '/_emulator/state', headers: { host: 'attacker.example' } });
  await expectError(t, rebound, 403, 'EMULATOR.0403', /Host "attacker.example"/);
  t.notMatch(rebound.body, /hssEmulator/);
  const reboundPort = await emu.app.inject({ method: 'GET', url: '/_emulator/clock', headers: { host: 'attacker.example:9080' } });
  t.equal(reboundPort.statusCode, 403);

  for (const host of ['localhost:9080', '127.0.0.1:9080', '[::1]:9080', 'app.localhost', '10.1.2.3:9080']) {
    const res = await emu.app.inject({ method: 'GET', url: '/_emulator/clock', headers: { host } });
    t.equal(res.statusCode, 200, `Host ${host} is this server`);
  }
  const sameOrigin = await emu.app.inject({
    method: 'POST',
    url: '/_emulator/clock',
    headers: { origin: 'http://127.0.0.1:9080', 'content-type': 'application/json' },
    payload: { advance_ms: 1 },
  });
  t.equal(sameOrigin.statusCode, 200, 'the dashboard’s own requests work');
  const nullOrigin = await emu.app.inject({ method: 'GET', url: '/_emulator/state', headers: { origin: 'null' } });
  t.equal(nullOrigin.statusCode, 403, 'an opaque origin is foreign');

  const named = build(t, { allowed_hosts: ['hss-emulator'] });
  t.equal((await named.app.inject({ method: 'GET', url: '/_emulator/clock', headers: { host: 'hss-emulator:9080' } })).statusCode, 200, '--allowed-hosts adds a name');
  const anyHost = build(t, { allowed_hosts: ['*'] });
  t.equal((await anyHost.app.inject({ method: 'GET', url: '/_emulator/clock', headers: { host: 'anything.example' } })).statusCode, 200, '* turns the Host check off');

  const withToken = build(t, { admin_token: 'a-long-admin-token' });
  const tokenWrite = await withToken.app.inject({ method: 'POST', url: '/_emulator/reset', headers: { authorization: 'Bearer a-long-admin-token' } });
  t.equal(tokenWrite.statusCode, 200, 'with the admin token a write needs no content type');
  t.equal((await withToken.app.inject({ method: 'POST', url: '/_emulator/reset', headers: { authorization: 'Bearer a-long-admin-token', origin: 'https://evil.example' } })).statusCode, 403, 'nor may a foreign origin use it');
});

t.test('4. the dashboard inserts values as text, and the import refuses wrong-typed ones', async (t) => {
  for (const file of ['index.html', ...readdirSync(join(DASHBOARD_ROOT, 'js')).map((f) => `js/${f}`)]) {
    const text = readFileSync(join(DASHBOARD_ROOT, file), 'utf8');
    t.notMatch(text, /innerHTML|insertAdjacentHTML|outerHTML|document\.write|\beval\(|new Function/, `${file}: no HTML or code is built from values`);
  }
  t.notMatch(readFileSync(join(DASHBOARD_ROOT, 'index.html'), 'utf8'), /<script(?![^>]*\bsrc=)|\son[a-z]+=/i, 'no inline script or handler (the CSP forbids them)');
  const emu = build(t);
  const state = JSON.parse((await emu.control('GET', '/_emulator/state')).res.body);
  state.tables.images[0].vul_num = '<img src=x onerror=alert(1)>';
  const res = await emu.app.inject({ method: 'PUT', url: '/_emulator/state', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(state) });
  await expectError(t, res, 400, 'EMULATOR.0400', /tables\.images\[0\]\.vul_num/);
});

t.test('5. secrets: never quoted in parse errors, never in log lines, left out of exports unless asked for', async (t) => {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const emu = buildApp({ config: testConfig({ log_level: 'info' }), clock: new ManualClock(T0), wallClock: () => T0, logStream });
  t.teardown(() => emu.app.close());

  const login = await emu.app.inject({
    method: 'POST',
    url: '/v3/auth/tokens',
    headers: { 'content-type': 'application/json' },
    payload: '{"auth":{"identity":{"password":{"user":{"name":"admin","password": hunter2secret}}}}}',
  });
  t.equal(login.statusCode, 400);
  t.notMatch(login.body, /hunter2secret/, 'the parse error does not quote the body');

  await emu.app.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local-repositories?sk=topsecretSK&password=hunter2secret&limit=10` });
  const log = lines.join('');
  t.match(log, /sk=\[redacted\]/);
  t.notMatch(log, /topsecretSK|hunter2secret/, 'no secret in any log line');
  const [entry] = emu.journal.list({ limit: 1 });
  t.same([entry?.query.sk, entry?.query.password], ['[redacted]', '[redacted]'], 'the journal redacts the same names');

  const plain = await emu.app.inject({ method: 'GET', url: '/_emulator/state' });
  t.notMatch(plain.body, new RegExp(ADMIN.sk), 'an export leaves SKs out by default');
  const full = await emu.app.inject({ method: 'GET', url: '/_emulator/state?include_secrets=true' });
  t.match(full.body, new RegExp(ADMIN.sk), 'include_secrets=true keeps them');

  const put = (body: string) => emu.app.inject({ method: 'PUT', url: '/_emulator/state', headers: { 'content-type': 'application/json' }, payload: body });
  t.equal((await put(plain.body)).statusCode, 200, 'an export without SKs imports, keeping the existing ones');
  t.equal((await emu.app.inject({ method: 'GET', url: '/_emulator/state?include_secrets=true' })).body, full.body, 'nothing lost');
  const signed = sdkSign({ method: 'GET', path: `/v5/${PROJECT_A}/image/local-repositories`, ak: ADMIN.ak, sk: ADMIN.sk, projectId: PROJECT_A, at: T0 });
  t.equal((await emu.app.inject({ method: 'GET', url: signed.url, headers: signed.headers })).statusCode, 200, 'the kept SK still verifies');

  await emu.app.inject({ method: 'POST', url: '/_emulator/reset', headers: { 'content-type': 'application/json' }, payload: { fixtures: false } });
  const refused = await put(plain.body);
  await expectError(t, refused, 400, 'EMULATOR.0400', /access_keys: HSSEMUADMINAK0000001 has no sk/);
  t.equal((await put(full.body)).statusCode, 200, 'a full snapshot restores an empty world');
  t.equal((await emu.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: passwordLogin(ADMIN, PROJECT_A) })).statusCode, 201);
});
