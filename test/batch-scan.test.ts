/** BatchScanLocalImage through inject(): validation, matching, scope, and the scans it starts. */
import t from 'tap';
import { AGENT_IMAGE, DEV_EP, PROJECT_A, PROJECT_B, WEBSHELL_IMAGE, build, expectError, imageIn } from './helpers/build.js';

const url = `/v5/${PROJECT_A}/image/local/batch-scan`;
const one = { image_info_list: [{ image_id: AGENT_IMAGE }] };


t.test('a scan of one image answers 200 {} and counts it in X-Emulator-Matched', async (t) => {
  const emu = build(t);
  const res = await emu.batchScan(one);
  t.equal(res.statusCode, 200);
  t.same(res.json(), {});
  t.equal(res.headers['x-emulator-matched'], '1');
  t.match(res.headers['x-request-id'], /^[0-9a-f]{32}$/);
  const { body } = await emu.list();
  t.equal(imageIn(body, AGENT_IMAGE)?.scan_status, 'scanning');
});

t.test('body validation: every bad field is a 400 HSS.0001 naming the field', async (t) => {
  const emu = build(t);
  const cases: [unknown, RegExp][] = [
    [{ operate_all: 'true' }, /operate_all must be boolean/],
    [{ operate_all: true, local_image_type: 'docker' }, /local_image_type must be one of other_image, swr_image/],
    [{ operate_all: true, scan_status: 'done' }, /scan_status must be one of/],
    [{ operate_all: true, image_size: -1 }, /image_size must be >= 0/],
    [{ operate_all: true, image_size: 1.5 }, /image_size must be integer/],
    [{ operate_all: true, start_latest_update_time: -5 }, /start_latest_update_time must be >= 0/],
    [{ operate_all: true, end_latest_scan_time: 'yesterday' }, /end_latest_scan_time must be integer/],
    [{ operate_all: true, image_name: 'x'.repeat(257) }, /image_name must NOT have more than 256 characters/],
    [{ image_info_list: [{ image_id: 'x'.repeat(65) }] }, /image_info_list\[0\]\.image_id must NOT have more than 64/],
    [{ image_info_list: [{ image_id: 7 }] }, /image_info_list\[0\]\.image_id must be string/],
    [{ image_info_list: {} }, /image_info_list must be array/],
    [{ image_info_list: [{ image_id: AGENT_IMAGE }, {}] }, /image_info_list\[1\] must give at least one field/],
    [{ image_info_list: [] }, /image_info_list must hold 1 to 1000 images/],
    [{ operate_all: false }, /image_info_list must hold 1 to 1000/],
    [{}, /image_info_list must hold 1 to 1000/],
    [{ operate_all: true, imag_name: 'nginx' }, /unknown field imag_name/],
    [{ image_info_list: [{ image_id: AGENT_IMAGE, tag: 'v1' }] }, /unknown field image_info_list\[0\]\.tag/],
  ];
  for (const [payload, msg] of cases) {
    const res = await emu.batchScan(payload);
    await expectError(t, res, 400, 'HSS.0001', msg);
  }
  t.equal((await emu.list()).body.data_list.filter((i) => i.scan_status === 'scanning').length, 0, 'nothing started');
});

t.test('with operate_all true the list is not read, so an empty item in it is no error', async (t) => {
  const emu = build(t);
  const res = await emu.batchScan({ operate_all: true, image_name: 'nginx', image_info_list: [{}] });
  t.equal(res.statusCode, 200);
  t.ok(Number(res.headers['x-emulator-matched']) > 0, 'the filter decided what was scanned');
});

t.test('more items than max_batch_images is refused', async (t) => {
  const emu = build(t, { max_batch_images: 2 });
  const res = await emu.batchScan({ image_info_list: [{ image_id: 'a' }, { image_id: 'b' }, { image_id: 'c' }] });
  await expectError(t, res, 400, 'HSS.0001', /1 to 2 images/);
});

t.test('lenient validation ignores unknown fields', async (t) => {
  const emu = build(t, { validation: 'lenient' });
  const res = await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE, tag: 'x' }], extra: 1 });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-emulator-matched'], '1');
});

t.test('malformed JSON, a non-object body and a wrong content type are HSS.0002', async (t) => {
  const emu = build(t);
  const raw = (payload: string, type = 'application/json') =>
    emu.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });
  await expectError(t, await raw('{"image_info_list": ['), 400, 'HSS.0002', /not valid JSON/);
  await expectError(t, await raw('[]'), 400, 'HSS.0002', /JSON object/);
  await expectError(t, await raw('"text"'), 400, 'HSS.0002', /JSON object/);
  await expectError(t, await raw('null'), 400, 'HSS.0002', /JSON object/);
  await expectError(t, await raw(''), 400, 'HSS.0002');
  await expectError(t, await raw('a=b', 'application/x-www-form-urlencoded'), 400, 'HSS.0002', /Content-Type/);
});

