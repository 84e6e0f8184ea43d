/**
 * GET /_emulator/events: a client connected before a scan sees waiting → scanning → success
 * as the clock moves, without polling.
 */
import t from 'tap';
import { startServer } from '../src/server.js';
import { testConfig, AGENT_IMAGE, PROJECT_A, PROJECT_B, T0 } from './helpers/build.js';

const AGENT_NAME = 'swr.cn-north-7.myhuaweicloud.com/scc_hss_container/install-hss-agent';
import { EmulatorClock } from '../src/clock/clock.js';
import { ScanTicker } from '../src/services/scan-ticker.js';
import { feed } from '../src/client/control-client.js';

/** Reads server-sent events (name and data) from a stream as they come, with the client's parser. */
function namedEvents(response: Response) {
  return feed(response.body as unknown as AsyncIterable<Uint8Array>);
}

/** Reads server-sent events' data from a stream as they come. */
async function* sse(response: Response) {
  for await (const { data } of namedEvents(response)) yield data as { project_id: string; image_id: string; from: string; to: string; at: number };
}

t.test('the event stream follows a scan as the clock advances', async (t) => {
  const emulator = await startServer({ config: testConfig({ port: 0, auth: 'off', scan_throughput_mb_s: 0 }), logger: false });
  t.teardown(() => emulator.app.close());
  const stream = await fetch(`${emulator.url}/_emulator/events?project_id=${PROJECT_A}`);
  t.equal(stream.status, 200);
  t.match(stream.headers.get('content-type'), /^text\/event-stream/);
  const events = sse(stream);

  const scan = await fetch(`${emulator.url}/v5/${PROJECT_A}/image/local/batch-scan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ image_info_list: [{ image_id: AGENT_IMAGE }] }),
  });
  t.equal(scan.status, 200);
  t.same((await events.next()).value, { id: 1, project_id: PROJECT_A, image_id: AGENT_IMAGE, image_name: AGENT_NAME, from: 'unscan', to: 'waiting', at: T0 });
  t.same((await events.next()).value, { id: 2, project_id: PROJECT_A, image_id: AGENT_IMAGE, image_name: AGENT_NAME, from: 'waiting', to: 'scanning', at: T0 });

  // No request to the cloud API: only the clock moves.
  await fetch(`${emulator.url}/_emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance_ms":2000}' });
  t.same((await events.next()).value, { id: 3, project_id: PROJECT_A, image_id: AGENT_IMAGE, image_name: AGENT_NAME, from: 'scanning', to: 'success', at: T0 + 2_000 });

  // Another project's changes are filtered out of this stream.
  await fetch(`${emulator.url}/v5/${PROJECT_B}/image/local/batch-scan?enterprise_project_id=all_granted_eps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"operate_all":true}',
  });
  await fetch(`${emulator.url}/v5/${PROJECT_A}/image/local/batch-scan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ image_info_list: [{ image_id: AGENT_IMAGE }] }),
  });
  t.match((await events.next()).value, { project_id: PROJECT_A, to: 'waiting' });
  await events.return(undefined);
});

t.test('under the system clock one timer publishes the next change, with no request', async (t) => {
  let system = T0;
  const timers: { callback: () => void; ms: number }[] = [];
  const clock = new EmulatorClock('system', undefined, () => system);
  const emulator = await startServer({ config: testConfig({ port: 0, scan_throughput_mb_s: 0 }), clock, logger: false });
  t.teardown(() => emulator.app.close());
  const { progress, events } = emulator.services;
  const ticker = new ScanTicker(clock, progress, events, {
    setTimeout: (callback, ms) => (timers.push({ callback, ms }), {}),
    clearTimeout: () => timers.splice(0),
  });
  t.teardown(() => ticker.stop());
  const seen: string[] = [];
  events.subscribe((changes) => seen.push(...changes.map((c) => `${c.from}>${c.to}@${c.at - T0}`)));

  // The scan starts through the service itself: only the timer may move it on.
  emulator.services.scans.batchScan({ projectId: PROJECT_A, enterpriseProjects: ['0'] }, { image_info_list: [{ image_id: AGENT_IMAGE }] }, clock.now());
  ticker.poke();
  t.same(timers.map((x) => x.ms), [2_001], 'one timer, due just after the scan ends');
  system += 2_001;
  timers.shift()!.callback();
  t.same(seen, ['unscan>waiting@0', 'waiting>scanning@0', 'scanning>success@2000']);
  t.equal(timers.length, 0, 'nothing left to wait for');
});

