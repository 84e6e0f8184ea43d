/** POST /v3/auth/tokens and X-Auth-Token: issue, use, expiry, scope, restart. */
import t from 'tap';
import { join } from 'node:path';
import { ADMIN, DEV, DEV_EP, PROJECT_A, PROJECT_B, T0, build, expectError, issueToken, passwordLogin } from './helpers/build.js';

const login = (body: unknown, query = '') => ({ method: 'POST' as const, url: `/v3/auth/tokens${query}`, payload: body as object });
const listA = (token: string, query = '') => ({
  method: 'GET' as const,
  url: `/v5/${PROJECT_A}/image/local-repositories${query}`,
  headers: { 'x-auth-token': token },
});

t.test('a password login answers 201 with X-Subject-Token and the token body', async (t) => {
  const emu = build(t);
  const res = await emu.app.inject({ ...login(passwordLogin(ADMIN, PROJECT_A)), headers: { host: 'emulator.test:9080' } });
  t.equal(res.statusCode, 201);
  const token = res.headers['x-subject-token'] as string;
  t.match(token, /^MII[A-Za-z0-9_-]{100,}$/);
  t.match(res.headers['x-request-id'], /^[0-9a-f]{32}$/);
  const body = res.json().token;
  t.equal(body.issued_at, '2026-11-27T00:00:00.000000Z');
  t.equal(body.expires_at, '2026-11-28T00:00:00.000000Z', '24 hours');
  t.same(body.methods, ['password']);
  t.match(body.project, { id: PROJECT_A, name: 'cn-north-7', domain: { name: 'hss-emulator' } });
  t.match(body.user, { name: 'admin', domain: { name: 'hss-emulator' } });
  const hss = body.catalog.find((s: { type: string }) => s.type === 'hss');
  t.match(hss.endpoints[0], { url: 'http://emulator.test:9080', region: 'cn-north-7', interface: 'public' });
  t.notOk(JSON.stringify(res.json()).includes(token), 'the token is only in the header');

  t.same(body.roles, [{ id: '0', name: 'te_admin' }], 'role ids are "0", as IAM shows');
  t.equal(res.headers['content-type'], 'application/json;charset=utf8', "IAM's content type");

  const bare = await emu.app.inject(login(passwordLogin(ADMIN, PROJECT_A), '?nocatalog=true'));
  t.equal(bare.statusCode, 201);
  t.same(bare.json().token.catalog, [], '?nocatalog keeps the key, empty');

  const used = await emu.app.inject(listA(token));
  t.equal(used.statusCode, 200);
  t.equal(used.json().total_num, 10);
});

t.test('scope by region name, and by the account', async (t) => {
  const emu = build(t);
  const byName = passwordLogin(ADMIN, PROJECT_A) as { auth: { scope: unknown } };
  byName.auth.scope = { project: { name: 'cn-north-4' } };
  const res = await emu.app.inject(login(byName));
  t.equal(res.statusCode, 201);
  t.equal(res.json().token.project.id, PROJECT_B);

  const account = passwordLogin(ADMIN, PROJECT_A) as { auth: { scope: unknown } };
  account.auth.scope = { domain: { name: 'hss-emulator' } };
  const domainToken = await emu.app.inject(login(account));
  t.equal(domainToken.statusCode, 201);
  t.match(domainToken.json().token.domain, { name: 'hss-emulator' });
  const global = domainToken.json().token.catalog as { endpoints: { region: string }[] }[];
  t.ok(global.length > 0 && global.every((service) => service.endpoints.every((e) => e.region === '*')), 'a domain-scoped token carries the global catalog');
  await expectError(t, await emu.app.inject(listA(domainToken.headers['x-subject-token'] as string)), 403, 'APIGW.0302');
});

