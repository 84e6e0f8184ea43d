/** ListImageLocal through inject(): paging, ranges, every filter, field set and order. */
import t from 'tap';
import { AGENT_IMAGE, DEV_EP, PROJECT_A, PROJECT_B, build, expectError, imageIn } from './helpers/build.js';

/** ImageLocalInfo's fields, in the order of the SDKs' model (hss-api.md §2.3) */
const FIELDS_IN_ORDER = [
  'image_name', 'image_id', 'image_digest', 'image_version', 'local_image_type', 'scan_status', 'image_size',
  'latest_update_time', 'latest_scan_time', 'vul_num', 'unsafe_setting_num', 'malicious_file_num', 'host_num',
  'container_num', 'component_num', 'scan_failed_desc', 'severity_level', 'host_name', 'host_id', 'agent_id',
  'non_scan_reason',
];
const FIELDS = [...FIELDS_IN_ORDER].sort();

t.test('defaults: enterprise project 0, ten per page, all 21 fields on every image', async (t) => {
  const emu = build(t);
  const { res, body } = await emu.list();
  t.equal(res.statusCode, 200);
  t.equal(body.total_num, 10);
  t.equal(body.data_list.length, 10);
  for (const image of body.data_list) t.same(Object.keys(image).sort(), FIELDS);
  t.same(Object.keys(body.data_list[0]!), FIELDS_IN_ORDER, 'in the order of the model');
  const agent = imageIn(body, AGENT_IMAGE)!;
  t.match(agent, { scan_status: 'unscan', latest_scan_time: 0, scan_failed_desc: '', severity_level: '', host_num: 2, container_num: 2, host_name: 'ecs-node-a1' });
});

t.test('order is newest latest_update_time first and stable across pages', async (t) => {
  const emu = build(t);
  const all = (await emu.list({ enterprise_project_id: 'all_granted_eps', limit: 200 })).body;
  t.equal(all.total_num, 14);
  const times = all.data_list.map((i) => i.latest_update_time as number);
  t.same(times, [...times].sort((a, b) => b - a));
  const first = (await emu.list({ enterprise_project_id: 'all_granted_eps', limit: 10 })).body;
  const second = (await emu.list({ enterprise_project_id: 'all_granted_eps', limit: 10, offset: 10 })).body;
  t.equal(second.total_num, 14, 'total ignores paging');
  t.same([...first.data_list, ...second.data_list].map((i) => i.image_id), all.data_list.map((i) => i.image_id));
  const beyond = (await emu.list({ offset: 2_000_000 })).body;
  t.same(beyond, { total_num: 10, data_list: [] });
});

t.test('limit, offset and lengths out of range are 400 HSS.0001 naming the parameter', async (t) => {
  const emu = build(t);
  const cases: [Record<string, string | number>, RegExp][] = [
    [{ limit: 9 }, /limit must be >= 10/],
    [{ limit: 201 }, /limit must be <= 200/],
    [{ limit: 'ten' }, /limit must be integer/],
    [{ offset: -1 }, /offset must be >= 0/],
    [{ offset: 2_000_001 }, /offset must be <= 2000000/],
    [{ image_size: -3 }, /image_size must be >= 0/],
    [{ has_vul: 'maybe' }, /has_vul must be boolean/],
    [{ has_container: 'yes' }, /has_container must be boolean/],
    [{ host_ip: '300.1.1.1' }, /host_ip must match format "ipv4"/],
    [{ image_name: 'x'.repeat(257) }, /image_name must NOT have more than 256/],
    [{ pod_name: 'x'.repeat(64) }, /pod_name must NOT have more than 63/],
    [{ start_latest_scan_time: 'soon' }, /start_latest_scan_time must be integer/],
  ];
  for (const [query, msg] of cases) await expectError(t, (await emu.list(query)).res, 400, 'HSS.0001', msg);
});