t.test('a body over 12 MB is 413 APIGW.0201', async (t) => {
  const emu = build(t);
  const payload = JSON.stringify({ image_info_list: [{ image_id: 'x'.repeat(13 * 1024 * 1024) }] });
  const res = await emu.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
  await expectError(t, res, 413, 'APIGW.0201');
});

t.test('no credential is 401 APIGW.0301, checked before the body', async (t) => {
  const emu = build(t);
  const res = await emu.app.inject({ method: 'POST', url, payload: '{bad', headers: { 'content-type': 'application/json' } });
  await expectError(t, res, 401, 'APIGW.0301', /^Incorrect IAM authentication information: x-auth-token not found$/);
});

t.test('unknown routes and methods are 404 APIGW.0101 with a request id', async (t) => {
  const emu = build(t);
  for (const [method, path] of [
    ['GET', `/v5/${PROJECT_A}/image/local/batch-scan`],
    ['POST', `/v5/${PROJECT_A}/image/nothing`],
    ['DELETE', `/v5/${PROJECT_A}/image/local-repositories`],
  ] as const) {
    const res = await emu.inject({ method, url: path });
    await expectError(t, res, 404, 'APIGW.0101', /does not exist/);
    t.ok(res.headers['x-request-id']);
  }
});

t.test('a well-formed X-Request-Id is echoed; a malformed one is replaced', async (t) => {
  const emu = build(t);
  const mine = 'abcdef0123456789abcdef0123456789';
  const echoed = await emu.inject({ method: 'POST', url, payload: one, headers: { 'x-request-id': mine } });
  t.equal(echoed.headers['x-request-id'], mine);
  const replaced = await emu.inject({ method: 'POST', url, payload: {}, headers: { 'x-request-id': 'NOT-HEX' } });
  t.not(replaced.headers['x-request-id'], 'NOT-HEX');
  t.equal(replaced.json().request_id, replaced.headers['x-request-id'], 'the body and header carry the same id');
});

t.test('an item matches images equal in every field it gives; unmatched items are no error', async (t) => {
  const emu = build(t);
  const res = await emu.batchScan({
    image_info_list: [
      { image_name: 'nginx', image_version: '1.25.3' },
      { image_name: 'nginx', image_version: '0.0.0' },
      { image_digest: 'sha256:ce0b5d91b072730d0bc9518f11efd07eb7fdb9f43251e11a96cab5b1918b7044' },
      { image_id: 'does-not-exist' },
    ],
  });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-emulator-matched'], '2');
  const { body } = await emu.list();
  t.equal(imageIn(body, WEBSHELL_IMAGE)?.scan_status, 'scanning');
  t.equal(body.data_list.find((i) => i.image_name === 'nginx')?.scan_status, 'scanning');
});

t.test('items naming images by id alone: each image once, in the order named, only in scope', async (t) => {
  const emu = build(t, { lanes: 1 });
  const API_GATEWAY = 'b1ad311c-d525-bcca-0ae8-9e2455d21ae9'; // project A, another enterprise project
  const OTHER_PROJECT = '0d2878d7-ff40-f20d-da60-b3710cf6a3fc'; // project B
  const res = await emu.batchScan({
    image_info_list: [WEBSHELL_IMAGE, AGENT_IMAGE, WEBSHELL_IMAGE, API_GATEWAY, OTHER_PROJECT, 'does-not-exist'].map((image_id) => ({ image_id })),
  });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-emulator-matched'], '2', 'webshell and the agent, each once');
  const { body } = await emu.list();
  t.equal(imageIn(body, WEBSHELL_IMAGE)?.scan_status, 'scanning', 'named first, so on the one lane first (the agent comes first in list order)');
  t.equal(imageIn(body, AGENT_IMAGE)?.scan_status, 'waiting');
  const again = await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }, { image_id: WEBSHELL_IMAGE }] });
  t.equal(again.headers['x-emulator-matched'], '0', 'in flight already: matched, not started again');
});

