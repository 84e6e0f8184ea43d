/**
 * The control plane is reachable from any web page the user has open, so it trusts only
 * what a browser cannot forge for a foreign page:
 * - the Host header must name this server — a loopback name, an IP literal, the configured
 *   host or one of --allowed-hosts — which defeats DNS rebinding (a rebound name arrives
 *   as the attacker's host name);
 * - an Origin header, when sent, must name such a host too: a foreign page's requests are
 *   refused, even the "simple" ones that need no CORS preflight;
 * - writes (POST, PUT, PATCH) must say Content-Type: application/json, which a foreign
 *   page cannot send without a preflight this server never grants — unless the admin
 *   token, which no foreign page can know, has already been checked.
 */
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { controlForbidden, controlUnsupportedMediaType } from '../errors/catalog.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH']);
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

/** `host:port`, `[v6]:port` or a bare name → the lower-case host name, no brackets. */
export function hostName(hostHeader: string): string {
  const text = hostHeader.trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(1, text.indexOf(']') >>> 0);
  const colon = text.indexOf(':');
  return (colon < 0 ? text : text.slice(0, colon)).replace(/\.$/, '');
}

export function hostRule(configuredHost: string, allowedHosts: readonly string[]): (name: string) => boolean {
  const named = new Set(allowedHosts.map((h) => hostName(h)));
  if (!ANY_ADDRESS.has(configuredHost)) named.add(hostName(configuredHost.includes(':') ? `[${configuredHost}]` : configuredHost));
  if (named.has('*')) return () => true;
  return (name) => name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0 || named.has(name);
}

function originHost(origin: string): string | undefined {
  try {
    return hostName(new URL(origin).host);
  } catch {
    return undefined;
  }
}

export function installBrowserGuard(app: FastifyInstance, options: { host: string; allowedHosts: readonly string[]; adminToken: boolean }): void {
  const allowed = hostRule(options.host, options.allowedHosts);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const host = request.headers.host;
    if (host !== undefined && !allowed(hostName(host))) {
      throw controlForbidden(`the Host ${JSON.stringify(hostName(host))} is not this server's; add it with --allowed-hosts`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      const name = originHost(origin);
      if (name === undefined || !allowed(name)) throw controlForbidden('requests from other web origins are refused');
    }
    if (!options.adminToken && WRITES.has(request.method)) {
      const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') throw controlUnsupportedMediaType();
    }
  });
}