t.test('unknown scan_status or local_image_type values give an empty list', async (t) => {
  const emu = build(t);
  t.same((await emu.list({ scan_status: 'exploded' })).body, { total_num: 0, data_list: [] });
  t.same((await emu.list({ local_image_type: 'helm_chart' })).body, { total_num: 0, data_list: [] });
});

t.test('filters on the image itself', async (t) => {
  const emu = build(t);
  const names = async (query: Record<string, string | number | boolean>) =>
    (await emu.list({ enterprise_project_id: 'all_granted_eps', limit: 200, ...query })).body.data_list
      .map((i) => `${i.image_name}:${i.image_version}`)
      .sort();
  t.same(await names({ image_name: 'team/' }), [
    'swr.cn-north-7.myhuaweicloud.com/team/api-gateway:2.3.1',
    'swr.cn-north-7.myhuaweicloud.com/team/frontend:5.0.0',
  ]);
  t.same(await names({ image_name: 'NGINX' }), [], 'the name match is case-sensitive');
  t.same(await names({ image_name: 'team/', image_version: '5.0.0' }), ['swr.cn-north-7.myhuaweicloud.com/team/frontend:5.0.0']);
  t.equal((await names({ image_version: '5.0.0' })).length, 14, 'image_version alone is ignored');
  t.same(await names({ scan_status: 'failed' }), ['busybox:1.36.1', 'swr.cn-north-7.myhuaweicloud.com/legacy/billing:2.0.7'], 'a download failure is failed');
  t.same(await names({ scan_status: 'download_failed' }), ['swr.cn-north-7.myhuaweicloud.com/legacy/billing:2.0.7'], 'selected by its scan_failed_desc');
  t.equal((await names({ local_image_type: 'swr_image' })).length, 6);
  t.same(await names({ image_size: 7_000_000 }), ['alpine:3.19']);
  t.same(await names({ has_vul: true }), ['nginx:1.25.3', 'python:3.12-slim', 'swr.cn-north-7.myhuaweicloud.com/team/api-gateway:2.3.1']);
  t.same(await names({ has_vul: false }), ['redis:7.2.4'], 'has_vul applies to images whose last scan succeeded: never-scanned and failed ones do not match');
  t.same(await names({ has_vul: false, has_container: false }), [], "the Terraform provider's read: successful scans without vulnerabilities or containers");
  t.same(await names({ scan_status: 'waiting' }), [], 'waiting is a value the list shows, not a filter value');
  const oct31 = Date.UTC(2026, 9, 31);
  t.same(await names({ start_latest_scan_time: oct31, end_latest_scan_time: oct31 + 86_400_000 }), ['nginx:1.25.3']);
  t.equal((await names({ start_latest_scan_time: oct31 + 86_400_000, end_latest_scan_time: oct31 })).length, 14, 'start > end is ignored');
  t.equal((await names({ start_latest_scan_time: oct31 })).length, 14, 'half a pair is ignored');
  const updates = (await emu.list({ limit: 200 })).body.data_list.map((i) => i.latest_update_time as number);
  t.equal((await names({ start_latest_update_time: updates[2]!, end_latest_update_time: updates[0]! })).length, 3, 'inclusive');
});

