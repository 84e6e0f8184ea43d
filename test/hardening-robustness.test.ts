/** Hardening, robustness: shutdown, the HTTP parser's errors, slow and reconnecting event clients, configuration. */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { AGENT_IMAGE, PROJECT_A, T0, build, started, testConfig } from './helpers/build.js';
import { CLI } from './helpers/command.js';
import { buildApp } from '../src/app.js';
import { startEmulator } from '../src/index.js';
import { loadConfig } from '../src/config/load-config.js';
import { BUNDLED_FIXTURES } from '../src/config/options.js';

const json = { 'content-type': 'application/json' };

/** Sends raw bytes to the server and returns everything it answers before closing. */
async function raw(url: string, request: string): Promise<string> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.end(request);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('utf8');
}

t.test('13. requests the HTTP parser refuses get the envelope and an X-Request-Id', async (t) => {
  const emu = await started(t);
  const cases = {
    'a bad method token': 'G(T / HTTP/1.1\r\nHost: x\r\n\r\n',
    'a NUL in a header': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n',
    'a duplicate Content-Length': 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    'headers over 16 KB': `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  };
  for (const [name, request] of Object.entries(cases)) {
    const answer = await raw(emu.url, request);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    t.match(head, /^HTTP\/1\.1 4\d\d /, `${name}: a 4xx`);
    t.match(head, /X-Request-Id: [0-9a-f]{32}/i, `${name}: X-Request-Id`);
    t.match(JSON.parse(body), { error_code: 'APIGW.0201', error_msg: String, request_id: /^[0-9a-f]{32}$/ }, `${name}: the envelope`);
  }
  t.equal((await emu.call('GET', '/_emulator/health')).status, 200, 'still serving');
});

t.test('14. an event-stream client that never reads is dropped with a log line', async (t) => {
  const lines: string[] = [];
  const logStream = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
  const emu = await startEmulator({ clock_start: T0, auth: 'off', lanes: 1024, scan_base_ms: 1_000, scan_throughput_mb_s: 0, log_level: 'warn', logStream });
  t.teardown(() => emu.close());
  // rounds of 450 scans: each round's 1,350 changes stay below DETAILED_CHANGES per request,
  // so every image gets its own event
  const images = Array.from({ length: 450 }, (_, i) => ({
    project_id: PROJECT_A,
    enterprise_project_id: '0',
    image_id: `slow-reader-${'x'.repeat(40)}-${i}`,
    image_name: `swr.example.com/slow-reader/${'x'.repeat(100)}/${i}`,
    image_digest: `sha256:${i.toString(16).padStart(64, '0')}`,
    image_version: 'v1',
    local_image_type: 'other_image',
    image_size: 1,
    latest_update_time: T0,
  }));
  await fetch(`${emu.url}/_emulator/images`, { method: 'POST', headers: json, body: JSON.stringify({ images }) });
  const { port } = new URL(emu.url);
  const reader = connect(Number(port), '127.0.0.1');
  reader.write(`GET /_emulator/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  await once(reader, 'data'); // the stream's head: it is subscribed
  reader.pause();
  const scanAll = JSON.stringify({ image_info_list: images.map((image) => ({ image_id: image.image_id })) });
  for (let round = 0; round < 60 && !lines.some((l) => l.includes('fell too far behind')); round++) {
    await fetch(`${emu.url}/v5/${PROJECT_A}/image/local/batch-scan`, { method: 'POST', headers: json, body: scanAll });
    await fetch(`${emu.url}/_emulator/clock`, { method: 'POST', headers: json, body: '{"advance_ms":1000}' });
  }
  t.ok(lines.some((l) => l.includes('event-stream client dropped: it fell too far behind')), 'the server let it go');
  reader.destroy();
  const health = await fetch(`${emu.url}/_emulator/health`);
  t.equal(health.status, 200);
});

/** Reads `count` scan events from the stream (after Last-Event-ID, if given), then disconnects. */
async function readEvents(url: string, count: number, lastEventId?: number) {
  const controller = new AbortController();
  const res = await fetch(`${url}/_emulator/events`, { headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }, signal: controller.signal });
  const events: { id: number; image_id: string; to: string }[] = [];
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk);
    const blocks = text.split('\n\n');
    text = blocks.pop()!;
    for (const block of blocks) {
      const data = /^data: (.*)$/m.exec(block)?.[1];
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      if (data && id && block.includes('event: scan')) events.push({ ...JSON.parse(data), id: Number(id) });
    }
    if (events.length >= count) break;
  }
  controller.abort();
  return events;
}

