/**
 * ListImageVulnerabilities for local images: what a scan found, consistent with the list
 * (count = vul_num, the most urgent = severity_level, software from the apps list), the same
 * every time, listed explicitly by a fixture or a scripted scan, and kept by export and import.
 */
import t from 'tap';
import { ADMIN, AGENT_IMAGE, PROJECT_A, T0, build, expectError, imageIn, started } from './helpers/build.js';
import { listImageVulnerabilities, sdkClient } from './helpers/sdk.js';

type Vul = { vul_id: string; repair_necessity: string; app_name: string; version: string; solution: string; url: string; description: string; position: string; app_path?: string };
const URGENCY: Record<string, string> = { High: 'immediate_repair', Medium: 'delay_repair', Low: 'not_needed_repair' };
const required = { image_type: 'local_image', namespace: '', image_name: '', tag_name: '' };

async function vulnerabilities(emu: ReturnType<typeof build>, imageId: string, query: Record<string, string | number> = {}) {
  const res = await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/${encodeURIComponent(imageId)}/vulnerabilities`, query: Object.fromEntries(Object.entries({ ...required, limit: 200, ...query }).map(([k, v]) => [k, String(v)])) });
  return { res, body: res.json() as { total_num: number; data_list: Vul[] } };
}

async function appsOf(emu: ReturnType<typeof build>, imageId: string) {
  return (await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local/apps`, query: { image_id: imageId, limit: '200' } })).json().data_list as { app_name: string; app_version: string; vul_num: number }[];
}

t.test("a scanned image's findings agree with the list and its apps, the same every time", async (t) => {
  const emu = build(t);
  const nginx = (await emu.list({ image_name: 'nginx' })).body.data_list.find((i) => i.image_name === 'nginx') as { image_id: string; [k: string]: unknown };
  t.match(nginx, { scan_status: 'success', vul_num: 12, severity_level: 'Medium' });
  const { res, body } = await vulnerabilities(emu, nginx.image_id);
  t.equal(res.statusCode, 200);
  t.equal(body.total_num, 12, 'as many as vul_num');
  t.equal(body.data_list.length, 12);
  t.equal(body.data_list[0]!.repair_necessity, URGENCY.Medium, 'the most urgent is what severity_level stands for');
  t.ok(body.data_list.every((v) => v.repair_necessity !== 'immediate_repair'), 'and none more urgent');
  const apps = await appsOf(emu, nginx.image_id);
  for (const v of body.data_list) {
    const app = apps.find((a) => a.app_name === v.app_name);
    t.ok(app, `${v.vul_id} is in ${v.app_name}, one of the image's apps`);
    t.equal(v.version, app?.app_version, 'at its version');
    t.match(v, { vul_id: /^CVE-\d{4}-\d{4,}$/, url: `https://nvd.nist.gov/vuln/detail/${v.vul_id}`, solution: /^Upgrade .+ to .+ or later\.$/, position: /^sha256:[0-9a-f]{64}$/ });
  }
  for (const app of apps) t.equal(body.data_list.filter((v) => v.app_name === app.app_name).length, app.vul_num, `${app.app_name}: as many as its own vul_num`);
  t.equal(new Set(body.data_list.map((v) => v.vul_id)).size, 12, 'distinct ids');
  t.same((await vulnerabilities(emu, nginx.image_id)).body, body, 'the same every time');

  // filters and paging
  const page = (await vulnerabilities(emu, nginx.image_id, { limit: 10, offset: 10 })).body;
  t.same([page.total_num, page.data_list], [12, body.data_list.slice(10)]);
  const openssl = (await vulnerabilities(emu, nginx.image_id, { app_name: 'openssl' })).body;
  t.ok(openssl.total_num > 0 && openssl.data_list.every((v) => v.app_name === 'openssl'));
  const one = body.data_list[3]!;
  t.same((await vulnerabilities(emu, nginx.image_id, { vul_id: one.vul_id.slice(4).toLowerCase() })).body.data_list.map((v) => v.vul_id), [one.vul_id], 'vul_id: fuzzy');
  const urgent = (await vulnerabilities(emu, nginx.image_id, { repair_necessity: 'delay_repair' })).body;
  t.equal(urgent.total_num, body.data_list.filter((v) => v.repair_necessity === 'delay_repair').length);
  t.equal((await vulnerabilities(emu, nginx.image_id, { type: 'app_vul' })).body.total_num, 0, 'nginx lists only system software');
  t.equal((await vulnerabilities(emu, nginx.image_id, { handle_status: 'handled' })).body.total_num, 0);
  t.equal((await vulnerabilities(emu, nginx.image_id, { image_name: 'nginx', tag_name: '1.25.3' })).body.total_num, 12, 'the right name and tag');
  t.equal((await vulnerabilities(emu, nginx.image_id, { image_name: 'redis' })).body.total_num, 0, 'another name: nothing');
  t.equal((await vulnerabilities(emu, nginx.image_id, { image_type: 'private_image' })).body.total_num, 0, 'no registry images here');
});

