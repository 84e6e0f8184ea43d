/** ListLocalImageHosts, ListLocalImageContainers and ListLocalImageAppInfo through inject(). */
import t from 'tap';
import { AGENT_IMAGE, DEV_EP, PROJECT_A, build, expectError, imageIn } from './helpers/build.js';

const route = (name: string) => `/v5/${PROJECT_A}/image/local/${name}`;

t.test('hosts: distinct hosts holding the selected images, with every field', async (t) => {
  const emu = build(t);
  const all = (await emu.inject({ method: 'GET', url: route('hosts'), query: { enterprise_project_id: 'all_granted_eps' } })).json();
  t.equal(all.total_num, 3);
  t.same(all.data_list.map((h: { host_name: string }) => h.host_name), ['cce-node-a3', 'ecs-node-a1', 'ecs-node-a2']);
  t.same(Object.keys(all.data_list[0]).sort(), [
    'agent_id', 'agent_status', 'docker_name', 'docker_type', 'host_id', 'host_name', 'private_ip', 'public_ip', 'version',
  ]);
  const agent = (await emu.inject({
    method: 'GET',
    url: route('hosts'),
    query: { image_digest: 'sha256:05b5081012e562d14c374de2a4c74511f9e8e0adc572d3b35fb3df06de0da63b' },
  })).json();
  t.same(agent.data_list.map((h: { host_name: string }) => h.host_name), ['ecs-node-a1', 'ecs-node-a2']);
  t.match(agent.data_list[0], { agent_status: 'online', private_ip: '192.168.0.11', public_ip: '121.36.10.11', docker_type: 'docker' });
  const byName = (await emu.inject({ method: 'GET', url: route('hosts'), query: { image_name: 'alpine', image_version: '3.19', host_name: 'ecs' } })).json();
  t.equal(byName.total_num, 2);
  const byAgent = (await emu.inject({ method: 'GET', url: route('hosts'), query: { agent_id: agent.data_list[1].agent_id } })).json();
  t.same(byAgent.data_list.map((h: { host_name: string }) => h.host_name), ['ecs-node-a2']);
});

t.test('containers: those started from the selected images, with host and pod', async (t) => {
  const emu = build(t);
  const all = (await emu.inject({ method: 'GET', url: route('containers'), query: { enterprise_project_id: 'all_granted_eps', limit: '50' } })).json();
  t.equal(all.total_num, 13);
  const nginx = (await emu.inject({ method: 'GET', url: route('containers'), query: { image_name: 'nginx', image_version: '1.25.3' } })).json();
  t.same(nginx.data_list.map((c: { container_name: string }) => c.container_name), ['web-frontend-1', 'web-frontend-2']);
  t.same(Object.keys(nginx.data_list[0]).sort(), [
    'agent_id', 'container_id', 'container_name', 'entry_point', 'host_id', 'host_name', 'pod_id', 'pod_name', 'private_ip', 'public_ip',
  ]);
  const pods = (await emu.inject({ method: 'GET', url: route('containers'), query: { enterprise_project_id: DEV_EP } })).json();
  t.match(pods.data_list.find((c: { container_name: string }) => c.container_name === 'frontend-6b8f-1'), {
    pod_name: 'frontend-6b8f4d-abc12',
    host_name: 'cce-node-a3',
    entry_point: 'nginx -g daemon off;',
  });
  const one = (await emu.inject({ method: 'GET', url: route('containers'), query: { container_id: nginx.data_list[1].container_id } })).json();
  t.equal(one.total_num, 1);
  t.equal(one.data_list[0].host_name, 'ecs-node-a2');
});

t.test('apps: software of one image, filtered by name, paged', async (t) => {
  const emu = build(t);
  const before = (await emu.inject({ method: 'GET', url: route('apps'), query: { image_id: AGENT_IMAGE } })).json();
  t.same(before, { total_num: 0, data_list: [] }, 'nothing before a scan succeeded');
  await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] });
  emu.clock.advance(60_000);
  const apps = (await emu.inject({ method: 'GET', url: route('apps'), query: { image_id: AGENT_IMAGE } })).json();
  t.same(apps, {
    total_num: 3,
    data_list: [
      { app_name: 'bash', app_type: 'linux_software', app_version: '5.1-6', vul_num: 0 },
      { app_name: 'curl', app_type: 'linux_software', app_version: '7.81.0-1', vul_num: 2 },
      { app_name: 'openssl', app_type: 'linux_software', app_version: '3.0.2-0ubuntu1.10', vul_num: 1 },
    ],
  });
  t.equal(imageIn((await emu.list()).body, AGENT_IMAGE)?.component_num, 3, 'component_num is the apps total_num');
  const ssl = (await emu.inject({ method: 'GET', url: route('apps'), query: { image_id: AGENT_IMAGE, app_name: 'ssl' } })).json();
  t.equal(ssl.total_num, 1);
  const emptyName = await emu.inject({ method: 'GET', url: route('apps'), query: { image_id: AGENT_IMAGE, app_name: '' } });
  t.equal(emptyName.json().total_num, 3, 'app_name= (empty) is accepted and matches all');
  const paged = (await emu.inject({ method: 'GET', url: route('apps'), query: { image_id: AGENT_IMAGE, offset: '2', limit: '10' } })).json();
  t.same(paged.data_list.map((a: { app_name: string }) => a.app_name), ['openssl']);
  const unknown = (await emu.inject({ method: 'GET', url: route('apps'), query: { image_id: 'nope' } })).json();
  t.same(unknown, { total_num: 0, data_list: [] });
  const outOfScope = (await emu.inject({ method: 'GET', url: route('apps'), query: { image_id: AGENT_IMAGE, enterprise_project_id: DEV_EP } })).json();
  t.same(outOfScope, { total_num: 0, data_list: [] }, 'the image is in enterprise project 0');
});

t.test('validation and auth apply to the detail routes too', async (t) => {
  const emu = build(t);
  await expectError(t, await emu.inject({ method: 'GET', url: route('apps') }), 400, 'HSS.0001', /image_id is required/);
  await expectError(t, await emu.inject({ method: 'GET', url: route('hosts'), query: { limit: '5' } }), 400, 'HSS.0001', /limit/);
  await expectError(t, await emu.inject({ method: 'GET', url: route('containers'), query: { offset: '-1' } }), 400, 'HSS.0001', /offset/);
  await expectError(t, await emu.inject({ method: 'GET', url: route('hosts'), query: { enterprise_project_id: 'x' } }), 400, 'HSS.0013');
  await expectError(t, await emu.app.inject({ method: 'GET', url: route('containers') }), 401, 'APIGW.0301');
});