t.test('15. a client that reconnects with Last-Event-ID misses nothing, across a restart too', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hss-events-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const options = { clock_start: T0, auth: 'off' as const, scan_base_ms: 1000, scan_throughput_mb_s: 0, db: join(dir, 'world.db') };
  const first = await startEmulator(options);
  const reading = readEvents(first.url, 1, 0); // from the first event on, whenever the stream connects
  await fetch(`${first.url}/v5/${PROJECT_A}/image/local/batch-scan`, { method: 'POST', headers: json, body: JSON.stringify({ image_info_list: [{ image_id: AGENT_IMAGE }] }) });
  const [seen] = await reading;
  t.match(seen, { image_id: AGENT_IMAGE, to: 'waiting', id: Number });
  // while nobody listens: the scan runs and ends, then the emulator restarts
  first.clock.advance(5_000);
  await fetch(`${first.url}/v5/${PROJECT_A}/image/local-repositories`);
  await first.close();
  const second = await startEmulator(options);
  t.teardown(() => second.close());
  const missed = await readEvents(second.url, 2, seen!.id);
  t.same(missed.map((e) => [e.image_id, e.to]), [[AGENT_IMAGE, 'scanning'], [AGENT_IMAGE, 'success']], 'what happened meanwhile is replayed, in order');
  t.ok(missed.every((e) => e.id > seen!.id), 'ids go on across the restart');
});

t.test('16. HEAD on the event stream answers; deeply nested bodies are journaled; one image is found by id', async (t) => {
  const emu = await started(t);
  const head = await fetch(`${emu.url}/_emulator/events`, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
  t.equal(head.status, 200);
  t.match(head.headers.get('content-type'), /text\/event-stream/);

  const local = build(t);
  const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
  const res = await local.inject({ method: 'POST', url: `/v5/${PROJECT_A}/image/local/batch-scan`, headers: json, payload: `{"image_info_list":${deep}}` });
  t.equal(res.statusCode, 400);
  const [entry] = local.journal.list({ limit: 1 });
  t.equal(entry?.request_id, res.headers['x-request-id'], 'the request is in the journal');
  t.match(JSON.stringify(entry?.body), /nested too deep/);
  const metrics = await local.app.inject({ method: 'GET', url: '/_emulator/metrics' });
  t.match(metrics.body, /hss_emulator_requests_total\{operation="BatchScanLocalImage",status="400"\} 1/, 'and in the metrics');

  const one = await local.control('GET', `/_emulator/images?project_id=${PROJECT_A}&image_id=${AGENT_IMAGE}`);
  t.same(one.body.images.map((i: { image_id: string }) => i.image_id), [AGENT_IMAGE]);
  const plan = local.db.prepare('EXPLAIN QUERY PLAN SELECT * FROM images WHERE image_id = ? ORDER BY project_id').all('x') as { detail: string }[];
  t.match(plan.map((p) => p.detail).join('\n'), /USING INDEX images_by_image_id/, 'found through an index, not by reading the project');
});

t.test('17. configuration is checked on every path', async (t) => {
  await t.rejects(startEmulator({ lanes: 0 }), { name: 'ConfigError', message: 'invalid lanes 0: must be a whole number from 1 to 1024' });
  const flag = spawnSync(process.execPath, [...CLI, '--lanes', '0'], { encoding: 'utf8' });
  t.match(flag.stderr, /must be a whole number from 1 to 1024/, 'the same words as the flag');
  await t.rejects(startEmulator({ port: -1 } as never), { name: 'ConfigError' });

  const dir = mkdtempSync(join(tmpdir(), 'hss-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const folder = spawnSync(process.execPath, [...CLI, '--db', dir, '--port', '0'], { encoding: 'utf8' });
  t.equal(folder.status, 2);
  t.match(folder.stderr, new RegExp(`^hss-emulator: --db ${dir}: cannot open the database .*:memory:\\n$`), 'one line naming the path and the fix');
  const badHost = spawnSync(process.execPath, [...CLI, '--db', ':memory:', '--port', '0', '--host', '203.0.113.77'], { encoding: 'utf8' });
  t.equal(badHost.status, 2);
  t.match(badHost.stderr, /^hss-emulator: cannot listen on --host 203\.0\.113\.77: that address is not one of this machine/);
  t.equal(badHost.stderr.trim().split('\n').length, 1, 'no stack trace');

  const { warnings } = loadConfig([], { HSS_EMULATOR_LANE: '2' });
  t.same(warnings, ['unknown environment variable HSS_EMULATOR_LANE is ignored; did you mean HSS_EMULATOR_LANES?']);

  const db = join(dir, 'world.db');
  const seeded = buildApp({ config: testConfig({ db }), logger: false });
  await seeded.app.inject({ method: 'DELETE', url: `/_emulator/images?project_id=${PROJECT_A}` });
  await seeded.app.close();
  const lines: string[] = [];
  const logStream = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
  const fixtures = join(dir, 'my-world.json');
  copyFileSync(BUNDLED_FIXTURES, fixtures);
  const skipped = buildApp({ config: testConfig({ db, fixtures }), logStream });
  t.match(lines.join(''), /fixtures skipped: the database already holds a world; start with --reset-on-start/);
  t.equal(skipped.services.images.count(), 6, 'the world is kept');
  await skipped.app.close();
  const reset = buildApp({ config: testConfig({ db, reset_on_start: true }), logger: false });
  t.equal(reset.services.images.count(), 20, '--reset-on-start loads the fixtures again');
  await reset.app.close();
});