t.test('none before a scan succeeds; a scan finds them, in software the image lists', async (t) => {
  const emu = build(t);
  t.same((await vulnerabilities(emu, AGENT_IMAGE)).body, { total_num: 0, data_list: [] }, 'not scanned yet');
  await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] });
  t.equal((await vulnerabilities(emu, AGENT_IMAGE)).body.total_num, 0, 'still scanning');
  emu.clock.advance(3_600_000);
  const agent = imageIn((await emu.list()).body, AGENT_IMAGE)!;
  const found = (await vulnerabilities(emu, AGENT_IMAGE)).body;
  t.equal(found.total_num, agent.vul_num, `vul_num ${agent.vul_num}`);
  if (found.total_num > 0) t.equal(found.data_list[0]!.repair_necessity, URGENCY[agent.severity_level as string]);
  const names = new Set((await appsOf(emu, AGENT_IMAGE)).map((a) => a.app_name));
  t.ok(found.data_list.every((v) => names.has(v.app_name)));

  // an image that lists no software has no software vulnerabilities
  await emu.batchScan({ image_info_list: [{ image_name: 'alpine' }] });
  emu.clock.advance(3_600_000);
  const alpine = (await emu.list({ image_name: 'alpine' })).body.data_list[0] as { image_id: string; [k: string]: unknown };
  t.match(alpine, { scan_status: 'success', vul_num: 0, component_num: 0 });
  t.equal((await vulnerabilities(emu, alpine.image_id)).body.total_num, 0);
});

t.test('a scripted scan lists its findings; export and import keep them', async (t) => {
  const emu = build(t);
  const listed = [
    { vul_id: 'CVE-2024-6387', app_name: 'openssl', repair_necessity: 'immediate_repair', fixed_version: '3.0.14', description: 'regreSSHion' },
    { vul_id: 'CVE-2023-38545', app_name: 'curl', repair_necessity: 'delay_repair' },
  ];
  const scripted = await emu.control('POST', `/_emulator/images/${AGENT_IMAGE}/script`, [{ outcome: 'success', scan_result: { vulnerabilities: listed } }]);
  t.equal(scripted.res.statusCode, 200);
  await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] });
  emu.clock.advance(3_600_000);
  t.match(imageIn((await emu.list()).body, AGENT_IMAGE), { scan_status: 'success', vul_num: 2, severity_level: 'High' }, 'the list follows the listed findings');
  const found = (await vulnerabilities(emu, AGENT_IMAGE)).body;
  t.match(found.data_list, [
    { vul_id: 'CVE-2024-6387', app_name: 'openssl', version: '3.0.2-0ubuntu1.10', repair_necessity: 'immediate_repair', description: 'regreSSHion', solution: 'Upgrade openssl to 3.0.14 or later.' },
    { vul_id: 'CVE-2023-38545', app_name: 'curl', version: '7.81.0-1', repair_necessity: 'delay_repair' },
  ]);
  const view = (await emu.control('GET', `/_emulator/images?project_id=${PROJECT_A}&image_id=${AGENT_IMAGE}`)).body.images[0];
  t.same(view.vulnerabilities.map((v: Vul) => v.vul_id), ['CVE-2024-6387', 'CVE-2023-38545'], "the control plane's image view lists them");

  const state = (await emu.control('GET', '/_emulator/state')).res.body;
  await emu.control('POST', '/_emulator/reset', {});
  t.equal((await vulnerabilities(emu, AGENT_IMAGE)).body.total_num, 0, 'a reset forgets them');
  const imported = await emu.control('PUT', '/_emulator/state', JSON.parse(state));
  t.equal(imported.res.statusCode, 200);
  t.same((await vulnerabilities(emu, AGENT_IMAGE)).body, found, 'an import brings them back');

  await expectError(
    t,
    (await emu.control('POST', `/_emulator/images/${AGENT_IMAGE}/script`, [{ outcome: 'success', scan_result: { vulnerabilities: [{ vul_id: 'CVE-1', app_name: 'log4j', repair_necessity: 'delay_repair' }] } }])).res,
    400,
    'EMULATOR.0400',
    /log4j, which is not among the image's apps/,
  );
  await expectError(
    t,
    (await emu.control('POST', `/_emulator/images/${String((await emu.list({ image_name: 'alpine' })).body.data_list[0]!.image_id)}/script`, [{ outcome: 'success', scan_result: { vul_num: 3 } }])).res,
    400,
    'EMULATOR.0400',
    /lists no software/,
  );
});

