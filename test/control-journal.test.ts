/** /_emulator/requests: which calls a client made, newest first, filterable, bounded, redacted. */
import t from 'tap';
import { ADMIN, AGENT_IMAGE, PROJECT_A, T0, build, passwordLogin, started } from './helpers/build.js';

t.test('records cloud calls with operation, status, body and matched count', async (t) => {
  const emu = build(t);
  await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] }, { enterprise_project_id: '0' });
  await emu.list({ limit: 20 });
  await emu.batchScan({ operate_all: 'yes' });
  await emu.control('GET', '/_emulator/health');
  const all = (await emu.control('GET', '/_emulator/requests')).body.requests;
  const ops = all.map((e: { operation: string }) => e.operation);
  t.same(ops.filter((o: string) => o !== 'KeystoneCreateUserTokenByPassword'), ['BatchScanLocalImage', 'ListImageLocal', 'BatchScanLocalImage'], 'newest first; no control calls');
  const [bad, list, scan] = all;
  t.match(scan, {
    operation: 'BatchScanLocalImage',
    method: 'POST',
    path: `/v5/${PROJECT_A}/image/local/batch-scan`,
    query: { enterprise_project_id: '0' },
    body: { image_info_list: [{ image_id: AGENT_IMAGE }] },
    status: 200,
    matched: 1,
    at: T0,
    request_id: /^[0-9a-f]{32}$/,
  });
  t.ok(scan.duration_ms >= 0);
  t.match(list, { operation: 'ListImageLocal', query: { limit: 20 }, matched: null, status: 200, error_code: null, response: { total_num: Number, data_list: Array } });
  t.match(bad, { status: 400, matched: null, matched_images: null, error_code: 'HSS.0001', response: { error_code: 'HSS.0001', error_msg: /operate_all/ } });
  t.match(scan, { matched_images: [AGENT_IMAGE], error_code: null, response: {} }, 'which images a batch-scan started, and its answer');

  const failed = (await emu.control('GET', '/_emulator/requests?status=400')).body.requests;
  t.equal(failed.length, 1);
  const scans = (await emu.control('GET', '/_emulator/requests?operation=BatchScanLocalImage&limit=1')).body.requests;
  t.equal(scans.length, 1);
  t.equal(scans[0].status, 400);
  t.equal((await emu.control('DELETE', '/_emulator/requests')).status, 204);
  t.same((await emu.control('GET', '/_emulator/requests')).body, { requests: [] });
});

t.test('credentials are redacted from what it records', async (t) => {
  const emu = build(t);
  const login = await emu.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: passwordLogin(ADMIN, PROJECT_A) });
  const token = login.headers['x-subject-token'] as string;
  await emu.app.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local-repositories`, headers: { 'x-auth-token': token } });
  const journal = JSON.stringify((await emu.control('GET', '/_emulator/requests')).body);
  t.notMatch(journal, ADMIN.password);
  t.notMatch(journal, token);
  t.match(journal, /"password":"\[redacted\]"/);
});

t.test('bounded: keeps the newest journal_size entries', async (t) => {
  const emu = build(t, { journal_size: 3 });
  for (let i = 0; i < 5; i++) await emu.list({ offset: i });
  const entries = (await emu.control('GET', '/_emulator/requests?operation=ListImageLocal')).body.requests;
  t.same(entries.map((e: { query: { offset: number } }) => e.query.offset), [4, 3, 2]);
});

t.test('over a real socket with startEmulator', async (t) => {
  const emu = await started(t, { auth: 'off' });
  await emu.call('GET', `/v5/${PROJECT_A}/image/local/apps?image_id=${AGENT_IMAGE}`);
  const { body } = await emu.call('GET', '/_emulator/requests');
  t.match(body.requests, [{ operation: 'ListLocalImageAppInfo', status: 200, query: { image_id: AGENT_IMAGE } }]);
  t.equal((await emu.call('DELETE', '/_emulator/requests')).status, 204);
});
