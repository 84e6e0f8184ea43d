/**
 * The official SDK core in its default setup, on a real socket: signatures are dated in real
 * time however far the emulated clock moves, and credentials without a project id (or domain
 * id) find it through IAM's GET /v3/projects (or /v3/auth/domains) on the IAM endpoint.
 */
import t, { type Test } from 'tap';
import { BasicCredentials, GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { Region } from '@huaweicloud/huaweicloud-sdk-core/region/region.js';
import { AuthCache } from '@huaweicloud/huaweicloud-sdk-core/internal/services/authcache.js';
import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException.js';
import { ADMIN, AGENT_IMAGE, DEV, DEV_EP, PROJECT_A, PROJECT_B, started } from './helpers/build.js';
import { batchScan, listImages, sdkClient, sdkDate } from './helpers/sdk.js';

const DOMAIN_ID = '0a1b2c3d4e5f40718293a4b5c6d7e8f9';
const DAY = 86_400_000;

// The SDK caches a looked-up project id per AK and region for the whole process.
t.beforeEach(() => (AuthCache.instance() as unknown as { authMap: Map<string, string> }).authMap.clear());

/** A client as the SDK docs show first: AK/SK and a region, no project id. */
function regionClient(url: string, user: { ak: string; sk: string }, region: string): HcClient {
  const credentials = new BasicCredentials().withAk(user.ak).withSk(user.sk).withIamEndpoint(url);
  return new ClientBuilder<HcClient>((c) => c).withCredential(credentials).withRegion(new Region(region, url)).build();
}

async function journalPaths(call: Awaited<ReturnType<typeof started>>['call']): Promise<string[]> {
  const { body } = await call('GET', '/_emulator/requests');
  return (body.requests as { method: string; path: string; query: Record<string, string> }[])
    .map((r) => `${r.method} ${r.path}${r.query.name ? `?name=${r.query.name}` : ''}`)
    .reverse();
}

async function rejection(t: Test, call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (err) {
    return err as Error;
  }
  t.fail('the call succeeded');
  throw new Error('unreachable');
}

t.test('1. moving the manual clock never makes a fresh signature stale', async (t) => {
  const emulator = await started(t, { clock: 'manual', clock_start: Date.now() });
  const admin = sdkClient(emulator.url, ADMIN.ak, ADMIN.sk, PROJECT_A);
  for (const [label, ms] of [['1 h', 3_600_000], ['24 h', DAY], ['30 days', 30 * DAY]] as const) {
    emulator.clock.advance(label === '1 h' ? ms : ms - (label === '24 h' ? 3_600_000 : DAY));
    t.equal((await listImages(admin)).httpStatusCode, 200, `list after ${label}`);
    t.equal((await batchScan(admin, { image_info_list: [{ image_id: AGENT_IMAGE }] })).httpStatusCode, 200, `batch-scan after ${label}`);
  }
  t.ok(emulator.clock.now() - Date.now() > 29 * DAY, 'the emulated clock is a month ahead');

  for (const [label, at] of [['16 minutes old', Date.now() - 16 * 60_000], ['16 minutes ahead', Date.now() + 16 * 60_000]] as const) {
    const err = await rejection(t, listImages(admin, {}, { 'X-Sdk-Date': sdkDate(at) }));
    t.ok(err instanceof ClientRequestException, label);
    t.match(err, { httpStatusCode: 401, errorCode: 'APIGW.0301', errorMsg: /signature expired, signature time:\d{8}T\d{6}Z, server time:\d{8}T\d{6}Z/ }, `${label}: still refused`);
  }
});

t.test('1. a clock started a year in the past still takes fresh signatures', async (t) => {
  const emulator = await started(t, { clock: 'manual', clock_start: Date.now() - 365 * DAY });
  const admin = sdkClient(emulator.url, ADMIN.ak, ADMIN.sk, PROJECT_A);
  t.equal((await listImages(admin)).httpStatusCode, 200);
  t.equal((await batchScan(admin, { image_info_list: [{ image_id: AGENT_IMAGE }] })).httpStatusCode, 200);
});

t.test('2. BasicCredentials with a region and no project id look the project up in IAM', async (t) => {
  const emulator = await started(t, { clock_start: Date.now() });
  const admin = regionClient(emulator.url, ADMIN, 'cn-north-4');
  const list = await listImages(admin, { limit: 50 });
  t.equal(list.httpStatusCode, 200);
  t.equal(list.total_num, 4, "project B's images (cn-north-4)");
  t.same(await journalPaths(emulator.call), [`GET /v3/projects?name=cn-north-4`, `GET /v5/${PROJECT_B}/image/local-repositories`]);

  const dev = regionClient(emulator.url, DEV, 'cn-north-7');
  const devList = await listImages(dev, { enterprise_project_id: DEV_EP });
  t.equal(devList.httpStatusCode, 200, 'the dev user finds project A, the one it holds');
  t.equal(devList.total_num, 4, "project A's images in the dev enterprise project");
  t.same((await journalPaths(emulator.call)).slice(-2), [`GET /v3/projects?name=cn-north-7`, `GET /v5/${PROJECT_A}/image/local-repositories`]);
});

t.test('2. the IAM endpoint from HUAWEICLOUD_SDK_IAM_ENDPOINT, credentials from the environment', async (t) => {
  const emulator = await started(t, { clock_start: Date.now() });
  const saved = { ...process.env };
  t.teardown(() => {
    for (const key of ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_IAM_ENDPOINT']) delete process.env[key];
    Object.assign(process.env, saved);
  });
  process.env.HUAWEICLOUD_SDK_AK = ADMIN.ak;
  process.env.HUAWEICLOUD_SDK_SK = ADMIN.sk;
  process.env.HUAWEICLOUD_SDK_IAM_ENDPOINT = emulator.url;
  const client = new ClientBuilder<HcClient>((c) => c).withRegion(new Region('cn-north-7', emulator.url)).build();
  const list = await listImages(client);
  t.equal(list.httpStatusCode, 200);
  t.equal(list.total_num, 10, "project A's images in enterprise project 0");
});

t.test('2. an unknown region gives the SDK its own error', async (t) => {
  const emulator = await started(t, { clock_start: Date.now() });
  const err = await rejection(t, listImages(regionClient(emulator.url, ADMIN, 'ap-southeast-1')));
  t.match(err.message, /the region input is not supported to create project automatically/);
  t.notOk(err instanceof ClientRequestException, 'not an HTTP error: the SDK stops before the HSS call');
  t.same(await journalPaths(emulator.call), ['GET /v3/projects?name=ap-southeast-1', 'GET /v3/regions']);
});

t.test('2. GlobalCredentials without a domain id find it at GET /v3/auth/domains', async (t) => {
  const emulator = await started(t, { clock_start: Date.now() });
  const credentials = new GlobalCredentials().withAk(ADMIN.ak).withSk(ADMIN.sk).withIamEndpoint(emulator.url);
  const client = new ClientBuilder<HcClient>((c) => c).withCredential(credentials).withRegion(new Region('cn-north-7', emulator.url)).build();
  const regions = (await client.sendRequest({ method: 'GET', url: '/v3/regions', contentType: 'application/json', pathParams: {}, queryParams: {}, headers: {} })) as {
    regions: { id: string }[];
  };
  t.same(regions.regions.map((r) => r.id), ['cn-north-4', 'cn-north-7']);
  t.equal((credentials.getPathParams() as { domain_id?: string }).domain_id, DOMAIN_ID, "the SDK holds the account's stable id");
  t.same(await journalPaths(emulator.call), ['GET /v3/auth/domains', 'GET /v3/regions']);
});

t.test('2. the IAM look-ups: shapes, filters, what each caller may see, the gateway in front', async (t) => {
  const emulator = await started(t, { clock_start: Date.now() });
  const admin = sdkClient(emulator.url, ADMIN.ak, ADMIN.sk, '');
  const get = (client: HcClient, url: string, queryParams: Record<string, unknown> = {}) =>
    client.sendRequest({ method: 'GET', url, contentType: 'application/json', pathParams: {}, queryParams, headers: {} }) as Promise<Record<string, any>>;
  const all = await get(admin, '/v3/projects');
  t.same(all.links, { self: `${emulator.url}/v3/projects`, previous: null, next: null });
  t.same(all.projects.map((p: { name: string }) => p.name), ['cn-north-7', 'cn-north-4']);
  t.same(all.projects[0], {
    id: PROJECT_A,
    name: 'cn-north-7',
    domain_id: DOMAIN_ID,
    description: '',
    enabled: true,
    is_domain: false,
    parent_id: DOMAIN_ID,
    links: { self: `${emulator.url}/v3/projects/${PROJECT_A}` },
  });
  t.same((await get(admin, '/v3/projects', { domain_id: DOMAIN_ID, enabled: true, is_domain: false })).projects.length, 2);
  t.same((await get(admin, '/v3/projects', { is_domain: true })).projects, []);
  t.same((await get(admin, '/v3/projects', { name: 'cn-north-4' })).projects.map((p: { id: string }) => p.id), [PROJECT_B]);
  const page = await get(admin, '/v3/projects', { page: 1, per_page: 1 });
  t.equal(page.projects.length, 1);
  t.match(page.links, { previous: null, next: /page=2&per_page=1$/ });

  const dev = sdkClient(emulator.url, DEV.ak, DEV.sk, '');
  t.same((await get(dev, '/v3/projects')).projects.map((p: { id: string }) => p.id), [PROJECT_A], 'only the projects the user holds');
  t.same((await get(dev, '/v3/projects', { name: 'cn-north-4' })).projects, []);

  const domains = await get(admin, '/v3/auth/domains');
  t.same(domains.domains, [{ id: DOMAIN_ID, name: 'hss-emulator', enabled: true, description: '', links: { self: `${emulator.url}/v3/domains/${DOMAIN_ID}` } }]);

  const unsigned = await emulator.call('GET', '/v3/projects');
  t.equal(unsigned.status, 401);
  t.match(unsigned.body, { error_code: 'APIGW.0301', error_msg: /x-auth-token not found/ }, "the gateway's envelope");
  const wrong = await rejection(t, get(sdkClient(emulator.url, ADMIN.ak, 'wrong', ''), '/v3/auth/domains'));
  t.match(wrong, { httpStatusCode: 401, errorCode: 'APIGW.0301' });
  const badQuery = await emulator.call('GET', '/v3/projects?per_page=0', undefined, { 'x-auth-token': await adminToken(emulator.url) });
  t.equal(badQuery.status, 400);
  t.match(badQuery.body, { error: { code: 400, title: 'Bad Request' } }, "IAM's own errors are Keystone's");
  const byToken = await emulator.call('GET', '/v3/projects?name=cn-north-7', undefined, { 'x-auth-token': await adminToken(emulator.url) });
  t.same(byToken.body.projects.map((p: { id: string }) => p.id), [PROJECT_A], 'a token works too');
});

async function adminToken(url: string): Promise<string> {
  const res = await fetch(`${url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: ADMIN.name, password: ADMIN.password, domain: { name: 'hss-emulator' } } } },
        scope: { project: { id: PROJECT_A } },
      },
    }),
  });
  return res.headers.get('x-subject-token')!;
}