t.test('a reset or an import is one `reset` event, on the streams it concerns and in the replay', async (t) => {
  const emulator = await startServer({ config: testConfig({ port: 0, auth: 'off', scan_throughput_mb_s: 0 }), logger: false });
  t.teardown(() => emulator.app.close());
  const post = (path: string, body: unknown) =>
    fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const streamA = namedEvents(await fetch(`${emulator.url}/_emulator/events?project_id=${PROJECT_A}`));
  const streamAll = namedEvents(await fetch(`${emulator.url}/_emulator/events`));

  t.equal((await post(`/v5/${PROJECT_A}/image/local/batch-scan`, { image_info_list: [{ image_id: AGENT_IMAGE }] })).status, 200);
  t.equal((await post('/_emulator/reset', { project_id: PROJECT_B, fixtures: false })).status, 200);
  t.equal((await post('/_emulator/reset', { project_id: PROJECT_A })).status, 200);
  t.equal((await post('/_emulator/reset', {})).status, 200);
  const exported = await (await fetch(`${emulator.url}/_emulator/state`)).text();
  const imported = await fetch(`${emulator.url}/_emulator/state`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: exported });
  t.equal(imported.status, 200);

  const take = async (stream: typeof streamA, count: number) => {
    const seen = [];
    for (let i = 0; i < count; i++) seen.push((await stream.next()).value);
    return seen;
  };
  const resets = [
    { event: 'reset', data: { id: 3, project_id: PROJECT_B, to: 'empty', at: T0 } },
    { event: 'reset', data: { id: 4, project_id: PROJECT_A, to: 'fixtures', at: T0 } },
    { event: 'reset', data: { id: 5, to: 'fixtures', at: T0 } },
    { event: 'reset', data: { id: 6, to: 'import', at: T0 } },
  ];
  const scans = [
    { event: 'scan', data: { id: 1, project_id: PROJECT_A, image_id: AGENT_IMAGE, image_name: AGENT_NAME, from: 'unscan', to: 'waiting', at: T0 } },
    { event: 'scan', data: { id: 2, project_id: PROJECT_A, image_id: AGENT_IMAGE, image_name: AGENT_NAME, from: 'waiting', to: 'scanning', at: T0 } },
  ];
  t.same(await take(streamAll, 6), [...scans, ...resets], 'every event, in order');
  t.same(await take(streamA, 5), [...scans, ...resets.slice(1)], "project A's stream: its own reset and the whole world's, not B's");
  await streamA.return(undefined);
  await streamAll.return(undefined);

  const replayed = namedEvents(await fetch(`${emulator.url}/_emulator/events?project_id=${PROJECT_B}`, { headers: { 'last-event-id': '2' } }));
  t.same(await take(replayed, 3), [resets[0], resets[2], resets[3]], 'Last-Event-ID replays resets under their own name');
  await replayed.return(undefined);
});

