#!/usr/bin/env node
/** The hss-emulator command: read configuration, start the server, stop cleanly on a signal. */
import { ConfigError, helpText, loadConfig } from './config/load-config.js';
import { FixtureError } from './fixtures/read-world.js';
import { startServer } from './server.js';
import { VERSION } from './package-info.js';

async function main(): Promise<void> {
  const request = loadConfig(process.argv.slice(2), process.env);
  if (request.help) return void console.log(helpText());
  if (request.version) return void console.log(VERSION);
  const { config } = request;
  const prettyLogs = config.log_format === 'pretty' || (config.log_format === 'auto' && process.stdout.isTTY === true);
  const emulator = await startServer({ config, prettyLogs });
  emulator.app.log.info({ url: emulator.url, db: config.db, clock: emulator.clock.mode }, 'hss-emulator ready');
  const stop = (signal: string) => {
    emulator.app.log.info({ signal }, 'shutting down');
    emulator.app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof FixtureError;
  const code = (err as NodeJS.ErrnoException).code;
  const message =
    known || code === 'EADDRINUSE' || code === 'EACCES' ? (err as Error).message : `unexpected error: ${(err as Error).stack}`;
  console.error(`hss-emulator: ${message}`);
  process.exit(2);
});
