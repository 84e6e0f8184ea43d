/**
 * The official SDK core (ClientBuilder + BasicCredentials + HcClient) against the emulator
 * on a real socket: the AK/SK path a program written for the real cloud takes.
 */
import t, { type Test } from 'tap';
import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException.js';
import { startServer } from '../src/server.js';
import { defaultConfig, type Config } from '../src/config/options.js';
import { ADMIN, AGENT_IMAGE, DEV, DEV_EP, PROJECT_A, PROJECT_B } from './helpers/build.js';
import { batchScan, listImages, sdkClient, sdkDate } from './helpers/sdk.js';

async function serve(t: Test, overrides: Partial<Config> = {}): Promise<string> {
  const emulator = await startServer({
    config: { ...defaultConfig(), db: ':memory:', port: 0, ...overrides },
    logger: false,
  });
  t.teardown(() => emulator.app.close());
  return emulator.url;
}

/** The SDK's exception for a 4xx, or a failure if the call did not throw one. */
async function rejection(t: Test, call: Promise<unknown>): Promise<ClientRequestException> {
  try {
    await call;
  } catch (err) {
    t.ok(err instanceof ClientRequestException, 'the SDK raises ClientRequestException');
    return err as ClientRequestException;
  }
  t.fail('the call succeeded');
  throw new Error('unreachable');
}

t.test('admin: list and batch-scan in both projects', async (t) => {
  const url = await serve(t);
  const a = sdkClient(url, ADMIN.ak, ADMIN.sk, PROJECT_A);
  const list = await listImages(a, { enterprise_project_id: 'all_granted_eps', limit: 50 });
  t.equal(list.httpStatusCode, 200);
  t.equal(list.total_num, 14);
  const scanned = await batchScan(a, { image_info_list: [{ image_id: AGENT_IMAGE }] }, { enterprise_project_id: '0' });
  t.equal(scanned.httpStatusCode, 200);
  const after = await listImages(a, { image_name: 'install-hss-agent' });
  t.match(after.data_list[0]?.scan_status, /^(scanning|success)$/);
  const b = sdkClient(url, ADMIN.ak, ADMIN.sk, PROJECT_B);
  t.equal((await listImages(b, { enterprise_project_id: 'all_granted_eps' })).total_num, 6);
});

t.test('dev: only its enterprise project; HSS.0013 on the default one', async (t) => {
  const url = await serve(t);
  const dev = sdkClient(url, DEV.ak, DEV.sk, PROJECT_A);
  const mine = await listImages(dev, { enterprise_project_id: 'all_granted_eps', limit: 50 });
  t.equal(mine.total_num, 4, 'the four images of the dev enterprise project');
  t.equal((await listImages(dev, { enterprise_project_id: DEV_EP })).total_num, 4);
  for (const query of [{}, { enterprise_project_id: '0' }]) {
    const err = await rejection(t, listImages(dev, query));
    t.equal(err.httpStatusCode, 400);
    t.equal(err.errorCode, 'HSS.0013');
  }
  const denied = await rejection(t, batchScan(dev, { operate_all: true }, { enterprise_project_id: '0' }));
  t.equal(denied.errorCode, 'HSS.0013');
  const other = await rejection(t, listImages(sdkClient(url, DEV.ak, DEV.sk, PROJECT_B), { enterprise_project_id: 'all_granted_eps' }));
  t.equal(other.httpStatusCode, 403);
  t.equal(other.errorCode, 'APIGW.0302');
});

t.test('wrong SK, unknown AK and a stale date are 401 APIGW.0301', async (t) => {
  const url = await serve(t);
  const wrongSk = await rejection(t, listImages(sdkClient(url, ADMIN.ak, 'not-the-secret', PROJECT_A)));
  t.match(wrongSk, { httpStatusCode: 401, errorCode: 'APIGW.0301', errorMsg: 'Incorrect IAM authentication information: verify aksk signature fail' });
  t.match(wrongSk.requestId, /^[0-9a-f]{32}$/);
  const unknownAk = await rejection(t, listImages(sdkClient(url, 'NOSUCHAK000000000000', 'x', PROJECT_A)));
  t.match(unknownAk, { httpStatusCode: 401, errorCode: 'APIGW.0301', errorMsg: /Get secretKey failed,ak:\*+,err:ak not exist/ });

  // The SDK signs with the X-Sdk-Date it is given: 16 real minutes old is stale.
  const sixteenMinutesAgo = sdkDate(Date.now() - 16 * 60_000);
  const stale = await rejection(t, listImages(sdkClient(url, ADMIN.ak, ADMIN.sk, PROJECT_A), {}, { 'X-Sdk-Date': sixteenMinutesAgo }));
  t.match(stale, { httpStatusCode: 401, errorCode: 'APIGW.0301', errorMsg: /signature expired/ });
});

t.test('five failures in a row lock the AK: the sixth try fails even with the right SK', async (t) => {
  const url = await serve(t);
  const wrong = sdkClient(url, DEV.ak, 'wrong', PROJECT_A);
  for (let i = 1; i <= 5; i++) {
    const err = await rejection(t, listImages(wrong, { enterprise_project_id: DEV_EP }));
    t.equal(err.errorMsg, 'Incorrect IAM authentication information: verify aksk signature fail', `failure ${i}`);
  }
  const right = sdkClient(url, DEV.ak, DEV.sk, PROJECT_A);
  const locked = await rejection(t, listImages(right, { enterprise_project_id: DEV_EP }));
  t.match(locked, { httpStatusCode: 401, errorCode: 'APIGW.0301', errorMsg: /AK access failed to reach the limit,forbidden\./ });
  const admin = sdkClient(url, ADMIN.ak, ADMIN.sk, PROJECT_A);
  t.equal((await listImages(admin)).httpStatusCode, 200, 'other keys are not affected');
});