t.test('filters on hosts, containers, pods and software', async (t) => {
  const emu = build(t);
  const names = async (query: Record<string, string | number | boolean>) =>
    (await emu.list({ enterprise_project_id: 'all_granted_eps', limit: 200, ...query })).body.data_list
      .map((i) => i.image_name)
      .sort();
  t.equal((await names({ host_name: 'node-a3' })).length, 6);
  const hosts = (await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local/hosts`, query: { host_name: 'a2' } })).json();
  const a2 = hosts.data_list[0];
  t.same(await names({ host_id: a2.host_id }), (await names({ host_name: 'ecs-node-a2' })));
  t.same(await names({ host_ip: '121.36.10.11' }), await names({ host_name: 'ecs-node-a1' }), 'public IP');
  t.same(await names({ host_ip: '192.168.0.11' }), await names({ host_name: 'ecs-node-a1' }), 'private IP');
  t.same(await names({ container_name: 'web-frontend' }), ['nginx']);
  const containers = (await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local/containers`, query: { enterprise_project_id: DEV_EP } })).json();
  const gateway = containers.data_list.find((c: { container_name: string }) => c.container_name.startsWith('api-gateway'));
  t.same(await names({ container_id: gateway.container_id }), ['swr.cn-north-7.myhuaweicloud.com/team/api-gateway']);
  t.same(await names({ pod_id: gateway.pod_id }), ['swr.cn-north-7.myhuaweicloud.com/team/api-gateway']);
  t.same(await names({ pod_name: 'frontend-6b8f4d' }), ['swr.cn-north-7.myhuaweicloud.com/team/frontend']);
  t.same(await names({ app_name: 'openssl' }), [
    'nginx',
    'swr.cn-north-7.myhuaweicloud.com/scc_hss_container/install-hss-agent',
    'swr.cn-north-7.myhuaweicloud.com/team/api-gateway',
  ]);
  t.equal((await names({ has_container: true })).length, 10);
  t.same(await names({ has_container: false }), [
    'alpine',
    'busybox',
    'mcr.microsoft.com/windows/servercore',
    'swr.cn-north-7.myhuaweicloud.com/legacy/billing',
  ]);
});

t.test('each project sees only its own images', async (t) => {
  const emu = build(t);
  const b = (await emu.list({ enterprise_project_id: 'all_granted_eps' }, PROJECT_B)).body;
  t.equal(b.total_num, 6);
  t.notOk(imageIn(b, AGENT_IMAGE));
});

t.test("each image shows its first host by host id, its hosts and containers counted, and '' on no host", async (t) => {
  const emu = build(t);
  const host = (host_id: string, host_name: string) => ({
    host_id, host_name, agent_id: `agent-${host_id}`, agent_status: 'online', version: 'hss.version.enterprise',
    private_ip: '10.0.0.1', public_ip: '', docker_name: 'Docker', docker_type: 'docker',
  });
  const image = (image_id: string, latest_update_time: number, hosts: string[], containers: { container_id: string; host_id: string }[]) => ({
    enterprise_project_id: '0', image_id, image_name: `registry.example.com/${image_id}`, image_digest: `sha256:${'cd'.repeat(32)}`,
    image_version: '1', local_image_type: 'other_image', image_size: 1_000, latest_update_time, hosts,
    containers: containers.map((c) => ({ ...c, container_name: c.container_id })),
  });
  const created = await emu.control('POST', '/_emulator/projects', {
    project_id: 'hosts-shown',
    region: 'cn-north-4',
    hosts: [host('h-c', 'node-c'), host('h-a', 'node-a'), host('h-b', 'node-b')],
    images: [
      image('on-three', 3, ['h-c', 'h-b', 'h-a'], [{ container_id: 'c1', host_id: 'h-c' }, { container_id: 'c2', host_id: 'h-a' }, { container_id: 'c3', host_id: 'h-a' }]),
      image('on-one', 2, ['h-b'], []),
      image('on-none', 1, [], []),
    ],
  });
  t.equal(created.status, 201);
  const { body } = await emu.list({}, 'hosts-shown');
  const shown = (id: string) => {
    const { host_num, container_num, host_id, host_name, agent_id } = imageIn(body, id)!;
    return { host_num, container_num, host_id, host_name, agent_id };
  };
  t.same(body.data_list.map((i) => i.image_id), ['on-three', 'on-one', 'on-none']);
  t.same(shown('on-three'), { host_num: 3, container_num: 3, host_id: 'h-a', host_name: 'node-a', agent_id: 'agent-h-a' });
  t.same(shown('on-one'), { host_num: 1, container_num: 0, host_id: 'h-b', host_name: 'node-b', agent_id: 'agent-h-b' });
  t.same(shown('on-none'), { host_num: 0, container_num: 0, host_id: '', host_name: '', agent_id: '' });
});