t.test('wrong password, unknown user, unknown domain, foreign project: 401 in IAM shape', async (t) => {
  const emu = build(t);
  const wrongCredentials = { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } };
  const wrongScope = { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } };
  const otherDomain = passwordLogin(ADMIN, PROJECT_A);
  otherDomain.auth.identity.password.user.domain = { name: 'someone-else' };
  const cases = [
    { body: passwordLogin({ name: 'admin', password: 'wrong' }, PROJECT_A), expected: wrongCredentials },
    { body: passwordLogin({ name: 'nobody', password: 'Admin@12345' }, PROJECT_A), expected: wrongCredentials },
    { body: otherDomain, expected: wrongCredentials },
    { body: passwordLogin(DEV, PROJECT_B), expected: wrongScope },
    { body: passwordLogin(ADMIN, 'ffffffffffffffffffffffffffffffff'), expected: wrongScope },
  ];
  for (const { body, expected } of cases) {
    const res = await emu.app.inject(login(body));
    t.equal(res.statusCode, 401);
    t.same(res.json(), expected);
    t.notOk(res.headers['x-subject-token']);
  }
});

t.test('a malformed login is 400 in IAM shape and names the field', async (t) => {
  const emu = build(t);
  const noMethod = passwordLogin(ADMIN, PROJECT_A) as { auth: { identity: { methods: string[] } } };
  noMethod.auth.identity.methods = ['token'];
  const res = await emu.app.inject(login(noMethod));
  t.equal(res.statusCode, 400);
  t.match(res.json(), { error: { code: 400, title: 'Bad Request', message: /^The request body is invalid: auth\.identity\.methods\[0\] must be one of password/ } });
  const broken = await emu.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: '{"auth":', headers: { 'content-type': 'application/json' } });
  t.equal(broken.statusCode, 400);
  t.match(broken.json(), { error: { code: 400, message: /^The request body is invalid: the body is not valid JSON/, title: 'Bad Request' } });
  const missing = await emu.app.inject(login({ auth: {} }));
  t.match(missing.json(), { error: { code: 400, message: /^The request body is invalid: auth\.identity is required/ } });
  t.notMatch(res.body, /Admin@12345/, 'the password is never echoed');
});

t.test('garbage, expired and foreign tokens', async (t) => {
  const emu = build(t, { token_ttl_s: 3_600 });
  await expectError(t, await emu.app.inject(listA('MIIgarbage')), 401, 'APIGW.0301', /^Incorrect IAM authentication information: decrypt token fail$/);
  const token = await issueToken(emu.app, ADMIN, PROJECT_A);
  emu.clock.advance(3_599_999);
  t.equal((await emu.app.inject(listA(token))).statusCode, 200, 'valid until the last millisecond');
  emu.clock.advance(1);
  await expectError(t, await emu.app.inject(listA(token)), 401, 'APIGW.0307', /^The token must be updated\.$/);

  const tokenB = await issueToken(emu.app, ADMIN, PROJECT_B);
  await expectError(t, await emu.app.inject(listA(tokenB)), 403, 'APIGW.0302', /not authorized/);
});

t.test('a dev token reaches only the dev enterprise project', async (t) => {
  const emu = build(t);
  const token = await issueToken(emu.app, DEV, PROJECT_A);
  await expectError(t, await emu.app.inject(listA(token)), 400, 'HSS.0013');
  const res = await emu.app.inject(listA(token, '?enterprise_project_id=all_granted_eps'));
  t.equal(res.json().total_num, 4);
  const explicit = await emu.app.inject(listA(token, `?enterprise_project_id=${DEV_EP}`));
  t.equal(explicit.json().total_num, 4);
});

t.test('tokens survive a restart', async (t) => {
  const db = join(t.testdir(), 'tokens.db');
  const first = build(t, { db });
  const token = await issueToken(first.app, ADMIN, PROJECT_A);
  await first.app.close();
  const second = build(t, { db });
  t.equal((await second.app.inject(listA(token))).statusCode, 200);
  second.clock.advance(24 * 3_600_000);
  await expectError(t, await second.app.inject(listA(token)), 401, 'APIGW.0307');
  t.equal(second.db.prepare('SELECT count(*) FROM tokens WHERE token_hash = ?').pluck().get(token), 0, 'stored only as a hash');
  t.equal(T0, second.clock.now() - 24 * 3_600_000);
});
