#!/usr/bin/env node
/** The hss-emulator command: read configuration, start the server, stop cleanly on a signal. */
import closeWithGrace from 'close-with-grace';
import { ConfigError, helpText, loadConfig } from './config/load-config.js';
import { FixtureError } from './world/read-world.js';
import { VERSION } from './package-info.js';
import { probe } from './healthcheck.js';

/** Errors of listening that are the configuration's fault, and what to do about them. */
const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'the port is in use; choose another with --port (0 = any free one)',
  EACCES: 'no permission to listen there; use a port above 1023',
  EADDRNOTAVAIL: 'that address is not one of this machine; use e.g. 127.0.0.1 or 0.0.0.0',
  ENOTFOUND: 'that host name does not resolve; use e.g. 127.0.0.1 or 0.0.0.0',
  EAI_AGAIN: 'that host name does not resolve; use e.g. 127.0.0.1 or 0.0.0.0',
};

let host = '';

async function main(): Promise<void> {
  const [first, ...rest] = process.argv.slice(2);
  const healthcheck = first === 'healthcheck';
  const request = loadConfig(healthcheck ? rest : process.argv.slice(2), process.env);
  if (request.help) return void console.log(helpText());
  if (request.version) return void console.log(VERSION);
  if (healthcheck) {
    // exit 0 when the server this configuration starts answers its health check, else 1
    const { ok, message } = await probe(request.config);
    (ok ? console.log : console.error)(`hss-emulator healthcheck: ${message}`);
    process.exitCode = ok ? 0 : 1;
    return;
  }
  for (const warning of request.warnings) console.error(`hss-emulator: warning: ${warning}`);
  const { config } = request;
  host = config.host;
  const prettyLogs = config.log_format === 'pretty' || (config.log_format === 'auto' && process.stdout.isTTY === true);
  // loaded only to serve: --help, --version and healthcheck answer without the server's modules
  const { startServer } = await import('./server.js');
  const emulator = await startServer({ config, prettyLogs });
  const { app } = emulator;
  const pages = config.control_plane ? { docs: `${emulator.url}/_emulator/docs`, dashboard: `${emulator.url}/_emulator/ui` } : {};
  app.log.info({ url: emulator.url, ...pages, db: config.db, clock: emulator.clock.mode }, 'hss-emulator ready');
  // On a signal: idle connections close at once, requests in flight get the grace period,
  // then their connections are cut, the database closes, and the process ends.
  closeWithGrace({ delay: config.shutdown_grace_ms + 2_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an unexpected error');
    else app.log.info({ signal }, 'shutting down');
    const cutOff = setTimeout(() => app.server.closeAllConnections(), config.shutdown_grace_ms);
    cutOff.unref();
    await app.close();
    clearTimeout(cutOff);
  });
}

main().catch((err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const known = err instanceof ConfigError || err instanceof FixtureError;
  const listenProblem = LISTEN_PROBLEMS[code];
  const message = known
    ? (err as Error).message
    : listenProblem
      ? `cannot listen on --host ${host}: ${listenProblem} (${(err as Error).message})`
      : `unexpected error: ${(err as Error).stack}`;
  console.error(`hss-emulator: ${message}`);
  process.exit(2);
});
