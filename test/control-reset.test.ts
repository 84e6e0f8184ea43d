/** POST /_emulator/reset: the whole world or one project, back to the fixtures or empty. */
import t from 'tap';
import { ADMIN, AGENT_IMAGE, DEV, PROJECT_A, PROJECT_B, build, expectError, imageIn, issueToken, started } from './helpers/build.js';
import { sdkSign } from './helpers/sdk.js';

t.test('a whole reset puts back the fixtures and ends every token', async (t) => {
  const emu = build(t);
  const token = await issueToken(emu.app, ADMIN, PROJECT_A);
  await emu.batchScan({ operate_all: true }, { enterprise_project_id: 'all_granted_eps' });
  emu.clock.advance(60_000);
  t.equal(imageIn((await emu.list()).body, AGENT_IMAGE)?.scan_status, 'success');
  const reset = await emu.control('POST', '/_emulator/reset', {});
  t.equal(reset.status, 200);
  t.same(reset.body, { reset: 'all', fixtures: true });
  t.match(imageIn((await emu.list()).body, AGENT_IMAGE), { scan_status: 'unscan', latest_scan_time: 0 });
  const old = await emu.app.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local-repositories`, headers: { 'x-auth-token': token } });
  await expectError(t, old, 401, 'APIGW.0301', /decrypt token fail/);
});

t.test('an empty reset leaves nothing; the next reset brings the fixtures back', async (t) => {
  const emu = build(t);
  t.equal((await emu.control('POST', '/_emulator/reset', { fixtures: false })).status, 200);
  t.equal((await emu.control('GET', '/_emulator/health')).body.images, 0);
  const login = await emu.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'Admin@12345', domain: { name: 'hss-emulator' } } } }, scope: { project: { id: PROJECT_A } } } } });
  t.equal(login.statusCode, 401, 'no users either');
  await emu.control('POST', '/_emulator/reset');
  t.equal((await emu.control('GET', '/_emulator/health')).body.images, 20);
});

t.test('two projects reset independently: the other keeps its state', async (t) => {
  const emu = build(t, { scan_base_ms: 0, scan_throughput_mb_s: 0 });
  await emu.batchScan({ operate_all: true }, { enterprise_project_id: 'all_granted_eps' }, PROJECT_A);
  await emu.batchScan({ operate_all: true }, { enterprise_project_id: 'all_granted_eps' }, PROJECT_B);
  const tokenA = await issueToken(emu.app, ADMIN, PROJECT_A);
  const tokenB = await issueToken(emu.app, ADMIN, PROJECT_B);

  t.equal((await emu.control('POST', '/_emulator/reset', { project_id: PROJECT_A })).status, 200);
  const a = (await emu.list({ enterprise_project_id: 'all_granted_eps', limit: 50 }, PROJECT_A)).body;
  t.equal(a.total_num, 14);
  t.ok(a.data_list.every((i) => (i.latest_scan_time as number) < Date.UTC(2026, 10, 27)), 'A is back to its fixture state');
  const b = (await emu.list({ enterprise_project_id: 'all_granted_eps', limit: 50 }, PROJECT_B)).body;
  t.equal(b.data_list.filter((i) => i.latest_scan_time === Date.UTC(2026, 10, 27)).length, 6, 'B keeps the scans it ran');

  const listWith = (project: string, token: string) =>
    emu.app.inject({ method: 'GET', url: `/v5/${project}/image/local-repositories`, headers: { 'x-auth-token': token } });
  await expectError(t, await listWith(PROJECT_A, tokenA), 401, 'APIGW.0301', /decrypt token fail/);
  t.equal((await listWith(PROJECT_B, tokenB)).statusCode, 200, 'B tokens live on');

  t.equal((await emu.control('POST', '/_emulator/reset', { project_id: PROJECT_B, fixtures: false })).status, 200);
  t.equal((await emu.list({ enterprise_project_id: 'all_granted_eps' }, PROJECT_B)).body.total_num, 0);
  t.equal((await emu.list({ enterprise_project_id: 'all_granted_eps' }, PROJECT_A)).body.total_num, 14);
});

t.test('a project reset ends the lockouts of keys that act in it', async (t) => {
  const emu = build(t);
  const request = (sk: string) => {
    const signed = sdkSign({ method: 'GET', path: `/v5/${PROJECT_A}/image/local-repositories`, ak: DEV.ak, sk, projectId: PROJECT_A, at: emu.wall.now() });
    return emu.app.inject({ method: 'GET', url: `${signed.url}?enterprise_project_id=all_granted_eps`.replace('??', '?'), headers: signed.headers });
  };
  for (let i = 0; i < 5; i++) await request('wrong');
  await expectError(t, await request(DEV.sk), 401, 'APIGW.0301', /limit/);
  await emu.control('POST', '/_emulator/reset', { project_id: PROJECT_A });
  const after = await request(DEV.sk);
  t.not(after.json().error_msg ?? '', /limit/, 'no longer locked');
});

t.test('reset errors are clear 400s and 404s', async (t) => {
  const emu = build(t);
  await expectError(t, (await emu.control('POST', '/_emulator/reset', { fixture: false })).res, 400, 'HSS.0001', /unknown field fixture/);
  await expectError(t, (await emu.control('POST', '/_emulator/reset', { fixtures: 'no' })).res, 400, 'HSS.0001', /fixtures must be boolean/);
  await expectError(t, (await emu.control('POST', '/_emulator/reset', { project_id: 'nope' })).res, 404, 'EMULATOR.0404', /Project nope/);
});

t.test('over a real socket with startEmulator: reset one project by HTTP and by the handle', async (t) => {
  const emu = await started(t, { auth: 'off', scan_base_ms: 0 });
  const list = async () => (await emu.call('GET', `/v5/${PROJECT_B}/image/local-repositories?enterprise_project_id=all_granted_eps`)).body;
  await emu.call('POST', `/v5/${PROJECT_B}/image/local/batch-scan?enterprise_project_id=all_granted_eps`, { operate_all: true });
  t.ok((await list()).data_list.every((i: { scan_status: string }) => i.scan_status !== 'unscan'));
  t.equal((await emu.call('POST', '/_emulator/reset', { project_id: PROJECT_B })).status, 200);
  t.equal((await list()).data_list.filter((i: { scan_status: string }) => i.scan_status === 'unscan').length, 4);
  emu.reset({ project_id: PROJECT_B, fixtures: false });
  t.equal((await list()).total_num, 0);
});
