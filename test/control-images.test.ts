/** /_emulator/images and scripts: seed inventory anywhere, script the next scans of an image. */
import t from 'tap';
import { AGENT_IMAGE, PROJECT_A, PROJECT_B, T0, WEBSHELL_IMAGE, build, expectError, imageIn, started } from './helpers/build.js';

const newImage = (overrides: Record<string, unknown> = {}) => ({
  project_id: PROJECT_B,
  enterprise_project_id: '0',
  image_id: 'seeded-1',
  image_name: 'registry.example.com/team/seeded',
  image_digest: `sha256:${'cd'.repeat(32)}`,
  image_version: '0.1.0',
  local_image_type: 'other_image',
  image_size: 10_000_000,
  latest_update_time: Date.UTC(2026, 11, 1),
  ...overrides,
});

t.test('upsert adds images and replaces existing ones; list shows them with state now', async (t) => {
  const emu = build(t);
  const added = await emu.control('POST', '/_emulator/images', { images: [newImage(), newImage({ image_id: 'seeded-2', image_version: '0.2.0' })] });
  t.same(added.body, { upserted: 2 });
  let b = (await emu.list({ image_name: 'seeded' }, PROJECT_B)).body;
  t.equal(b.total_num, 2);
  const apps = [{ app_name: 'openssl', app_type: 'linux_software', app_version: '3.0.2' }];
  await emu.control('POST', '/_emulator/images', { images: [newImage({ image_version: '9.9.9', scan_status: 'success', vul_num: 5, apps })] });
  b = (await emu.list({ image_name: 'seeded' }, PROJECT_B)).body;
  t.equal(b.total_num, 2, 'replaced, not added');
  t.match(imageIn(b, 'seeded-1'), { image_version: '9.9.9', scan_status: 'success', vul_num: 5 });

  const listed = await emu.control('GET', `/_emulator/images?project_id=${PROJECT_B}&image_id=seeded-1`);
  t.match(listed.body.images, [{ project_id: PROJECT_B, image_id: 'seeded-1', scan_status: 'success', scan_script: [] }]);
  t.equal((await emu.control('GET', '/_emulator/images')).body.images.length, 22);
});

t.test('remove one image or a whole project inventory', async (t) => {
  const emu = build(t);
  t.same((await emu.control('DELETE', `/_emulator/images?project_id=${PROJECT_A}&image_id=${AGENT_IMAGE}`)).body, { removed: 1 });
  t.notOk(imageIn((await emu.list()).body, AGENT_IMAGE));
  t.same((await emu.control('DELETE', `/_emulator/images?project_id=${PROJECT_B}`)).body, { removed: 6 });
  await expectError(t, (await emu.control('DELETE', `/_emulator/images?project_id=${PROJECT_B}`)).res, 404, 'EMULATOR.0404');
  await expectError(t, (await emu.control('DELETE', '/_emulator/images')).res, 400, 'EMULATOR.0400', /project_id is required/);
});

t.test('bad images are refused and nothing of the batch is written', async (t) => {
  const emu = build(t);
  const bad = await emu.control('POST', '/_emulator/images', { images: [newImage(), newImage({ image_id: 'x', project_id: 'nowhere' })] });
  await expectError(t, bad.res, 400, 'EMULATOR.0400', /images\[1\]\.project_id: unknown project nowhere/);
  t.equal((await emu.list({ image_name: 'seeded' }, PROJECT_B)).body.total_num, 0);
  await expectError(t, (await emu.control('POST', '/_emulator/images', { images: [] })).res, 400, 'HSS.0001', /images must NOT have fewer than 1/);
  await expectError(t, (await emu.control('POST', '/_emulator/images', { images: [newImage({ image_digest: 'md5:1' })] })).res, 400, 'HSS.0001', /image_digest must match pattern/);
});

