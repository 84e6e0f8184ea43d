/**
 * The processes a benchmark measures: the emulator as the real command, and a bare Fastify
 * hello-world as the yardstick, each in its own process so its CPU and memory are its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** the package's bin, as npx and the image run it (the bundled command) */
const CLI = fileURLToPath(new URL('../../bin/hss-emulator.mjs', import.meta.url));

export interface Server {
  url: string;
  port: number;
  child: ChildProcess;
  /** ms from spawn to the first 200 */
  startMs: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Status of one request, or 0 when nothing answered. */
export function status(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ port, host: '127.0.0.1', path, agent: false }, (res) => (res.resume(), resolve(res.statusCode ?? 0)));
    req.on('error', () => resolve(0));
  });
}

async function firstOk(child: ChildProcess, port: number, path: string, started: bigint): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if ((await status(port, path)) === 200) return Number(process.hrtime.bigint() - started) / 1e6;
    await new Promise((r) => setTimeout(r, 2));
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return; // gone already
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
}

/** The hss-emulator command with these flags (log level warn unless given). */
export async function startEmulator(flags: string[], env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, '--port', String(port), '--log-level', 'warn', ...flags], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const startMs = await firstOk(child, port, '/_emulator/health', started);
  return { url: `http://127.0.0.1:${port}`, port, child, startMs, stop: stopper(child) };
}

const BARE = `
  import Fastify from 'fastify';
  const app = Fastify();
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });`;

/** A bare Fastify 5 hello-world on GET /. */
export async function startBareFastify(): Promise<Server> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--input-type=module', '-e', BARE], { cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const startMs = await firstOk(child, port, '/', started);
  return { url: `http://127.0.0.1:${port}`, port, child, startMs, stop: stopper(child) };
}

/** Resident memory of a process now, in MB (Linux). */
export function rssMb(pid: number): number {
  return procStatusMb(pid, 'VmRSS:');
}

/** Peak resident memory of a process so far, in MB (Linux). */
export function peakRssMb(pid: number): number {
  return procStatusMb(pid, 'VmHWM:');
}

function procStatusMb(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field));
  return Number(line!.replace(/\D+/g, '')) / 1024;
}
