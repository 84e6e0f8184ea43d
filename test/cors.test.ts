/** --cors-origin: web front ends on the listed origins may call the emulator; off by default. */
import t from 'tap';
import { ADMIN, PROJECT_A, build, passwordLogin } from './helpers/build.js';
import { loadConfig } from '../src/config/load-config.js';

const FRONT_END = 'http://localhost:5173';
const list = `/v5/${PROJECT_A}/image/local-repositories`;

t.test('off by default: no CORS headers, and a preflight is not answered', async (t) => {
  const emu = build(t);
  const res = await emu.inject({ method: 'GET', url: list, headers: { origin: FRONT_END } });
  t.equal(res.headers['access-control-allow-origin'], undefined);
  const preflight = await emu.inject({ method: 'OPTIONS', url: list, headers: { origin: FRONT_END, 'access-control-request-method': 'GET' } });
  t.equal(preflight.headers['access-control-allow-origin'], undefined);
  t.not(preflight.statusCode, 204);
});

t.test('a listed origin: preflights pass, answers and errors can be read, the login token too', async (t) => {
  const emu = build(t, { cors_origin: [FRONT_END] });
  const preflight = await emu.inject({
    method: 'OPTIONS',
    url: list,
    headers: { origin: FRONT_END, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-auth-token, x-sdk-date, authorization' },
  });
  t.equal(preflight.statusCode, 204);
  t.equal(preflight.headers['access-control-allow-origin'], FRONT_END);
  t.match(preflight.headers['access-control-allow-headers'], /x-auth-token/);
  t.match(preflight.headers['access-control-allow-methods'], /POST/);

  const unauthorized = await emu.app.inject({ method: 'GET', url: list, headers: { origin: FRONT_END } });
  t.equal(unauthorized.statusCode, 401);
  t.equal(unauthorized.headers['access-control-allow-origin'], FRONT_END, 'the page can read why it failed');

  const login = await emu.inject({
    method: 'POST',
    url: '/v3/auth/tokens',
    payload: passwordLogin(ADMIN, PROJECT_A),
    headers: { origin: FRONT_END, 'content-type': 'application/json' },
  });
  t.equal(login.statusCode, 201);
  t.match(login.headers['access-control-expose-headers'], /X-Subject-Token/, 'the page can read the token');
  const listed = await emu.inject({ method: 'GET', url: list, headers: { origin: FRONT_END, 'x-auth-token': String(login.headers['x-subject-token']) } });
  t.equal(listed.statusCode, 200);
  t.equal(listed.headers['access-control-allow-origin'], FRONT_END);

  const other = await emu.inject({ method: 'GET', url: list, headers: { origin: 'https://elsewhere.example' } });
  t.equal(other.headers['access-control-allow-origin'], undefined, 'an origin not listed gets no CORS headers');
});

t.test('--cors-origin takes origins, or *', async (t) => {
  t.same(loadConfig(['--cors-origin', 'http://localhost:5173,https://app.example:8443'], {}).config.cors_origin, ['http://localhost:5173', 'https://app.example:8443']);
  t.same(loadConfig([], { HSS_EMULATOR_CORS_ORIGIN: '*' }).config.cors_origin, ['*']);
  t.throws(() => loadConfig(['--cors-origin', 'localhost:5173'], {}), /--cors-origin .*must be origins/);
  t.throws(() => loadConfig(['--cors-origin', 'http://localhost:5173/app'], {}), /must be origins/);
  const any = build(t, { cors_origin: ['*'] });
  t.equal((await any.inject({ method: 'GET', url: '/_emulator/health', headers: { origin: 'https://anywhere.example' } })).headers['access-control-allow-origin'], '*');
});
