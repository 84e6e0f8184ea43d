/**
 * The admin token for browsers, which send no Authorization header: GET
 * /_emulator/login?token=<admin_token> sets an HttpOnly, SameSite=Strict cookie scoped to
 * /_emulator and redirects to the dashboard; the control plane then takes that cookie as it
 * takes the Bearer header. The cookie holds a digest of the token, never the token itself,
 * and SameSite=Strict keeps it off every request a foreign page makes.
 */
import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../domain/sha256.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CONTROL_TAG } from '../../schemas/control.js';
import { controlUnauthorized } from '../errors/catalog.js';

export const ADMIN_COOKIE = 'hss_emulator_admin';
export const LOGIN_PATH = '/_emulator/login';

function sameSecret(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(token: string): string {
  return sha256Hex(`hss-emulator admin session\n${token}`);
}

function sentCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === ADMIN_COOKIE) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether the request carries the admin token: as a Bearer header, or the login's cookie. */
export function holdsAdminToken(request: FastifyRequest, token: string): boolean {
  if (sameSecret(String(request.headers.authorization ?? ''), `Bearer ${token}`)) return true;
  const cookie = sentCookie(request);
  return cookie !== undefined && sameSecret(cookie, cookieValue(token));
}

const LoginQuery = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 1_024, description: 'the admin token' }),
  next: Type.Optional(Type.String({ pattern: '^/_emulator/[A-Za-z0-9/_.-]*$', maxLength: 256, description: 'where to go after; default /_emulator/ui' })),
});

export function loginRoutes(app: FastifyInstance, token: string, secure: boolean): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const attributes = `Path=/_emulator; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  typed.get(
    LOGIN_PATH,
    { schema: { tags: [CONTROL_TAG], summary: 'Browser login with the admin token: sets a cookie, then opens the dashboard', querystring: LoginQuery } },
    async (request, reply) => {
      if (!sameSecret(request.query.token, token)) throw controlUnauthorized();
      return reply
        .header('set-cookie', `${ADMIN_COOKIE}=${cookieValue(token)}; ${attributes}`)
        .header('cache-control', 'no-store')
        .redirect(request.query.next ?? '/_emulator/ui', 303);
    },
  );
  typed.post('/_emulator/logout', { schema: { tags: [CONTROL_TAG], summary: "Forget the browser login's cookie" } }, async (_request, reply) =>
    reply.header('set-cookie', `${ADMIN_COOKIE}=; ${attributes}; Max-Age=0`).code(204).send(),
  );
}
