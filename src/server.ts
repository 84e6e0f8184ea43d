/** Starts the emulator on a socket, as `npm start` and the bin do. */
import { buildApp, type AppOptions, type Emulator } from './app.js';

export interface RunningEmulator extends Emulator {
  url: string;
}

export async function startServer(options: AppOptions): Promise<RunningEmulator> {
  const emulator = buildApp(options);
  const { config } = options;
  await emulator.app.listen({ host: config.host, port: config.port });
  const address = emulator.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const scheme = config.tls_cert === undefined ? 'http' : 'https';
  return { ...emulator, url: `${scheme}://${host}:${port}` };
}
