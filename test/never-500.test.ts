/** Whatever a client sends, the answer is a 200 or a Huawei-format 4xx — never a 500. */
import t from 'tap';
import fc from 'fast-check';
import { PROJECT_A, build } from './helpers/build.js';

const RUNS = 150;
const BODY_FIELDS = [
  'operate_all', 'image_info_list', 'image_name', 'image_version', 'local_image_type', 'scan_status', 'image_size',
  'start_latest_update_time', 'end_latest_update_time', 'start_latest_scan_time', 'end_latest_scan_time',
];
const QUERY_KEYS = [
  'enterprise_project_id', 'offset', 'limit', 'image_name', 'image_version', 'scan_status', 'local_image_type', 'image_size',
  'start_latest_update_time', 'end_latest_update_time', 'has_vul', 'host_name', 'host_id', 'host_ip', 'container_id',
  'pod_name', 'app_name', 'has_container', 'image_id', 'image_digest', 'agent_id',
];

const anyValue = fc.oneof(fc.jsonValue(), fc.string(), fc.integer(), fc.double(), fc.boolean());
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...BODY_FIELDS), anyValue),
  fc.record({ image_info_list: fc.array(fc.dictionary(fc.constantFrom('image_id', 'image_name', 'image_digest', 'image_version'), anyValue)) }),
  fc.jsonValue(),
);
const queryValue = fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('true', 'false', '-1', '1e400', 'all_granted_eps', '0'));
const query = fc.dictionary(fc.constantFrom(...QUERY_KEYS), queryValue);

function assertHuawei(_t: unknown, res: { statusCode: number; json(): any }) {
  if (res.statusCode === 200) return true;
  const error = res.json();
  return res.statusCode >= 400 && res.statusCode < 500 && /^(HSS|APIGW)\.\d{4}$/.test(error.error_code) && typeof error.error_msg === 'string';
}

t.test('random batch-scan bodies', async (t) => {
  const emu = build(t, { scan_base_ms: 0, scan_throughput_mb_s: 0 });
  await fc.assert(
    fc.asyncProperty(body, query, async (payload, q) => {
      const res = await emu.inject({
        method: 'POST',
        url: `/v5/${PROJECT_A}/image/local/batch-scan`,
        query: q,
        payload: JSON.stringify(payload),
        headers: { 'content-type': 'application/json' },
      });
      return assertHuawei(t, res);
    }),
    { numRuns: RUNS, seed: 20261127 },
  );
  t.pass('no 500 in random bodies');
});

t.test('random queries on every list route', async (t) => {
  const emu = build(t);
  const routes = ['image/local-repositories', 'image/local/hosts', 'image/local/containers', 'image/local/apps'];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...routes), query, async (route, q) => {
      const res = await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/${route}`, query: q });
      return assertHuawei(t, res);
    }),
    { numRuns: RUNS * 2, seed: 20261127 },
  );
  t.pass('no 500 in random queries');
});

t.test('odd paths and raw bytes', async (t) => {
  const emu = build(t);
  for (const url of ['/v5//image/local-repositories', `/v5/${'p'.repeat(300)}/image/local-repositories`, '/v5/%ZZ/image/local/hosts', '/%', '/']) {
    const res = await emu.inject({ method: 'GET', url });
    t.ok(assertHuawei(t, res), `${url.slice(0, 40)} -> ${res.statusCode}`);
  }
  const binary = await emu.inject({
    method: 'POST',
    url: `/v5/${PROJECT_A}/image/local/batch-scan`,
    payload: Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
    headers: { 'content-type': 'application/json' },
  });
  t.equal(binary.statusCode, 400);
});

t.test('random queries and image ids on ListImageVulnerabilities', async (t) => {
  const emu = build(t);
  const keys = ['image_type', 'namespace', 'image_name', 'tag_name', 'enterprise_project_id', 'offset', 'limit', 'instance_id', 'repair_necessity', 'vul_id', 'app_name', 'type', 'handle_status'];
  const value = fc.oneof(queryValue, fc.constantFrom('local_image', 'private_image', 'immediate_repair', 'app_vul', 'handled', '', '%', 'nginx'));
  const imageId = fc.oneof(fc.constantFrom('c499ab72-7ee9-4ee6-b6b7-5973230e7a7b', 'nope'), fc.string({ minLength: 1, maxLength: 200 }));
  await fc.assert(
    fc.asyncProperty(imageId, fc.dictionary(fc.constantFrom(...keys), value), async (id, q) => {
      const res = await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/${encodeURIComponent(id)}/vulnerabilities`, query: q });
      return assertHuawei(t, res);
    }),
    { numRuns: RUNS * 2, seed: 20261130 },
  );
  t.pass('no 500 in random vulnerability queries');
});

t.test("random queries on the control plane's project views", async (t) => {
  const emu = build(t);
  const keys = ['name', 'scan_status', 'sort', 'order', 'offset', 'limit'];
  const value = fc.oneof(queryValue, fc.constantFrom('image_name', 'vul_num', 'asc', 'desc', 'success', '1000000000'));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('images', 'scans'), fc.dictionary(fc.constantFrom(...keys), value), async (view, q) => {
      const res = await emu.app.inject({ method: 'GET', url: `/_emulator/projects/${PROJECT_A}/${view}`, query: q });
      if (res.statusCode === 200) return true;
      const error = res.json();
      return res.statusCode === 400 && /^(HSS|EMULATOR)\.\d{4}$/.test(error.error_code) && typeof error.error_msg === 'string';
    }),
    { numRuns: RUNS, seed: 20261130 },
  );
  t.pass('no 500 in random control-plane queries');
});
