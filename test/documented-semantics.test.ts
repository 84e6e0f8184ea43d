/**
 * What the documentation and the SDK models state (hss-api.md §9), through inject() on a
 * manual clock: list filters and statuses, the apps list agreeing with component_num, the
 * headers each operation defines, the catalog's error texts, and the gateway's opt-in
 * throttling counted in real time.
 */
import t from 'tap';
import { PROJECT_A, build, expectError, imageIn } from './helpers/build.js';

const BILLING = '3f1686d0-f6ba-f6b7-6e8c-1d20b49ee9dc'; // fixture: failed, download failure
const LLM = '07ff8763'; // prefix; 13.2 GB, above the default max_image_size
const all = { enterprise_project_id: 'all_granted_eps', limit: 200 };

const ids = (body: { data_list: Record<string, unknown>[] }) => body.data_list.map((i) => String(i.image_id).slice(0, 8)).sort();

t.test('statuses: a download failure and an oversized image are failed, told apart by scan_failed_desc', async (t) => {
  const emu = build(t, { lanes: 16, scan_base_ms: 100, scan_throughput_mb_s: 0 });
  await emu.batchScan({ operate_all: true }, { enterprise_project_id: 'all_granted_eps' });
  emu.clock.advance(10_000);
  const { body } = await emu.list(all);
  const statuses = new Set(body.data_list.map((i) => i.scan_status));
  t.ok([...statuses].every((s) => ['unscan', 'success', 'scanning', 'failed', 'waiting'].includes(String(s))), `only the model's values: ${[...statuses]}`);
  t.match(imageIn(body, BILLING), { scan_status: 'failed', scan_failed_desc: 'image_not_exist_or_docker_api_fault' });
  t.match(body.data_list.find((i) => String(i.image_id).startsWith(LLM)), { scan_status: 'failed', scan_failed_desc: 'huge_image' });

  // batch-scan's filter values select those failed images, and only them
  const rescan = async (scan_status: string) => (await emu.batchScan({ operate_all: true, scan_status }, { enterprise_project_id: 'all_granted_eps' })).headers['x-emulator-matched'];
  t.equal(await rescan('image_oversized'), '1', 'image_oversized: the failed image with huge_image');
  t.equal(await rescan('download_failed'), '1', 'download_failed: the failed image that could not be downloaded');
  const scanning = await emu.list({ ...all, scan_status: 'scanning' });
  t.equal(scanning.body.total_num, 2, 'both are scanning again');
  t.same(ids((await emu.list({ ...all, scan_status: 'waiting' })).body), [], 'waiting is a response value, not a filter value');
  t.same(ids((await emu.list({ ...all, scan_status: 'image_oversized' })).body), [], 'the one oversized image is scanning now, not failed');
});

t.test('has_vul and the scan-time range apply to images whose last scan succeeded', async (t) => {
  const emu = build(t);
  const { body } = await emu.list(all);
  const failed = body.data_list.filter((i) => i.scan_status === 'failed');
  t.ok(failed.length >= 2, 'the world has failed images with a scan time');
  const noVul = (await emu.list({ ...all, has_vul: false })).body;
  t.ok(noVul.data_list.length > 0 && noVul.data_list.every((i) => i.scan_status === 'success' && i.vul_num === 0), 'has_vul=false: successful scans without vulnerabilities');
  t.notOk(noVul.data_list.some((i) => i.scan_status === 'unscan'), 'never-scanned images do not match has_vul=false');
  const times = failed.map((i) => i.latest_scan_time as number);
  const range = (await emu.list({ ...all, start_latest_scan_time: Math.min(...times) - 1, end_latest_scan_time: Math.max(...times) + 1 })).body;
  t.notOk(range.data_list.some((i) => i.scan_status === 'failed'), 'failed scans are outside any scan-time range');
  t.ok(range.data_list.every((i) => i.scan_status === 'success'));
});