t.test('a script decides the next scans, one step per scan, then the fixture rule again', async (t) => {
  const emu = build(t, { scan_base_ms: 1_000, scan_throughput_mb_s: 0 });
  const scripted = await emu.control('POST', `/_emulator/images/${AGENT_IMAGE}/script`, [
    { outcome: 'download_failed', duration_ms: 5_000 },
    { outcome: 'failed', scan_failed_desc: 'docker_offline' },
    { outcome: 'success', scan_result: { vul_num: 0, malicious_file_num: 0 } },
  ]);
  t.equal(scripted.status, 200);
  t.equal(scripted.body.scan_script.length, 3);

  const scanAndFinish = async (ms: number) => {
    t.equal((await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] })).headers['x-emulator-matched'], '1');
    emu.clock.advance(ms);
    return imageIn((await emu.list()).body, AGENT_IMAGE)!;
  };
  t.equal((await scanAndFinish(4_999)).scan_status, 'scanning', 'the scripted duration applies');
  emu.clock.advance(1);
  t.match(imageIn((await emu.list()).body, AGENT_IMAGE), { scan_status: 'failed', scan_failed_desc: 'image_not_exist_or_docker_api_fault', latest_scan_time: T0 + 5_000 });
  t.match(await scanAndFinish(1_000), { scan_status: 'failed', scan_failed_desc: 'docker_offline' });
  t.match(await scanAndFinish(1_000), { scan_status: 'success', vul_num: 0, severity_level: 'Security' });
  t.match(await scanAndFinish(1_000), { scan_status: 'success', vul_num: 3 }, 'script spent: the fixture result again');
  t.same((await emu.control('GET', `/_emulator/images?image_id=${AGENT_IMAGE}`)).body.images[0].scan_script, []);
});

t.test('script errors', async (t) => {
  const emu = build(t);
  await emu.control('POST', '/_emulator/images', { images: [newImage({ image_id: WEBSHELL_IMAGE })] });
  await expectError(t, (await emu.control('POST', `/_emulator/images/${WEBSHELL_IMAGE}/script`, [{ outcome: 'success' }])).res, 400, 'EMULATOR.0400', /several projects/);
  const one = await emu.control('POST', `/_emulator/images/${WEBSHELL_IMAGE}/script?project_id=${PROJECT_B}`, [{ outcome: 'success' }]);
  t.equal(one.body.project_id, PROJECT_B);
  await expectError(t, (await emu.control('POST', '/_emulator/images/nope/script', [])).res, 404, 'EMULATOR.0404');
  await expectError(t, (await emu.control('POST', `/_emulator/images/${AGENT_IMAGE}/script`, [{ outcome: 'exploded' }])).res, 400, 'HSS.0001', /\[0\]\.outcome must be one of/);
  await expectError(t, (await emu.control('POST', `/_emulator/images/${AGENT_IMAGE}/script`, { outcome: 'success' })).res, 400, 'HSS.0002', /JSON array/);
});

t.test('over a real socket with startEmulator: seed, script, scan, advance', async (t) => {
  const emu = await started(t, { auth: 'off', scan_throughput_mb_s: 0 });
  t.equal((await emu.call('POST', '/_emulator/images', { images: [newImage()] })).status, 200);
  await emu.call('POST', `/_emulator/images/seeded-1/script`, [{ outcome: 'failed', scan_failed_desc: 'docker_root_in_nfs', duration_ms: 100 }]);
  await emu.call('POST', `/v5/${PROJECT_B}/image/local/batch-scan`, { image_info_list: [{ image_id: 'seeded-1' }] });
  emu.clock.advance(100);
  const images = (await emu.call('GET', `/_emulator/images?project_id=${PROJECT_B}&image_id=seeded-1`)).body.images;
  t.match(images, [{ scan_status: 'failed', scan_failed_desc: 'docker_root_in_nfs', latest_scan_time: T0 + 100, scan_script: [] }]);
  t.same((await emu.call('DELETE', `/_emulator/images?project_id=${PROJECT_B}&image_id=seeded-1`)).body, { removed: 1 });
});
