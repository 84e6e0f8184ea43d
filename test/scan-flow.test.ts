/** The scan lifecycle end to end through the HTTP interface, on a manual clock. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { AGENT_IMAGE, PROJECT_A, T0, WEBSHELL_IMAGE, build, imageIn } from './helpers/build.js';

/** The example request of the official batch-scan page (upstream-batch-scan.txt), verbatim. */
function officialExample(): { url: string; body: string } {
  const text = readFileSync(new URL('./data/batch-scan-example.http', import.meta.url), 'utf8');
  const [requestLine, ...body] = text.split('\n\n');
  const url = /^POST https:\/\/\{endpoint\}(\S+)$/.exec(requestLine!)![1]!;
  return { url: url.replace('{project_id}', PROJECT_A), body: body.join('\n\n') };
}

t.test('the official example request, then time passes, then the list shows the outcome', async (t) => {
  const emu = build(t);
  const example = officialExample();
  t.equal(example.url, `/v5/${PROJECT_A}/image/local/batch-scan?enterprise_project_id=all_granted_eps`);
  const res = await emu.inject({ method: 'POST', url: example.url, payload: example.body, headers: { 'content-type': 'application/json' } });
  t.equal(res.statusCode, 200);
  t.same(res.json(), {});
  t.equal(res.headers['x-emulator-matched'], '2');

  let { body } = await emu.list();
  t.match(imageIn(body, AGENT_IMAGE), { scan_status: 'scanning', latest_scan_time: 0 });
  t.match(imageIn(body, WEBSHELL_IMAGE), { scan_status: 'scanning', latest_scan_time: 0 });

  // 2 s base + size at 200 MB/s: the 95 MB image ends after 2475 ms, the 186 MB one after 2930 ms.
  emu.clock.advance(2_474);
  ({ body } = await emu.list());
  t.equal(imageIn(body, WEBSHELL_IMAGE)?.scan_status, 'scanning', 'not a millisecond early');
  emu.clock.advance(1);
  ({ body } = await emu.list());
  t.match(imageIn(body, WEBSHELL_IMAGE), {
    scan_status: 'success',
    latest_scan_time: T0 + 2_475,
    vul_num: 14,
    severity_level: 'High',
    malicious_file_num: 2,
    unsafe_setting_num: 3,
    component_num: 2,
    scan_failed_desc: '',
  });
  t.equal(imageIn(body, AGENT_IMAGE)?.scan_status, 'scanning');

  emu.clock.advance(60_000);
  ({ body } = await emu.list());
  t.match(imageIn(body, AGENT_IMAGE), {
    scan_status: 'success',
    latest_scan_time: T0 + 2_930,
    vul_num: 3,
    severity_level: 'Low',
    component_num: 3,
  });
});

t.test('lanes queue scans: with one lane the second image waits for the first', async (t) => {
  const emu = build(t, { lanes: 1, scan_base_ms: 1_000, scan_throughput_mb_s: 0 });
  await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }, { image_id: WEBSHELL_IMAGE }] });
  let { body } = await emu.list();
  t.equal(imageIn(body, AGENT_IMAGE)?.scan_status, 'scanning', 'the newer image is first in list order');
  t.equal(imageIn(body, WEBSHELL_IMAGE)?.scan_status, 'waiting');
  emu.clock.advance(1_000);
  ({ body } = await emu.list());
  t.equal(imageIn(body, AGENT_IMAGE)?.scan_status, 'success');
  t.equal(imageIn(body, WEBSHELL_IMAGE)?.scan_status, 'scanning');
  emu.clock.advance(5_000);
  ({ body } = await emu.list());
  t.match(imageIn(body, WEBSHELL_IMAGE), { scan_status: 'success', latest_scan_time: T0 + 2_000 });
  const waiting = await emu.list({ scan_status: 'waiting_for_scan' });
  t.equal(waiting.body.total_num, 0);
});

t.test('each outcome: failure kinds, oversize, fixtures rules, rescans', async (t) => {
  const emu = build(t, { lanes: 16, scan_base_ms: 100, scan_throughput_mb_s: 0 });
  const res = await emu.batchScan({ operate_all: true }, { enterprise_project_id: 'all_granted_eps' });
  t.equal(res.headers['x-emulator-matched'], '13');
  emu.clock.advance(10_000);
  const { body } = await emu.list({ enterprise_project_id: 'all_granted_eps', limit: 50 });
  const byName = (name: string) => body.data_list.find((i) => i.image_name === name)!;
  t.match(byName('postgres'), { scan_status: 'failed', scan_failed_desc: 'docker_offline', vul_num: 0 });
  t.match(byName('busybox'), { scan_status: 'failed', scan_failed_desc: 'response_timed_out' });
  t.match(byName('swr.cn-north-7.myhuaweicloud.com/legacy/billing'), {
    scan_status: 'failed',
    scan_failed_desc: 'image_not_exist_or_docker_api_fault',
  });
  t.match(byName('swr.cn-north-7.myhuaweicloud.com/ai/llm-inference'), {
    scan_status: 'failed',
    scan_failed_desc: 'huge_image',
    latest_scan_time: T0 + 100,
  });
  t.match(byName('redis'), { scan_status: 'success', vul_num: 0, severity_level: 'Security', component_num: 1 });
  t.match(byName('mysql'), { scan_status: 'success', vul_num: 31, severity_level: 'High' });
  t.match(byName('mcr.microsoft.com/windows/servercore'), { scan_status: 'unscan', latest_scan_time: 0 });
  const alpine = byName('alpine');
  t.equal(alpine.scan_status, 'success');
  t.equal(alpine.component_num, 0, 'component_num counts the apps the inventory lists: none');
  t.ok((alpine.unsafe_setting_num as number) >= 0 && typeof alpine.vul_num === 'number', 'findings derived from the digest');

  const rescan = await emu.batchScan({ image_info_list: [{ image_name: 'alpine' }] });
  t.equal(rescan.headers['x-emulator-matched'], '1', 'a finished image can be scanned again');
  const during = (await emu.list({ image_name: 'alpine' })).body.data_list[0]!;
  t.match(during, { scan_status: 'scanning', latest_scan_time: T0 + 100, vul_num: alpine.vul_num }, 'the last result shows until the new one');
  emu.clock.advance(100);
  const after = (await emu.list({ image_name: 'alpine' })).body.data_list[0]!;
  t.same(after, { ...alpine, latest_scan_time: T0 + 10_100 }, 'the same image scans the same');
});

t.test('zero durations make scans finish within the request', async (t) => {
  const emu = build(t, { scan_base_ms: 0, scan_throughput_mb_s: 0 });
  await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] });
  const { body } = await emu.list();
  t.match(imageIn(body, AGENT_IMAGE), { scan_status: 'success', latest_scan_time: T0 });
});

t.test('scan states are the same for every reader at one instant, whatever the route', async (t) => {
  const emu = build(t, { scan_base_ms: 1_000, scan_throughput_mb_s: 0 });
  await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] });
  emu.clock.advance(1_000);
  // a hosts request is the first to see the new instant; the list after it agrees
  const hosts = await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local/hosts` });
  t.equal(hosts.statusCode, 200);
  t.equal(imageIn((await emu.list()).body, AGENT_IMAGE)?.scan_status, 'success');
});
