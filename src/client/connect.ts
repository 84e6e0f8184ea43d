/**
 * connectEmulator: the control plane of an emulator in another process or a container
 * (a CI service, Testcontainers, `docker run`), with the same calls as the handle
 * startEmulator() gives — over HTTP, with the admin token when the server wants one.
 *
 *   import { connectEmulator } from 'hss-emulator/client';
 *   const emulator = connectEmulator('http://127.0.0.1:9080', { adminToken: process.env.HSS_ADMIN_TOKEN });
 *   await emulator.clock.advance(5_000);
 */
import { bearer, controlCalls, encoded, httpStream, readAnswer, type EmulatorControl, type Transport } from './control-client.js';

export type {
  Awaitable,
  CreatedProject,
  EmulatorControl,
  FeedEvent,
  ProjectSummary,
  ScriptAnswer,
} from './control-client.js';
export { HssError } from '../errors/catalog.js';

export interface ConnectOptions {
  /** the server's --admin-token, sent as Authorization: Bearer */
  adminToken?: string;
}

export function connectEmulator(url: string, options: ConnectOptions = {}): EmulatorControl {
  const base = url.replace(/\/+$/, '');
  const auth = bearer(options.adminToken);
  const transport: Transport = {
    async request(method, path, body, asText = false) {
      const { headers, text } = encoded(body);
      const res = await fetch(`${base}${path}`, { method, headers: { ...auth, ...headers }, ...(text === undefined ? {} : { body: text }) });
      return readAnswer(res.status, res.headers.get('content-type') ?? '', () => res.text(), asText);
    },
    stream: httpStream(base, auth),
  };
  const { endStreams, ...calls } = controlCalls(base, transport);
  return {
    ...calls,
    close: async () => endStreams(),
  };
}