t.test('operate_all scans every image in scope that matches all filters and ignores the list', async (t) => {
  const emu = build(t);
  const res = await emu.batchScan({ operate_all: true, local_image_type: 'swr_image', image_info_list: [{ image_id: 'ignored' }] });
  // enterprise project 0 of project A: agent, webshell, billing, llm-inference
  t.equal(res.headers['x-emulator-matched'], '4');
  const filtered = await emu.batchScan({ operate_all: true, image_name: 'py', image_version: '3.12-slim' });
  t.equal(filtered.headers['x-emulator-matched'], '1');
  const bySize = await emu.batchScan({ operate_all: true, image_size: 138_000_000, scan_status: 'success' });
  t.equal(bySize.headers['x-emulator-matched'], '1', 'redis');
  const byScanTime = await emu.batchScan({
    operate_all: true,
    start_latest_scan_time: Date.UTC(2026, 9, 1),
    end_latest_scan_time: Date.UTC(2026, 10, 1),
  });
  t.equal(byScanTime.headers['x-emulator-matched'], '1', 'nginx, scanned on 2026-10-31 (billing, on 10-29, is already in flight)');
  const unscanned = await emu.batchScan({ operate_all: true, scan_status: 'unscan' });
  t.equal(unscanned.headers['x-emulator-matched'], '2', 'postgres and alpine; the Windows image has a non_scan_reason');
});

t.test('waiting and scanning images are left alone; images with a non_scan_reason stay unscan', async (t) => {
  const emu = build(t, { lanes: 1 });
  t.equal((await emu.batchScan({ operate_all: true, image_name: 'install-hss-agent' })).headers['x-emulator-matched'], '1');
  t.equal((await emu.batchScan({ operate_all: true, image_name: 'webshell' })).headers['x-emulator-matched'], '1');
  let { body } = await emu.list();
  t.equal(imageIn(body, AGENT_IMAGE)?.scan_status, 'scanning');
  t.equal(imageIn(body, WEBSHELL_IMAGE)?.scan_status, 'waiting', 'one lane: the second waits');
  const again = await emu.batchScan({ operate_all: true, scan_status: 'waiting_for_scan' });
  t.equal(again.headers['x-emulator-matched'], '0', 'the waiting image matched but was left alone');
  const windows = await emu.batchScan({ operate_all: true, image_name: 'windows' });
  t.equal(windows.headers['x-emulator-matched'], '0');
  ({ body } = await emu.list({ image_name: 'windows' }));
  t.equal(body.data_list[0]?.scan_status, 'unscan');
});

t.test('scope: the enterprise project query selects which images a request reaches', async (t) => {
  const emu = build(t);
  const dev = await emu.batchScan({ operate_all: true }, { enterprise_project_id: DEV_EP });
  t.equal(dev.headers['x-emulator-matched'], '4', 'api-gateway, frontend, busybox, mysql');
  const all = await emu.batchScan({ operate_all: true }, { enterprise_project_id: 'all_granted_eps' });
  t.equal(all.headers['x-emulator-matched'], '9', 'the ten of enterprise project 0 in project A, less the Windows image');
  const b = await emu.batchScan({ operate_all: true }, { enterprise_project_id: 'all_granted_eps' }, PROJECT_B);
  t.equal(b.headers['x-emulator-matched'], '6', 'project B is separate');
  const { body } = await emu.list({}, PROJECT_B);
  t.ok(body.data_list.every((i) => i.scan_status === 'scanning' || i.scan_status === 'waiting'));
});

t.test('scope errors: unknown enterprise project, foreign project, wrong region', async (t) => {
  const emu = build(t);
  await expectError(t, await emu.batchScan(one, { enterprise_project_id: 'nope' }), 400, 'HSS.0013', /nope/);
  await expectError(t, await emu.batchScan(one, {}, 'ffffffffffffffffffffffffffffffff'), 403, 'APIGW.0302');
  const wrongRegion = await emu.inject({ method: 'POST', url, payload: one, headers: { region: 'cn-north-4' } });
  await expectError(t, wrongRegion, 400, 'HSS.0001', /region cn-north-4/);
  const rightRegion = await emu.inject({ method: 'POST', url, payload: one, headers: { region: 'cn-north-7' } });
  t.equal(rightRegion.statusCode, 200);
  await expectError(t, await emu.batchScan(one, { enterprise_project_id: 'x'.repeat(257) }), 400, 'HSS.0001', /enterprise_project_id/);
});

t.test('a request is one transaction: a failure part-way starts nothing and leaks nothing', async (t) => {
  const emu = build(t);
  emu.db.exec(`CREATE TEMP TRIGGER second_scan_fails BEFORE INSERT ON scans
               WHEN (SELECT count(*) FROM scans) >= 1 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
  const res = await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }, { image_id: WEBSHELL_IMAGE }] });
  await expectError(t, res, 500, 'APIGW.0601', /^Internal server error\.$/);
  t.notMatch(res.body, /disk on fire/);
  const { body } = await emu.list();
  t.equal(imageIn(body, AGENT_IMAGE)?.scan_status, 'unscan', 'the first image did not start either');
  t.equal(emu.db.prepare('SELECT count(*) FROM scans').pluck().get(), 0);
});
