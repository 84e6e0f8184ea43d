/** /_emulator/faults: errors and latency per operation, seeded, counted, in the normal envelope. */
import t from 'tap';
import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException.js';
import { ServerResponseException } from '@huaweicloud/huaweicloud-sdk-core/exception/ServerResponseException.js';
import { ADMIN, PROJECT_A, build, expectError, passwordLogin, started } from './helpers/build.js';
import { listImages, sdkClient } from './helpers/sdk.js';
import { startServer } from '../src/server.js';
import { defaultConfig } from '../src/config/options.js';

t.test('a 429 for the next two list calls, then normal service', async (t) => {
  const emu = build(t);
  const added = await emu.control('POST', '/_emulator/faults', { operation: 'ListImageLocal', status: 429, times: 2 });
  t.equal(added.status, 201);
  t.match(added.body, { id: 1, operation: 'ListImageLocal', status: 429, times: 2, hits: 0 });
  for (let i = 0; i < 2; i++) {
    const { res } = await emu.list();
    await expectError(t, res, 429, 'APIGW.0308', /throttling threshold/);
    t.match(res.headers['x-request-id'], /^[0-9a-f]{32}$/);
  }
  t.equal((await emu.list()).res.statusCode, 200, 'spent after two');
  t.equal((await emu.batchScan({ operate_all: true })).statusCode, 200, 'other operations untouched');
  t.match((await emu.control('GET', '/_emulator/faults')).body.faults, [{ id: 1, hits: 2 }]);
});

t.test('own code and message; removal one by one or all', async (t) => {
  const emu = build(t);
  const { body } = await emu.control('POST', '/_emulator/faults', { operation: 'BatchScanLocalImage', status: 400, error_code: 'HSS.1007', error_msg: 'The agent is offline.' });
  await expectError(t, await emu.batchScan({ operate_all: true }), 400, 'HSS.1007', /^The agent is offline\.$/);
  t.equal((await emu.control('DELETE', `/_emulator/faults/${body.id}`)).status, 204);
  t.equal((await emu.batchScan({ operate_all: true })).statusCode, 200);
  await expectError(t, (await emu.control('DELETE', `/_emulator/faults/${body.id}`)).res, 404, 'EMULATOR.0404');
  await emu.control('POST', '/_emulator/faults', { operation: 'ListImageLocal', status: 503 });
  t.equal((await emu.control('DELETE', '/_emulator/faults')).status, 204);
  t.same((await emu.control('GET', '/_emulator/faults')).body, { faults: [] });
  await expectError(t, (await emu.control('POST', '/_emulator/faults', { operation: 'DeleteEverything', status: 500 })).res, 400, 'HSS.0001', /operation must be one of/);
  await expectError(t, (await emu.control('POST', '/_emulator/faults', { operation: 'ListImageLocal', probability: 2 })).res, 400, 'HSS.0001', /probability must be <= 1/);
});

t.test('a probability with a seed hits the same requests every run', async (t) => {
  const hitsOf = async () => {
    const emu = build(t);
    await emu.control('POST', '/_emulator/faults', { operation: 'ListImageLocal', status: 500, probability: 0.3, seed: 42 });
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await emu.list()).res.statusCode);
    return statuses;
  };
  const first = await hitsOf();
  t.same(await hitsOf(), first, 'reproducible');
  const hits = first.filter((s) => s === 500).length;
  t.ok(hits > 3 && hits < 18, `about 30% (${hits} of 30)`);
});

t.test('latency delays the answer; the IAM login can be faulted too, in its own shape', async (t) => {
  const emu = build(t);
  await emu.control('POST', '/_emulator/faults', { operation: 'ListLocalImageHosts', latency_ms: 30 });
  const res = await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local/hosts` });
  t.equal(res.statusCode, 200);
  const journal = (await emu.control('GET', '/_emulator/requests?operation=ListLocalImageHosts')).body.requests;
  t.ok(journal[0].duration_ms >= 25, `took ${journal[0].duration_ms} ms`);
  await emu.control('POST', '/_emulator/faults', { operation: 'KeystoneCreateUserTokenByPassword', status: 500, times: 1 });
  const login = await emu.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: passwordLogin(ADMIN, PROJECT_A) });
  t.equal(login.statusCode, 500);
  t.same(login.json(), { error: { code: 500, message: 'Internal server error.', title: 'Internal Server Error' } });
});

t.test('the SDK core raises the injected code', async (t) => {
  const emulator = await startServer({ config: { ...defaultConfig(), db: ':memory:', port: 0 }, logger: false });
  t.teardown(() => emulator.app.close());
  emulator.faults.add({ operation: 'ListImageLocal', status: 429, times: 1 });
  emulator.faults.add({ operation: 'ListImageLocal', status: 503, error_code: 'APIGW.0613', error_msg: 'IAM is unavailable.', times: 1 });
  const client = sdkClient(emulator.url, ADMIN.ak, ADMIN.sk, PROJECT_A);
  const throttled = await listImages(client).catch((err: unknown) => err);
  t.ok(throttled instanceof ClientRequestException);
  t.match(throttled, { httpStatusCode: 429, errorCode: 'APIGW.0308' });
  const unavailable = await listImages(client).catch((err: unknown) => err);
  t.ok(unavailable instanceof ServerResponseException);
  t.match(unavailable, { httpStatusCode: 503, errorCode: 'APIGW.0613', errorMsg: 'IAM is unavailable.' });
  t.equal((await listImages(client)).httpStatusCode, 200);
});

t.test('over a real socket with startEmulator: a fault added over HTTP', async (t) => {
  const emu = await started(t, { auth: 'off' });
  t.equal((await emu.call('POST', '/_emulator/faults', { operation: 'ListLocalImageContainers', status: 504, times: 1 })).status, 201);
  const faulted = await emu.call('GET', `/v5/${PROJECT_A}/image/local/containers`);
  t.match(faulted, { status: 504, body: { error_code: 'APIGW.0201', error_msg: 'Backend timeout.' } });
  t.equal(faulted.body.request_id, faulted.headers.get('x-request-id'));
  t.equal((await emu.call('GET', `/v5/${PROJECT_A}/image/local/containers`)).status, 200);
});