t.test('validation, auth and scope as on every HSS route', async (t) => {
  const emu = build(t);
  await expectError(t, (await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/${AGENT_IMAGE}/vulnerabilities`, query: { image_type: 'local_image' } })), 400, 'HSS.0001', /namespace/);
  await expectError(t, (await vulnerabilities(emu, AGENT_IMAGE, { image_type: 'docker' })).res, 400, 'HSS.0001', /image_type/);
  await expectError(t, (await vulnerabilities(emu, AGENT_IMAGE, { limit: 5 })).res, 400, 'HSS.0001', /limit/);
  await expectError(t, (await vulnerabilities(emu, AGENT_IMAGE, { repair_necessity: 'now' })).res, 400, 'HSS.0001', /repair_necessity/);
  const anonymous = await emu.app.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/${AGENT_IMAGE}/vulnerabilities?image_type=local_image&namespace=&image_name=&tag_name=` });
  t.equal(anonymous.statusCode, 401);
  const other = (await vulnerabilities(emu, AGENT_IMAGE, { enterprise_project_id: '6f8a2c1e-3b4d-4e5f-9a0b-1c2d3e4f5a6b' })).body;
  t.same(other, { total_num: 0, data_list: [] }, 'an image outside the enterprise project asked for');
  const journal = (await emu.control('GET', '/_emulator/requests?operation=ListImageVulnerabilities')).body.requests;
  t.ok(journal.length >= 4, 'journaled under its operation name');
  t.equal(emu.clock.now(), T0);
});

t.test('an export from before the vulnerabilities column imports, with generated findings', async (t) => {
  const emu = build(t);
  const nginx = (await emu.control('GET', `/_emulator/images?project_id=${PROJECT_A}`)).body.images.find((i: { image_name: string }) => i.image_name === 'nginx');
  const before = (await vulnerabilities(emu, nginx.image_id)).body;
  const state = JSON.parse((await emu.control('GET', '/_emulator/state')).res.body);
  // as an emulator before migration 9 exported it
  state.schema_version = 8;
  for (const image of state.tables.images) delete image.vulnerabilities;
  t.equal((await emu.control('PUT', '/_emulator/state', state)).res.statusCode, 200);
  t.same((await vulnerabilities(emu, nginx.image_id)).body, before);
  t.notOk('vulnerabilities' in nginx, 'a whole inventory comes without findings');
  const one = (await emu.control('GET', `/_emulator/images?project_id=${PROJECT_A}&image_id=${nginx.image_id}`)).body.images[0];
  t.equal(one.vulnerabilities.length, 12, 'one image comes with its findings');
});

