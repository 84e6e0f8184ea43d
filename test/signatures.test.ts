/** AK/SK signatures through inject(), on a manual clock: skew, lockout timing, project header, modes. */
import t from 'tap';
import { Writable } from 'node:stream';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock/clock.js';
import { ADMIN, DEV, PROJECT_A, PROJECT_B, T0, build, expectError, testConfig } from './helpers/build.js';
import { sdkSign, type SignInput } from './helpers/sdk.js';

const listPath = `/v5/${PROJECT_A}/image/local-repositories`;

function signed(input: Partial<SignInput> = {}) {
  const request = sdkSign({ method: 'GET', path: listPath, ak: ADMIN.ak, sk: ADMIN.sk, projectId: PROJECT_A, at: T0, ...input });
  return { method: (input.method ?? 'GET') as 'GET' | 'POST', url: request.url, headers: request.headers, payload: request.payload };
}

t.test('a signed request within 15 minutes of the clock passes; beyond, it is stale', async (t) => {
  const emu = build(t);
  t.equal((await emu.app.inject(signed({ at: T0 - 15 * 60_000 }))).statusCode, 200);
  t.equal((await emu.app.inject(signed({ at: T0 + 15 * 60_000 }))).statusCode, 200);
  await expectError(t, await emu.app.inject(signed({ at: T0 - 15 * 60_000 - 1_000 })), 401, 'APIGW.0301',
    /signature expired, signature time:20261126T234459Z, server time:20261127T000000Z/);
  const noDate = signed();
  delete noDate.headers['X-Sdk-Date'];
  await expectError(t, await emu.app.inject(noDate), 401, 'APIGW.0301', /verify aksk signature fail/);
});

t.test('what is signed cannot change: query, body, signed headers', async (t) => {
  const emu = build(t);
  const query = signed({ query: { limit: '20' } });
  await expectError(t, await emu.app.inject({ ...query, url: `${listPath}?limit=30` }), 401, 'APIGW.0301', /verify aksk/);
  const body = signed({ method: 'POST', path: `/v5/${PROJECT_A}/image/local/batch-scan`, body: { operate_all: false, image_info_list: [{ image_id: 'x' }] } });
  t.equal((await emu.app.inject(body)).statusCode, 200, 'as signed');
  await expectError(t, await emu.app.inject({ ...body, payload: body.payload!.replace('false', 'true ') }), 401, 'APIGW.0301');
  const region = signed({ headers: { region: 'cn-north-7' } });
  t.equal((await emu.app.inject(region)).statusCode, 200);
  await expectError(t, await emu.app.inject({ ...region, headers: { ...region.headers, region: 'cn-north-4' } }), 401, 'APIGW.0301');
  const wrongRegion = signed({ path: `/v5/${PROJECT_A}/image/local/hosts`, headers: { region: 'cn-north-4' } });
  await expectError(t, await emu.app.inject(wrongRegion), 400, 'HSS.0001', /region cn-north-4/);
  const ignored = signed({ headers: { region: 'cn-north-4' } });
  t.equal((await emu.app.inject(ignored)).statusCode, 200, 'the list defines no region header: one sent is ignored');
});

t.test('a signed X-Project-Id must be the project in the path', async (t) => {
  const emu = build(t);
  const mismatch = signed({ projectId: PROJECT_B });
  await expectError(t, await emu.app.inject(mismatch), 401, 'APIGW.0301', /X-Project-Id/);
  const devInB = signed({ path: `/v5/${PROJECT_B}/image/local-repositories`, projectId: PROJECT_B, ak: DEV.ak, sk: DEV.sk });
  await expectError(t, await emu.app.inject(devInB), 403, 'APIGW.0302');
});

t.test('the lock lasts five minutes of emulated time; a success resets the count', async (t) => {
  const emu = build(t);
  const bad = () => emu.app.inject(signed({ sk: 'wrong', at: emu.wall.now() }));
  const good = () => emu.app.inject(signed({ at: emu.wall.now() }));
  for (let i = 0; i < 4; i++) await bad();
  t.equal((await good()).statusCode, 200, 'four failures do not lock');
  for (let i = 0; i < 4; i++) await bad();
  t.equal((await good()).statusCode, 200, 'the success reset the count');
  for (let i = 0; i < 5; i++) await bad();
  await expectError(t, await good(), 401, 'APIGW.0301', /AK access failed to reach the limit/);
  emu.clock.advance(5 * 60_000 - 1);
  await expectError(t, await good(), 401, 'APIGW.0301', /AK access failed to reach the limit/);
  emu.clock.advance(1);
  t.equal((await good()).statusCode, 200, 'unlocked after five minutes');
});

