/**
 * A user's test suite, written against the public API only: `startEmulator` from the
 * package, the official SDK core as the client, the control plane over HTTP.
 */
import t from 'tap';
import { startEmulator } from 'hss-emulator';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';

const PROJECT = '2b31ed520b4d4e0a9c3d7f6e5a4b3c21';
const IMAGE = 'c499ab72-7ee9-4ee6-b6b7-5973230e7a7b';

type Image = { image_id: string; scan_status: string; latest_scan_time: number };

function client(url: string): HcClient {
  const credentials = new BasicCredentials()
    .withAk('HSSEMUADMINAK0000001')
    .withSk('hssEmulatorAdminSecretKey000000000000001')
    .withProjectId(PROJECT);
  return new ClientBuilder<HcClient>((c) => c).withCredential(credentials).withEndpoint(url).build();
}

const statusOf = async (hss: HcClient) => {
  const list = (await hss.sendRequest({ method: 'GET', url: '/v5/{project_id}/image/local-repositories', contentType: 'application/json', pathParams: {}, queryParams: {}, headers: {} })) as { data_list: Image[] };
  return list.data_list.find((i) => i.image_id === IMAGE)!;
};

t.test('start, scan, move time, reset, close', async (t) => {
  // The SDK signs with the real time: start the manual clock there.
  const emulator = await startEmulator({ clock_start: Date.now() });
  t.teardown(() => emulator.close());
  t.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const hss = client(emulator.url);

  await hss.sendRequest({
    method: 'POST',
    url: '/v5/{project_id}/image/local/batch-scan',
    contentType: 'application/json',
    pathParams: {},
    queryParams: {},
    headers: {},
    data: { image_info_list: [{ image_id: IMAGE }] },
  });
  t.equal((await statusOf(hss)).scan_status, 'scanning');
  const started = emulator.clock.now();
  const reading = emulator.clock.advance(5_000);
  t.equal(reading.now, started + 5_000);
  t.match(await statusOf(hss), { scan_status: 'success', latest_scan_time: started + 2_930 });

  const journal = (await (await fetch(`${emulator.url}/_emulator/requests?operation=BatchScanLocalImage`)).json()) as { requests: { matched: number }[] };
  t.equal(journal.requests[0]?.matched, 1, 'the journal saw the scan');

  emulator.reset();
  t.equal((await statusOf(hss)).scan_status, 'unscan');
  t.throws(() => emulator.clock.set(started), /must not be before/);
});

t.test('defaults: throwaway state, a free port each time', async (t) => {
  const [a, b] = await Promise.all([startEmulator(), startEmulator()]);
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  t.not(a.url, b.url);
  const health = (await (await fetch(`${a.url}/_emulator/health`)).json()) as { clock: { mode: string }; images: number };
  t.match(health, { clock: { mode: 'manual' }, images: 20 });
});