t.test('the apps list is empty until a scan succeeds, then agrees with component_num; a failed scan clears both', async (t) => {
  const emu = build(t, { scan_base_ms: 1_000, scan_throughput_mb_s: 0 });
  const apps = async (imageId: string, query: Record<string, string> = {}) =>
    (await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local/apps`, query: { image_id: imageId, enterprise_project_id: 'all_granted_eps', ...query } })).json();
  const { body } = await emu.list(all);
  for (const image of body.data_list) {
    const listed = await apps(String(image.image_id));
    t.equal(listed.total_num, image.component_num, `${image.image_name}: component_num ${image.component_num} = apps total_num`);
    if (image.scan_status !== 'success') t.equal(listed.total_num, 0, `${image.image_name} (${image.scan_status}): no apps`);
  }
  const nginx = body.data_list.find((i) => i.image_name === 'nginx')!;
  t.ok((nginx.component_num as number) > 0);
  await emu.control('POST', `/_emulator/images/${nginx.image_id}/script`, [{ outcome: 'failed', scan_failed_desc: 'docker_offline' }]);
  await emu.batchScan({ image_info_list: [{ image_id: nginx.image_id }] });
  t.equal((await apps(String(nginx.image_id))).total_num, nginx.component_num, 'a rescan in progress keeps the last findings');
  emu.clock.advance(2_000);
  t.match(imageIn((await emu.list()).body, String(nginx.image_id)), { scan_status: 'failed', component_num: 0 });
  t.equal((await apps(String(nginx.image_id))).total_num, 0, 'and the apps list agrees');
});

t.test('a region header is checked where the operation defines one and ignored where it does not', async (t) => {
  const emu = build(t);
  const get = (path: string, query: Record<string, string> = {}) =>
    emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/${path}`, query, headers: { region: 'somewhere-else-1' } });
  t.equal((await get('local-repositories')).statusCode, 200, 'ListImageLocal defines none');
  t.equal((await get('local/apps', { image_id: 'x' })).statusCode, 200, 'ListLocalImageAppInfo defines none');
  await expectError(t, await get('local/hosts'), 400, 'HSS.0001', /region somewhere-else-1/);
  await expectError(t, await get('local/containers'), 400, 'HSS.0001', /region somewhere-else-1/);
  const scan = await emu.inject({ method: 'POST', url: `/v5/${PROJECT_A}/image/local/batch-scan`, payload: { operate_all: true }, headers: { region: 'somewhere-else-1' } });
  await expectError(t, scan, 400, 'HSS.0001', /region somewhere-else-1/);
  t.equal((await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local/apps`, query: { image_id: 'x', app_name: '' } })).statusCode, 200, 'app_name= (empty) is in range');
});

t.test('error texts from the catalog', async (t) => {
  const emu = build(t);
  const malformed = await emu.inject({ method: 'POST', url: `/v5/${PROJECT_A}/image/local/batch-scan`, payload: '{"operate_all":', headers: { 'content-type': 'application/json' } });
  await expectError(t, malformed, 400, 'HSS.0002', /^Failed to parse the request\. the body is not valid JSON\.$/);
  const invalid = await emu.list({ limit: 5 });
  await expectError(t, invalid.res, 400, 'HSS.0001', /^Invalid parameter\. limit /);
  const wrongMethod = await emu.inject({ method: 'PUT', url: `/v5/${PROJECT_A}/image/local-repositories` });
  await expectError(t, wrongMethod, 404, 'APIGW.0101', /^The API does not exist\.$/);
  const noApi = await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/no-such-api` });
  await expectError(t, noApi, 404, 'APIGW.0101', /^The API does not exist or has not been published in the environment\.$/);
});

t.test('--throttle N: the N+1st call of a user to one operation within a real second is 429 APIGW.0308', async (t) => {
  const emu = build(t, { throttle: 3 });
  for (let i = 0; i < 3; i++) t.equal((await emu.list()).res.statusCode, 200, `call ${i + 1}`);
  await expectError(t, (await emu.list()).res, 429, 'APIGW.0308', /^The throttling threshold has been reached\.$/);
  t.equal((await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local/hosts` })).statusCode, 200, 'another operation has its own count');
  emu.clock.advance(60_000);
  await expectError(t, (await emu.list()).res, 429, 'APIGW.0308', undefined);
  t.pass('moving the emulated clock does not reset it: the limit counts real time');
  emu.wall.advance(1_000);
  t.equal((await emu.list()).res.statusCode, 200, 'the next real second admits calls again');

  const unlimited = build(t);
  for (let i = 0; i < 50; i++) if ((await unlimited.list()).res.statusCode !== 200) t.fail(`call ${i} refused without --throttle`);
  t.pass('without --throttle nothing is refused');
});