t.test('auth modes: permissive takes any credential, off takes none', async (t) => {
  const permissive = build(t, { auth: 'permissive' });
  const anyToken = await permissive.app.inject({ method: 'GET', url: listPath, headers: { 'x-auth-token': 'made-up' } });
  t.equal(anyToken.statusCode, 200);
  const anySignature = await permissive.app.inject(signed({ ak: 'MADEUP', sk: 'whatever' }));
  t.equal(anySignature.statusCode, 200);
  await expectError(t, await permissive.app.inject({ method: 'GET', url: listPath }), 401, 'APIGW.0301', /x-auth-token not found/);
  await expectError(t, await permissive.app.inject({ method: 'GET', url: listPath, headers: { authorization: 'Basic abc' } }), 401, 'APIGW.0301');

  const off = build(t, { auth: 'off' });
  const res = await off.app.inject({ method: 'GET', url: `/v5/${PROJECT_B}/image/local-repositories?enterprise_project_id=all_granted_eps` });
  t.equal(res.json().total_num, 6);

  const strict = build(t);
  await expectError(t, await strict.app.inject({ method: 'GET', url: listPath, headers: { authorization: 'Basic abc' } }), 401, 'APIGW.0301', /Unauthorized/);
});

t.test('debug_auth logs the server side of a mismatch, without the SK', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
  const emulator = buildApp({
    config: testConfig({ debug_auth: true, log_level: 'debug' }),
    clock: new ManualClock(T0),
    wallClock: () => T0,
    logStream: sink,
  });
  t.teardown(() => emulator.app.close());
  await emulator.app.inject(signed({ sk: 'wrong', headers: { 'X-Security-Token': 'temporary-secret-token' } }));
  const entry = lines.map((l) => JSON.parse(l)).find((e) => e.msg === 'AK/SK signature mismatch');
  t.ok(entry, 'logged');
  t.match(entry.canonical_request, new RegExp(`^GET\\n${listPath}/\\n\\ncontent-type:application/json\\nhost:localhost:80\\n`));
  t.match(entry.string_to_sign, /^SDK-HMAC-SHA256\n20261127T000000Z\n[0-9a-f]{64}$/);
  t.match(entry.canonical_request, /x-security-token:\[redacted\]/);
  const all = lines.join('');
  t.notMatch(all, ADMIN.sk);
  t.notMatch(all, 'temporary-secret-token');
});

t.test('identities are read from memory between their changes, and every change is seen at once, however it is made', async (t) => {
  const emu = build(t);
  const scan = () => signed({ method: 'POST', path: `/v5/${PROJECT_A}/image/local/batch-scan`, body: { operate_all: false, image_info_list: [{ image_id: 'x' }] } });
  t.equal((await emu.app.inject(scan())).statusCode, 200);
  t.equal((await emu.app.inject(scan())).statusCode, 200, 'a batch-scan wrote in between: the key is still known');

  // a change that does not come through any repository: the triggers see it all the same
  emu.db.prepare('UPDATE access_keys SET sk = ? WHERE ak = ?').run('another-secret-key', ADMIN.ak);
  await expectError(t, await emu.app.inject(scan()), 401, 'APIGW.0301', /verify aksk signature fail/);
  t.equal((await emu.app.inject({ ...scan(), ...signedWith('another-secret-key') })).statusCode, 200, 'the new SK signs');

  // a change rolled back after a request inside its transaction read it: the old SK signs again
  const rolledBack = emu.db.transaction(() => {
    emu.db.prepare('UPDATE access_keys SET sk = ? WHERE ak = ?').run(ADMIN.sk, ADMIN.ak);
    t.ok(emu.services.identities.accessKey(ADMIN.ak)?.sk === ADMIN.sk, 'read inside the transaction');
    throw new Error('rolled back');
  });
  t.throws(rolledBack, /rolled back/);
  // and the next change, before any request: it must not look like the rolled-back one
  emu.db.prepare('UPDATE access_keys SET sk = ? WHERE ak = ?').run('a-third-secret-key', ADMIN.ak);
  await expectError(t, await emu.app.inject(scan()), 401, 'APIGW.0301', /verify aksk signature fail/);
  await expectError(t, await emu.app.inject({ ...scan(), ...signedWith('another-secret-key') }), 401, 'APIGW.0301', /verify aksk signature fail/);
  t.equal((await emu.app.inject({ ...scan(), ...signedWith('a-third-secret-key') })).statusCode, 200, 'the SK as it now is signs');

  // a project taken away from the user
  emu.db.prepare("DELETE FROM user_projects WHERE project_id = ? AND user_id = (SELECT user_id FROM access_keys WHERE ak = ?)").run(PROJECT_A, ADMIN.ak);
  const denied = await emu.app.inject({ ...scan(), ...signedWith('a-third-secret-key') });
  t.not(denied.statusCode, 200, `no longer the user's project: ${denied.statusCode}`);
});

/** The admin's batch-scan request signed with another SK. */
function signedWith(sk: string) {
  return signed({ method: 'POST', path: `/v5/${PROJECT_A}/image/local/batch-scan`, body: { operate_all: false, image_info_list: [{ image_id: 'x' }] }, sk });
}
