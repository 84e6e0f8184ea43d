/**
 * `hss-emulator healthcheck`: asks the emulator that the same configuration (flags,
 * environment, --config file) starts whether it is up — for a container's HEALTHCHECK, which
 * must not hard-code a port, a scheme or an address.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Config } from './config/options.js';

const TIMEOUT_MS = 3_000;

/** The health URL of the server `config` starts: a wildcard address is probed on loopback. */
export function healthUrl(config: Pick<Config, 'host' | 'port' | 'tls_cert'>): string {
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.tls_cert ? 'https' : 'http'}://${host}:${config.port}/_emulator/health`;
}

/** Resolves with a one-line verdict; `ok` only for a 200 whose status is "ok". */
export function probe(config: Config): Promise<{ ok: boolean; message: string }> {
  if (config.port === 0) return Promise.resolve({ ok: false, message: 'port 0 (any free port) cannot be probed: give the port the server listens on' });
  const url = healthUrl(config);
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        timeout: TIMEOUT_MS,
        headers: config.admin_token ? { authorization: `Bearer ${config.admin_token}` } : {},
        // the server's own certificate, probed on loopback: its name need not match
        rejectUnauthorized: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body = (body + chunk).slice(0, 4_096)));
        res.on('end', () => {
          let status: unknown;
          try {
            status = (JSON.parse(body) as { status?: unknown }).status;
          } catch {
            status = undefined;
          }
          const ok = res.statusCode === 200 && status === 'ok';
          resolve({ ok, message: `${url}: ${res.statusCode ?? 0}${ok ? ' ok' : ''}` });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve({ ok: false, message: `${url}: ${err.message}` }));
    req.end();
  });
}