t.test('a scan of 0 ms ends in the request that asks for it: waiting, scanning and its outcome, with the same findings as a timed scan', async (t) => {
  const instant = await startServer({ config: testConfig({ port: 0, auth: 'off', scan_base_ms: 0, scan_throughput_mb_s: 0 }), logger: false });
  const timed = await startServer({ config: testConfig({ port: 0, auth: 'off', scan_throughput_mb_s: 0 }), logger: false });
  t.teardown(() => Promise.all([instant.app.close(), timed.app.close()]));
  const scanAll = (emulator: typeof instant) =>
    fetch(`${emulator.url}/v5/${PROJECT_A}/image/local/batch-scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"operate_all":true}' });
  const list = async (emulator: typeof instant) =>
    ((await (await fetch(`${emulator.url}/v5/${PROJECT_A}/image/local-repositories?limit=200`)).json()) as { data_list: Record<string, unknown>[] }).data_list;

  const stream = namedEvents(await fetch(`${instant.url}/_emulator/events?project_id=${PROJECT_A}`));
  t.equal((await scanAll(instant)).status, 200);
  const scanned = (await list(instant)).filter((image) => image.non_scan_reason === '');
  t.ok(scanned.length >= 2);
  t.ok(scanned.some((image) => image.scan_status === 'failed'), 'the fixtures fail some');
  t.ok(scanned.every((image) => image.scan_status === 'success' || image.scan_status === 'failed'), 'no image is left waiting or scanning');

  const seen: { image_id: string; from: string; to: string; at: number; id: number }[] = [];
  for (let i = 0; i < 3 * scanned.length; i++) seen.push((await stream.next()).value!.data as (typeof seen)[number]);
  await stream.return(undefined);
  t.same(seen.map((e) => e.id), seen.map((_, i) => i + 1), 'ids in order');
  t.ok(seen.every((e) => e.at === T0), 'all at the instant of the request');
  const waiting = seen.slice(0, scanned.length);
  t.ok(waiting.every((e) => e.to === 'waiting'), "every image's `waiting` comes first");
  for (const image of scanned) {
    const mine = seen.filter((e) => e.image_id === image.image_id).map((e) => `${e.from}>${e.to}`);
    t.same(mine.slice(1), ['waiting>scanning', `scanning>${image.scan_status}`], `${image.image_id}: then scanning, then its outcome`);
  }

  // The same images scanned for 2 s each, the clock moved past the last: the same results.
  t.equal((await scanAll(timed)).status, 200);
  await fetch(`${timed.url}/_emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance_ms":3600000}' });
  const later = (await list(timed)).filter((image) => image.non_scan_reason === '');
  const result = (image: Record<string, unknown>) => {
    const { latest_scan_time: _time, ...rest } = image;
    return rest;
  };
  t.same(scanned.map(result), later.map(result), 'status, findings and failure reasons match');
  t.ok(scanned.every((image) => image.latest_scan_time === T0), 'scanned at the instant of the request');
});

t.test('the replay buffer keeps at least the newest 10,000 events, and a gap says what it lost', async (t) => {
  const emulator = await startServer({ config: testConfig({ port: 0, auth: 'off', scan_base_ms: 0, scan_throughput_mb_s: 0 }), logger: false });
  t.teardown(() => emulator.app.close());
  let newest = 0;
  emulator.services.events.subscribe((events) => (newest = events[events.length - 1]!.id!));
  const failed: number[] = [];
  while (newest < 11_500 && failed.length === 0) {
    const res = await emulator.app.inject({ method: 'POST', url: `/v5/${PROJECT_A}/image/local/batch-scan`, payload: { operate_all: true } });
    if (res.statusCode !== 200) failed.push(res.statusCode);
  }
  t.same(failed, [], 'every batch-scan answered 200');
  const replay = namedEvents(await fetch(`${emulator.url}/_emulator/events`, { headers: { 'last-event-id': '0' } }));
  const gap = (await replay.next()).value!;
  t.equal(gap.event, 'gap');
  const { replay_from: from } = gap.data as { missed_after: number; replay_from: number };
  t.ok(newest - from + 1 >= 10_000, `kept ${newest - from + 1} events: at least 10,000`);
  t.ok(newest - from + 1 <= 11_000, 'and not many more');
  const ids: number[] = [];
  while (ids[ids.length - 1] !== newest) ids.push(((await replay.next()).value!.data as { id: number }).id);
  await replay.return(undefined);
  t.same(ids, Array.from({ length: newest - from + 1 }, (_, i) => from + i), 'every kept event is replayed, oldest first');
});
