/**
 * A fresh emulator per test: in-memory database with the default world, a manual clock at a
 * fixed instant, predictable request ids, no log output.
 */
import type { Test } from 'tap';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock/clock.js';
import { defaultConfig, type Config } from '../../src/config/options.js';

export const PROJECT_A = '2b31ed520b4d4e0a9c3d7f6e5a4b3c21';
export const PROJECT_B = '7d9e1f20c3b44a5e8f6a0b1c2d3e4f50';
export const DEV_EP = '6f8a2c1e-3b4d-4e5f-9a0b-1c2d3e4f5a6b';
export const AGENT_IMAGE = 'c499ab72-7ee9-4ee6-b6b7-5973230e7a7b';
export const WEBSHELL_IMAGE = 'b8722a02-162f-4e4e-8100-127605e3a07b';
export const T0 = Date.UTC(2026, 10, 27, 0, 0, 0);
export const ADMIN = { name: 'admin', password: 'Admin@12345', ak: 'HSSEMUADMINAK0000001', sk: 'hssEmulatorAdminSecretKey000000000000001' };
export const DEV = { name: 'dev', password: 'Dev@12345', ak: 'HSSEMUDEVAK000000001', sk: 'hssEmulatorDevSecretKey00000000000000001' };

/** The body of a password login to IAM, scoped to a project by id. */
export function passwordLogin(user: { name: string; password: string }, projectId: string) {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: user.name, password: user.password, domain: { name: 'hss-emulator' } } } },
      scope: { project: { id: projectId } },
    },
  };
}

/** Logs in through POST /v3/auth/tokens and returns the X-Subject-Token. */
export async function issueToken(app: FastifyInstance, user: { name: string; password: string }, projectId: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: passwordLogin(user, projectId) });
  if (res.statusCode !== 201) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.headers['x-subject-token'] as string;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...defaultConfig(), db: ':memory:', clock: 'manual', clock_start: T0, ...overrides };
}

export function build(t: Test, overrides: Partial<Config> = {}) {
  const clock = new ManualClock(T0);
  // real time, as signatures see it: its own clock, which moving the emulated one leaves alone
  const wall = new ManualClock(T0);
  let next = 0;
  const emulator = buildApp({
    config: testConfig(overrides),
    clock,
    wallClock: () => wall.now(),
    logger: false,
    newRequestId: () => (++next).toString(16).padStart(32, '0'),
  });
  t.teardown(() => emulator.app.close());
  // Cloud requests carry a real admin token for the project in their path (or, for a
  // project that does not exist, one for project A).
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (projectId: string): Promise<string> => {
    if (!tokens.has(projectId)) {
      tokens.set(projectId, issueToken(emulator.app, ADMIN, projectId).catch(() => tokenFor(PROJECT_A)));
    }
    return tokens.get(projectId)!;
  };
  // A token dying is never papered over: only a reset or an import through control() below,
  // which end every token, make the helper log in again.
  const inject = async (options: InjectOptions): Promise<Awaited<ReturnType<typeof emulator.app.inject>>> => {
    const project = /^\/v5\/([^/?]+)/.exec(String(options.url))?.[1];
    const auth = project ? { 'x-auth-token': await tokenFor(project) } : {};
    return emulator.app.inject({ ...options, headers: { ...auth, ...options.headers } });
  };
  return {
    ...emulator,
    clock,
    wall,
    inject,
    /** GET the local image list with the given query; returns the parsed body and response. */
    async list(query: Record<string, string | number | boolean> = {}, project = PROJECT_A) {
      const res = await inject({ method: 'GET', url: `/v5/${project}/image/local-repositories`, query: stringify(query) });
      return { res, body: res.json() as { total_num: number; data_list: Record<string, unknown>[] } };
    },
    /** A control-plane call; answers the status and parsed body. */
    async control(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
      // as the dashboard and the README's curl lines do: writes say they are JSON
      const headers = method === 'GET' ? {} : { 'content-type': 'application/json' };
      const res = await emulator.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
      const endsTokens = (method === 'POST' && url.startsWith('/_emulator/reset')) || (method === 'PUT' && url.startsWith('/_emulator/state'));
      if (endsTokens && res.statusCode < 300) tokens.clear();
      const json = String(res.headers['content-type'] ?? '').startsWith('application/json');
      return { status: res.statusCode, body: json && res.body ? res.json() : undefined, res };
    },
    async batchScan(payload: unknown, query: Record<string, string> = {}, project = PROJECT_A) {
      return inject({
        method: 'POST',
        url: `/v5/${project}/image/local/batch-scan`,
        query,
        payload: payload as object,
      });
    },
  };
}

function stringify(query: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
}

/**
 * `count` unscanned images of 1,000 bytes, enterprise project 0, ids `${prefix}-0`, `${prefix}-1`, …
 * and update times 0, 1, …, written straight into the database (a bulk inventory, quickly).
 */
export function addPlainImages(db: ReturnType<typeof build>['db'], count: number, projectId = PROJECT_A, prefix = 'bulk'): void {
  const insert = db.prepare(
    `INSERT INTO images (project_id, enterprise_project_id, image_id, image_name, image_digest, image_version, local_image_type, image_size, latest_update_time)
     VALUES (?, '0', ?, ?, '', '1.0', 'other_image', 1000, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(projectId, `${prefix}-${i}`, `swr.example.com/${prefix}/app-${i}`, i);
  })();
}

/** The image with that id from a list body. */
export function imageIn(body: { data_list: Record<string, unknown>[] }, imageId: string) {
  return body.data_list.find((image) => image.image_id === imageId);
}

/** Asserts a Huawei error envelope with the given status and code (and message). */
export async function expectError(t: Test, res: { statusCode: number; json(): any }, status: number, code: string, msg?: RegExp) {
  t.equal(res.statusCode, status, `status ${status}`);
  const body = res.json();
  t.equal(body.error_code, code);
  t.match(body.request_id, /^[0-9a-f]{32}$/);
  if (msg) t.match(body.error_msg, msg);
}

/** An emulator started with startEmulator on a real socket, closed after the test; `call` is fetch + JSON. */
export async function started(t: Test, options: import('../../src/index.js').StartOptions = {}) {
  const { startEmulator } = await import('../../src/index.js');
  const emulator = await startEmulator({ clock_start: T0, ...options });
  t.teardown(() => emulator.close());
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
  };
  return { ...emulator, call };
}
