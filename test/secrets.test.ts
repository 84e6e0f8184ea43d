/**
 * No secret of the default world — password, SK, issued token, Authorization value —
 * reaches a log line (at the most verbose level, with debug_auth on), an error message, or
 * the database.
 */
import t from 'tap';
import type { InjectOptions } from 'fastify';
import { Writable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock/clock.js';
import { ADMIN, DEV, PROJECT_A, PROJECT_B, T0, passwordLogin, testConfig } from './helpers/build.js';
import { sdkSign } from './helpers/sdk.js';

t.test('a full run at trace level leaks nothing', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
  const dbPath = join(t.testdir(), 'secrets.db');
  const emulator = buildApp({
    config: testConfig({ db: dbPath, debug_auth: true, log_level: 'trace' }),
    clock: new ManualClock(T0),
    wallClock: () => T0,
    logStream: sink,
  });
  const { app } = emulator;
  const bodies: string[] = [];
  const secrets = [ADMIN.password, DEV.password, ADMIN.sk, DEV.sk];
  const send = async (options: InjectOptions) => {
    const res = await app.inject(options);
    bodies.push(res.body);
    return res;
  };

  // logins: right, wrong, malformed
  for (const [user, project] of [[ADMIN, PROJECT_A], [ADMIN, PROJECT_B], [DEV, PROJECT_A]] as const) {
    const res = await send({ method: 'POST', url: '/v3/auth/tokens', payload: passwordLogin(user, project) });
    t.equal(res.statusCode, 201);
    secrets.push(res.headers['x-subject-token'] as string);
  }
  await send({ method: 'POST', url: '/v3/auth/tokens', payload: passwordLogin({ name: 'admin', password: 'Admin@12345-wrong' }, PROJECT_A) });
  await send({ method: 'POST', url: '/v3/auth/tokens', payload: `{"auth":{"identity":{"password":"${ADMIN.password}"` , headers: { 'content-type': 'application/json' } });

  // token use: good, garbage, foreign project
  const [tokenA, tokenB] = secrets.slice(4);
  await send({ method: 'GET', url: `/v5/${PROJECT_A}/image/local-repositories`, headers: { 'x-auth-token': tokenA! } });
  await send({ method: 'GET', url: `/v5/${PROJECT_A}/image/local-repositories`, headers: { 'x-auth-token': tokenB! } });
  await send({ method: 'POST', url: `/v5/${PROJECT_A}/image/local/batch-scan`, headers: { 'x-auth-token': tokenA! }, payload: { operate_all: true } });

  // signatures: good, wrong SK (debug-logged), then locked
  for (const sk of [ADMIN.sk, 'wrong-sk', 'wrong-sk', 'wrong-sk', 'wrong-sk', 'wrong-sk', ADMIN.sk]) {
    const request = sdkSign({ method: 'GET', path: `/v5/${PROJECT_A}/image/local/hosts`, ak: ADMIN.ak, sk, projectId: PROJECT_A, at: T0 });
    secrets.push(request.headers.Authorization!);
    await send({ method: 'GET', url: request.url, headers: request.headers });
  }
  await app.close();

  const log = lines.join('');
  t.ok(lines.length > 20, 'the run logged plenty');
  t.match(log, /AK\/SK signature mismatch/, 'debug_auth output is part of the capture');
  const stored = [dbPath, `${dbPath}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
  // An SK must be kept to verify signatures (IAM keeps it too); passwords and tokens only as hashes.
  const keptSecrets = new Set([ADMIN.sk, DEV.sk]);
  for (const secret of secrets) {
    t.notOk(log.includes(secret), `log free of ${secret.slice(0, 6)}…`);
    t.notOk(bodies.some((body) => body.includes(secret)), `responses free of ${secret.slice(0, 6)}…`);
    if (!keptSecrets.has(secret)) t.notOk(stored.includes(secret), `database free of ${secret.slice(0, 6)}…`);
  }
});
