/**
 * One emulator, many CI jobs: each job creates its own project, scripts faults for it alone,
 * reads only its own journal and events, cleans up only what is its own, and removes the
 * project — while another job does the same beside it.
 */
import t from 'tap';
import { AGENT_IMAGE, PROJECT_A, T0, started } from './helpers/build.js';

const host = { host_id: 'h1', host_name: 'node-1', agent_id: 'agent-1', agent_status: 'online', version: 'hss.version.enterprise', private_ip: '10.0.0.1', public_ip: '', docker_name: 'Docker', docker_type: 'docker' };
const image = (jobProject: string) => ({
  enterprise_project_id: '0',
  image_id: `${jobProject}-image`,
  image_name: `registry.example.com/${jobProject}/app`,
  image_digest: `sha256:${'cd'.repeat(32)}`,
  image_version: '1.0',
  local_image_type: 'other_image',
  image_size: 1_000_000,
  latest_update_time: T0,
  hosts: ['h1'],
});

t.test('two jobs on one server see and change only their own project', async (t) => {
  const emu = await started(t, { auth: 'off', scan_throughput_mb_s: 0 });
  const jobs = ['job-a', 'job-b'];
  for (const job of jobs) {
    t.equal((await emu.call('POST', '/_emulator/projects', { project_id: job, region: 'cn-north-4', hosts: [host], images: [image(job)] })).status, 201);
  }
  const events = await fetch(`${emu.url}/_emulator/events?project_id=job-a`);

  // each job faults its own list calls, differently
  const faultA = await emu.call('POST', '/_emulator/faults', { operation: 'ListImageLocal', project_id: 'job-a', status: 503 });
  t.equal(faultA.status, 201);
  t.equal((await emu.call('POST', '/_emulator/faults', { operation: 'ListImageLocal', project_id: 'job-b', status: 429 })).status, 201);
  t.equal((await emu.call('GET', '/v5/job-a/image/local-repositories')).status, 503);
  t.equal((await emu.call('GET', '/v5/job-b/image/local-repositories')).status, 429);
  t.equal((await emu.call('GET', `/v5/${PROJECT_A}/image/local-repositories`)).status, 200, "the default world's project is untouched");
  t.same((await emu.call('GET', '/_emulator/faults?project_id=job-a')).body.faults.map((f: { project_id: string }) => f.project_id), ['job-a']);

  t.equal((await emu.call('POST', '/v5/job-a/image/local/batch-scan', { image_info_list: [{ image_id: 'job-a-image' }] })).status, 200);
  emu.clock.advance(5_000);

  // the journal, by project
  const journalA = (await emu.call('GET', '/_emulator/requests?project_id=job-a')).body.requests as { project_id: string; operation: string; status: number }[];
  t.same(journalA.map((r) => [r.project_id, r.operation, r.status]), [
    ['job-a', 'BatchScanLocalImage', 200],
    ['job-a', 'ListImageLocal', 503],
  ]);
  // the events, by project
  const seen: string[] = [];
  const reader = (events.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  let text = '';
  while (!text.includes('"to":"success"')) text += new TextDecoder().decode((await reader.next()).value);
  for (const match of text.matchAll(/"project_id":"([^"]+)"/g)) seen.push(match[1]!);
  t.ok(seen.length >= 3 && seen.every((p) => p === 'job-a'), "job A's stream: only its own changes");
  await reader.return?.();

  // cleaning up one job leaves the other's things alone
  t.equal((await emu.call('DELETE', '/_emulator/faults?project_id=job-a')).status, 204);
  t.equal((await emu.call('DELETE', '/_emulator/requests?project_id=job-a')).status, 204);
  t.same((await emu.call('GET', '/_emulator/requests?project_id=job-a')).body.requests, []);
  t.equal((await emu.call('GET', '/_emulator/requests?project_id=job-b')).body.requests.length, 1, "job B's calls are still there");
  t.same((await emu.call('GET', '/_emulator/faults')).body.faults.map((f: { project_id: string }) => f.project_id), ['job-b']);
  t.equal((await emu.call('GET', '/v5/job-a/image/local-repositories')).status, 200, "job A's fault is gone");
  t.equal((await emu.call('GET', '/v5/job-b/image/local-repositories')).status, 429, "job B's is not");
  t.equal((await emu.call('DELETE', '/_emulator/projects/job-a')).status, 204);
  t.equal((await emu.call('GET', '/_emulator/projects')).body.projects.some((p: { project_id: string }) => p.project_id === 'job-a'), false);
});

t.test('a project-scoped fault takes only an operation whose path names the project', async (t) => {
  const emu = await started(t, { auth: 'off' });
  const refused = await emu.call('POST', '/_emulator/faults', { operation: 'KeystoneCreateUserTokenByPassword', project_id: 'job-a', status: 500 });
  t.equal(refused.status, 400);
  t.match(refused.body.error_msg, /names no project in its path/);
  t.same((await emu.call('GET', '/_emulator/faults')).body.faults, [], 'nothing added');
  const anyProject = await emu.call('POST', '/_emulator/faults', { operation: 'ListLocalImageAppInfo', status: 500, times: 1 });
  t.equal(anyProject.status, 201, 'without project_id a rule hits every project, as before');
  t.equal((await emu.call('GET', `/v5/${PROJECT_A}/image/local/apps?image_id=${AGENT_IMAGE}`)).status, 500);
});
