/**
 * connectEmulator: the control plane of an emulator in another process or a container
 * (a CI service, Testcontainers, `docker run`), with the same calls as the handle
 * startEmulator() gives — over HTTP, with the admin token when the server wants one.
 *
 *   import { connectEmulator } from 'hss-emulator/client';
 *   const emulator = connectEmulator('http://127.0.0.1:9080', { adminToken: process.env.HSS_ADMIN_TOKEN });
 *   await emulator.clock.advance(5_000);
 */
import { controlCalls, readAnswer, refusal, type EmulatorControl, type Transport } from './control-client.js';

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
  const auth: Record<string, string> = options.adminToken === undefined ? {} : { authorization: `Bearer ${options.adminToken}` };
  const transport: Transport = {
    async request(method, path, body, asText = false) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return readAnswer(res.status, res.headers.get('content-type') ?? '', () => res.text(), asText);
    },
    async stream(path, headers, signal) {
      const res = await fetch(`${base}${path}`, { headers: { ...auth, ...headers, accept: 'text/event-stream' }, signal });
      if (res.status !== 200 || !res.body) throw refusal(await readAnswer(res.status, res.headers.get('content-type') ?? '', () => res.text(), false));
      return res.body as unknown as AsyncIterable<Uint8Array>;
    },
  };
  const { endStreams, ...calls } = controlCalls(base, transport);
  return {
    ...calls,
    close: async () => endStreams(),
  };
}