t.test('the official SDK core calls it on a real socket, signed with AK/SK', async (t) => {
  const emulator = await started(t);
  const client = sdkClient(emulator.url, ADMIN.ak, ADMIN.sk, PROJECT_A);
  const nginx = (await emulator.images.list({ project_id: PROJECT_A })).find((i) => i.image_name === 'nginx')!;
  const answer = await listImageVulnerabilities(client, nginx.image_id, {
    image_type: 'local_image',
    namespace: '',
    image_name: 'nginx',
    tag_name: '1.25.3',
    repair_necessity: 'delay_repair',
    limit: 50,
  });
  t.equal(answer.httpStatusCode, 200);
  t.ok(answer.total_num > 0 && answer.data_list.every((v) => v.repair_necessity === 'delay_repair'));
  const journal = await emulator.journal.list({ operation: 'ListImageVulnerabilities' });
  t.match(journal[0], { status: 200, method: 'GET', path: `/v5/${PROJECT_A}/image/${nginx.image_id}/vulnerabilities` });
});

t.test('an image added with its findings listed; findings without software are refused', async (t) => {
  const emu = build(t);
  const image = {
    project_id: PROJECT_A,
    enterprise_project_id: '0',
    image_id: 'listed-1',
    image_name: 'registry.example/team/listed',
    image_digest: `sha256:${'ab'.repeat(32)}`,
    image_version: '1.0.0',
    local_image_type: 'other_image',
    image_size: 1_000_000,
    latest_update_time: T0,
    scan_status: 'success',
    latest_scan_time: T0,
    apps: [
      { app_name: 'log4j-core', app_type: 'app_software', app_version: '2.14.1' },
      { app_name: 'zlib', app_type: 'linux_software', app_version: '1.2.11' },
    ],
    vulnerabilities: [
      { vul_id: 'CVE-2021-44228', app_name: 'log4j-core', repair_necessity: 'immediate_repair', fixed_version: '2.17.1', description: 'Log4Shell' },
      { vul_id: 'CVE-2018-25032', app_name: 'zlib', repair_necessity: 'not_needed_repair' },
    ],
  };
  t.equal((await emu.control('POST', '/_emulator/images', { images: [image] })).res.statusCode, 200);
  t.match(imageIn((await emu.list({ limit: 200 })).body, 'listed-1'), { vul_num: 2, severity_level: 'High' }, 'vul_num and severity follow the list');
  const found = (await vulnerabilities(emu, 'listed-1')).body.data_list;
  t.match(found, [
    { vul_id: 'CVE-2021-44228', app_name: 'log4j-core', version: '2.14.1', app_path: '/usr/local/lib/log4j-core', solution: 'Upgrade log4j-core to 2.17.1 or later.' },
    { vul_id: 'CVE-2018-25032', app_name: 'zlib', version: '1.2.11' },
  ]);
  t.notOk('app_path' in found[1]!, 'a system package has no app path');
  t.equal((await vulnerabilities(emu, 'listed-1', { type: 'app_vul' })).body.total_num, 1);

  // a rescan finds the same listed ones
  await emu.batchScan({ image_info_list: [{ image_id: 'listed-1' }] });
  emu.clock.advance(3_600_000);
  t.same((await vulnerabilities(emu, 'listed-1')).body.data_list, found, 'every scan of it finds them');

  const refused = async (change: Record<string, unknown>, message: RegExp) =>
    expectError(t, (await emu.control('POST', '/_emulator/images', { images: [{ ...image, ...change }] })).res, 400, 'EMULATOR.0400', message);
  await refused({ apps: [] }, /images\[0\]\.vulnerability CVE-2021-44228 is in log4j-core, which is not among the image's apps/);
  await refused({ vulnerabilities: undefined, vul_num: 4, apps: [] }, /images\[0\]\.vul_num: the image lists no software/);
  await refused({ vulnerabilities: undefined, scan_result: { vul_num: 4 }, apps: [] }, /images\[0\]\.scan_result: vul_num: the image lists no software/);
  await refused({ vul_num: 5 }, /vul_num must be the number of vulnerabilities listed/);
});
