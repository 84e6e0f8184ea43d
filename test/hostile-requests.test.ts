/**
 * 2,000+ generated hostile requests over a real socket, across every route — the cloud
 * plane, IAM and the control plane — with hostile methods, headers, credentials and bodies:
 * no 5xx, every answer carries an X-Request-Id and errors come in the Huawei envelope, and
 * the server still answers health afterwards.
 */
import t from 'tap';
import fc from 'fast-check';
import { AGENT_IMAGE, PROJECT_A, PROJECT_B, started } from './helpers/build.js';

const RUNS = 2_100;
const PATHS = [
  `/v5/${PROJECT_A}/image/local/batch-scan`,
  `/v5/${PROJECT_A}/image/local-repositories`,
  `/v5/${PROJECT_B}/image/local/hosts`,
  `/v5/${PROJECT_A}/image/local/containers`,
  `/v5/${PROJECT_A}/image/local/apps`,
  '/v5/%ZZ/image/local-repositories',
  `/v5/${'p'.repeat(400)}/image/local/batch-scan`,
  '/v3/auth/tokens',
  '/v3/projects',
  '/v3/auth/domains',
  '/v3/regions',
  '/_emulator/health',
  '/_emulator/reset',
  '/_emulator/projects',
  '/_emulator/projects/nowhere',
  '/_emulator/images',
  `/_emulator/images/${AGENT_IMAGE}/script`,
  '/_emulator/state',
  '/_emulator/clock',
  '/_emulator/faults',
  '/_emulator/faults/1',
  '/_emulator/requests',
  '/_emulator/events',
  '/_emulator/metrics',
  '/_emulator/ui',
  '/_emulator/openapi.json',
  '/_emulator/login',
  '/_emulator/logout',
  '/nowhere',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
const hostileText = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.constantFrom('', ' ', '\u00e9', '%00', '../../etc/passwd', '<script>alert(1)</script>', '1e400', '-1', 'null', '{}', '[]'),
);
const query = fc.dictionary(
  fc.constantFrom('limit', 'offset', 'image_name', 'scan_status', 'enterprise_project_id', 'project_id', 'image_id', 'include_secrets', 'last_event_id', 'nocatalog', 'sk', 'operation', 'status', 'token', 'next'),
  hostileText,
  { maxKeys: 4 },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{"operate_all":true', '{"fixtures":false,}', `${'['.repeat(3000)}`, '{"advance_ms":9e15}', '{"now":8640000000000001}', '{"schema_version":5,"tables":{"images":[1]}}'),
);
const headers = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
    origin: fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1'),
    'x-auth-token': hostileText,
    authorization: fc.constantFrom('SDK-HMAC-SHA256 Access=HSSEMUADMINAK0000001, SignedHeaders=host, Signature=00', 'Bearer x', 'SDK-HMAC-SHA256', 'Basic YTpi'),
    'x-sdk-date': fc.constantFrom('20261127T000000Z', 'yesterday', '99999999T999999Z'),
    'x-sdk-content-sha256': fc.constantFrom('UNSIGNED-PAYLOAD', 'abc'),
    region: hostileText,
    'last-event-id': hostileText,
  },
  { requiredKeys: [] },
);

t.test('hostile requests over a real socket: no 5xx, always the envelope and an X-Request-Id', async (t) => {
  const emu = await started(t, { scan_base_ms: 0 });
  let sent = 0;
  const problems: string[] = [];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...METHODS), fc.constantFrom(...PATHS), query, headers, body, async (method, path, q, h, payload) => {
      // the event stream is long-lived by design: only HEAD is in the mix
      if (path === '/_emulator/events' && method === 'GET') return;
      const search = new URLSearchParams(q).toString();
      const cleanHeaders = Object.fromEntries(Object.entries(h).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v)));
      const res = await fetch(`${emu.url}${path}${search ? `?${search}` : ''}`, {
        method,
        headers: cleanHeaders,
        body: method === 'GET' || method === 'HEAD' ? undefined : payload,
      });
      const text = await res.text();
      sent++;
      const where = `${method} ${path}?${search} ${JSON.stringify(cleanHeaders)} ${String(payload).slice(0, 80)} → ${res.status} ${text.slice(0, 200)}`;
      if (res.status >= 500) problems.push(`5xx: ${where}`);
      if (!/^[0-9a-f]{32}$/.test(res.headers.get('x-request-id') ?? '')) problems.push(`no X-Request-Id: ${where}`);
      if (res.status >= 400 && method !== 'HEAD') {
        const error = JSON.parse(text);
        const huawei = typeof error.error_code === 'string' && typeof error.error_msg === 'string' && /^[0-9a-f]{32}$/.test(error.request_id);
        const keystone = path.startsWith('/v3/') && typeof error.error?.code === 'number' && typeof error.error?.message === 'string';
        if (!huawei && !keystone) problems.push(`not the envelope: ${where}`);
      }
      return problems.length === 0;
    }),
    { numRuns: RUNS, seed: 20261130, endOnFailure: true },
  );
  t.same(problems, [], 'every answer as the cloud would give it');
  t.ok(sent >= 2_000, `${sent} requests sent`);
  const health = await emu.call('GET', '/_emulator/health');
  t.equal(health.status, 200, 'the server still answers health');
});
