/** GET/POST /_emulator/clock: read the emulated time, switch mode, move it forward. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ClockBody, ClockState, CONTROL_TAG } from '../../schemas/control.js';
import type { ControlDeps } from './deps.js';

export function clockRoutes(app: FastifyInstance, { clockControl }: ControlDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const schema = { tags: [CONTROL_TAG], response: { 200: ClockState } };
  typed.get('/_emulator/clock', { schema: { ...schema, summary: 'The emulated time' } }, async () => clockControl.read());
  typed.post(
    '/_emulator/clock',
    { schema: { ...schema, summary: 'Switch mode ({mode}), set ({now}) or advance ({advance_ms}) the clock', body: ClockBody } },
    async (request) => clockControl.change(request.body),
  );
}
