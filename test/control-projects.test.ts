/** /_emulator/projects: a CI job creates its own project, uses it like the cloud, removes it. */
import t from 'tap';
import { ADMIN, DEV, build, expectError, issueToken, started } from './helpers/build.js';

const image = {
  enterprise_project_id: '0',
  image_id: 'ci-image-1',
  image_name: 'registry.example.com/ci/app',
  image_digest: `sha256:${'ab'.repeat(32)}`,
  image_version: '1.2.3',
  local_image_type: 'other_image',
  image_size: 100_000_000,
  latest_update_time: 1_790_000_000_000,
  hosts: ['ci-host'],
  containers: [{ container_id: 'c1', container_name: 'app-1', host_id: 'ci-host' }],
};
const host = {
  host_id: 'ci-host',
  host_name: 'ci-node',
  agent_id: 'agent-ci',
  agent_status: 'online',
  version: 'hss.version.container.enterprise',
  private_ip: '10.9.0.1',
  public_ip: '',
  docker_name: 'Docker',
  docker_type: 'docker',
};

t.test('create a project with region, grants, hosts and images in one call, then use it', async (t) => {
  const emu = build(t);
  const created = await emu.control('POST', '/_emulator/projects', {
    project_id: 'ci-job-42',
    region: 'ap-southeast-1',
    users: ['admin', 'dev'],
    hosts: [host],
    images: [image],
  });
  t.equal(created.status, 201);
  t.same(created.body, { project_id: 'ci-job-42', region: 'ap-southeast-1', users: ['admin', 'dev'], images: 1 });

  const token = await issueToken(emu.app, ADMIN, 'ci-job-42');
  const list = await emu.app.inject({ method: 'GET', url: '/v5/ci-job-42/image/local-repositories', headers: { 'x-auth-token': token, region: 'ap-southeast-1' } });
  t.equal(list.statusCode, 200);
  t.match(list.json(), { total_num: 1, data_list: [{ image_id: 'ci-image-1', host_num: 1, container_num: 1, host_name: 'ci-node' }] });
  t.ok(await issueToken(emu.app, DEV, 'ci-job-42'), 'dev was granted it too');

  const projects = (await emu.control('GET', '/_emulator/projects')).body.projects;
  t.match(projects.find((p: { project_id: string }) => p.project_id === 'ci-job-42'), { region: 'ap-southeast-1', users: ['admin', 'dev'], images: 1 });

  t.equal((await emu.control('DELETE', '/_emulator/projects/ci-job-42')).status, 204);
  const gone = await emu.app.inject({ method: 'GET', url: '/v5/ci-job-42/image/local-repositories', headers: { 'x-auth-token': token } });
  t.equal(gone.statusCode, 401, 'its tokens went with it');
  await expectError(t, (await emu.control('DELETE', '/_emulator/projects/ci-job-42')).res, 404, 'EMULATOR.0404');
});

t.test('a generated id, the admin by default; a second create of the same id is 409', async (t) => {
  const emu = build(t);
  const created = await emu.control('POST', '/_emulator/projects', { region: 'cn-north-7' });
  t.match(created.body, { project_id: /^[0-9a-f]{32}$/, users: ['admin'], images: 0 });
  const again = await emu.control('POST', '/_emulator/projects', { project_id: created.body.project_id, region: 'cn-north-7' });
  await expectError(t, again.res, 409, 'EMULATOR.0409');
});

t.test('bad project bodies are 400 and create nothing', async (t) => {
  const emu = build(t);
  const cases: [unknown, string, RegExp][] = [
    [{}, 'HSS.0001', /region is required/],
    [{ region: 'x', project_id: 'has space' }, 'HSS.0001', /project_id must match pattern/],
    [{ region: 'x', users: ['nobody'] }, 'EMULATOR.0400', /unknown user nobody/],
    [{ region: 'x', images: [{ ...image, hosts: ['ghost'] }] }, 'EMULATOR.0400', /images\[0\]: unknown host ghost/],
    [{ region: 'x', images: [{ ...image, enterprise_project_id: 'nope' }], hosts: [host] }, 'EMULATOR.0400', /unknown enterprise project nope/],
    [{ region: 'x', images: [{ ...image, image_size: -1 }] }, 'HSS.0001', /images\[0\]\.image_size must be >= 0/],
  ];
  for (const [body, code, message] of cases) {
    await expectError(t, (await emu.control('POST', '/_emulator/projects', { project_id: 'p1', ...(body as object) })).res, 400, code, message);
  }
  const projects = (await emu.control('GET', '/_emulator/projects')).body.projects;
  t.notOk(projects.some((p: { project_id: string }) => p.project_id === 'p1'), 'nothing half-created');
});

t.test('over a real socket with startEmulator', async (t) => {
  const emu = await started(t);
  const created = await emu.call('POST', '/_emulator/projects', { project_id: 'socket-job', region: 'cn-south-1', hosts: [host], images: [image] });
  t.equal(created.status, 201);
  const login = await emu.call('POST', '/v3/auth/tokens', {
    auth: {
      identity: { methods: ['password'], password: { user: { name: 'admin', password: 'Admin@12345', domain: { name: 'hss-emulator' } } } },
      scope: { project: { name: 'cn-south-1' } },
    },
  });
  t.equal(login.status, 201, 'a token scoped by the new region name');
  const token = login.headers.get('x-subject-token')!;
  const list = await emu.call('GET', '/v5/socket-job/image/local-repositories', undefined, { 'x-auth-token': token });
  t.equal(list.body.total_num, 1);
  t.equal((await emu.call('DELETE', '/_emulator/projects/socket-job')).status, 204);
});
