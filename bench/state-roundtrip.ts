/**
 * npm run bench — a world of 1,000,000 images leaves through GET /_emulator/state and comes
 * back through PUT /_emulator/state, in bounded memory. The emulator runs as the real command
 * in its own process, so its peak RSS (VmHWM) is its own; the client streams both bodies
 * through a file, never holding them. The yardstick is a bare Fastify server, started in the
 * same run, that receives the same upload and throws it away: the emulator's extra memory
 * and time are shown as a ratio against it. BENCH_IMAGES changes the size.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { ROOT, freePort, peakRssMb, rssMb, startEmulator, status, type Server } from './support/processes.js';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 1_000_000);
const PROJECT = '7d9e1f20c3b44a5e8f6a0b1c2d3e4f50';
const JSON_HEADERS = { 'content-type': 'application/json' };

function request(port: number, method: string, path: string, body?: string | NodeJS.ReadableStream): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, method, path, headers: JSON_HEADERS }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c.length < 10_000 ? c : '')).on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (typeof body === 'string') req.end(body);
    else (body as NodeJS.ReadableStream).pipe(req);
  });
}

function download(port: number, path: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.get({ port, path }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`export answered ${res.statusCode}`));
      pipeline(res, createWriteStream(file)).then(resolve, reject);
    }).on('error', reject);
  });
}

function seed(db: string): void {
  const d = new Database(db);
  const insert = d.prepare(
    `INSERT INTO images (project_id, enterprise_project_id, image_id, image_name, image_digest, image_version, local_image_type, image_size, latest_update_time)
     VALUES (?, '0', ?, ?, ?, 'v1', 'other_image', ?, ?)`,
  );
  d.transaction(() => {
    for (let i = 0; i < IMAGES; i++) {
      insert.run(PROJECT, `bench-${i}`, `swr.example.com/bench/a-longer-repository-path/image-${i}`, `sha256:${i.toString(16).padStart(64, '0')}`, 1000 + i, 1_700_000_000_000 - i);
    }
  })();
  d.close();
}

/** A bare Fastify server in its own process that drains an upload: the yardstick. */
async function bareFastify(file: string): Promise<{ ms: number; peakMb: number; idleMb: number }> {
  const port = await freePort();
  const script = `
    import Fastify from 'fastify';
    const app = Fastify();
    app.addContentTypeParser('application/json', (req, payload, done) => { payload.resume(); payload.on('end', () => done(null, null)); });
    app.put('/', async () => ({ ok: true }));
    app.get('/health', async () => ({ ok: true }));
    await app.listen({ port: ${port}, host: '127.0.0.1' });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'], cwd: ROOT });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    while ((await status(port, '/health')) !== 200) await new Promise((r) => setTimeout(r, 100));
    const idleMb = rssMb(child.pid!);
    const start = Date.now();
    const res = await request(port, 'PUT', '/', createReadStream(file));
    const ms = Date.now() - start;
    if (res.status !== 200) throw new Error(`bare Fastify answered ${res.status}`);
    return { ms, peakMb: peakRssMb(child.pid!), idleMb };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'hss-bench-state-'));
// the emulator running now, stopped however the run ends (a failed step must not leave it behind)
let emu: Server | undefined;
try {
  const db = join(dir, 'world.db');
  const file = join(dir, 'state.json');

  const flags = ['--db', db, '--clock', 'manual'];
  emu = await startEmulator(flags); // creates the schema and the default world
  await emu.stop();
  let t = Date.now();
  seed(db);
  console.log(`seeded ${IMAGES.toLocaleString('en')} images into project ${PROJECT} in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  emu = await startEmulator(flags);
  const idleMb = rssMb(emu.child.pid!);
  t = Date.now();
  await download(emu.port, '/_emulator/state?include_secrets=true', file);
  const exportMs = Date.now() - t;
  const bytes = statSync(file).size;
  const exportPeak = peakRssMb(emu.child.pid!);

  const reset = await request(emu.port, 'POST', '/_emulator/reset', JSON.stringify({ fixtures: false }));
  if (reset.status !== 200) throw new Error(`reset answered ${reset.status}: ${reset.text}`);
  t = Date.now();
  const imported = await request(emu.port, 'PUT', '/_emulator/state', createReadStream(file));
  const importMs = Date.now() - t;
  if (imported.status !== 200) throw new Error(`import answered ${imported.status}: ${imported.text.slice(0, 500)}`);
  const importPeak = peakRssMb(emu.child.pid!);
  const health = JSON.parse((await request(emu.port, 'GET', '/_emulator/health')).text) as { images: number };
  await emu.stop();
  if (health.images !== IMAGES + 20) throw new Error(`after the import the world holds ${health.images} images, not ${IMAGES + 20}`);

  const bare = await bareFastify(file);
  const mb = (n: number) => `${n.toFixed(0)} MB`;
  console.log(`state body ${(bytes / 2 ** 20).toFixed(0)} MB; ${health.images.toLocaleString('en')} images back after the round trip`);
  console.log('                          time        peak RSS   RSS growth over idle');
  console.log(`bare Fastify, drain PUT   ${(bare.ms / 1000).toFixed(1).padStart(6)} s   ${mb(bare.peakMb).padStart(8)}   ${mb(bare.peakMb - bare.idleMb)}`);
  console.log(`emulator export (GET)     ${(exportMs / 1000).toFixed(1).padStart(6)} s   ${mb(exportPeak).padStart(8)}   ${mb(exportPeak - idleMb)}`);
  console.log(`emulator import (PUT)     ${(importMs / 1000).toFixed(1).padStart(6)} s   ${mb(importPeak).padStart(8)}   ${mb(importPeak - idleMb)}`);
  console.log(
    `ratios against bare Fastify: import time ×${(importMs / bare.ms).toFixed(1)}, peak RSS ×${(importPeak / bare.peakMb).toFixed(1)}; ` +
      `peak RSS is ${((importPeak * 2 ** 20 * 100) / bytes).toFixed(0)}% of the body it took in`,
  );
} finally {
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
}
