/** GET/POST /_emulator/clock: read the emulated time, switch mode, move it forward. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ClockBody, ClockState, CONTROL_TAG } from '../../schemas/control.js';
import { ClockError } from '../clock/clock.js';
import { controlBadRequest } from '../http/errors.js';
import type { ControlDeps } from './deps.js';

export function clockRoutes(app: FastifyInstance, { clock, progress, ticker }: ControlDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const state = () => ({ mode: clock.mode, now: clock.now(), now_iso: new Date(clock.now()).toISOString() });
  const schema = { tags: [CONTROL_TAG], response: { 200: ClockState } };

  typed.get('/_emulator/clock', { schema: { ...schema, summary: 'The emulated time' } }, async () => state());
  typed.post(
    '/_emulator/clock',
    { schema: { ...schema, summary: 'Switch mode ({mode}), set ({now}) or advance ({advance_ms}) the clock', body: ClockBody } },
    async (request) => {
      const { mode, now, advance_ms } = request.body;
      try {
        if (mode !== undefined) clock.setMode(mode);
        if (now !== undefined) clock.set(typeof now === 'number' ? now : Date.parse(now));
        if (advance_ms !== undefined) clock.advance(advance_ms);
      } catch (err) {
        if (err instanceof ClockError) throw controlBadRequest(err.message);
        throw err;
      }
      // Scans that ended in the time that just passed are published now, not at the next request.
      progress.atNow(clock.now(), () => undefined);
      ticker.poke();
      return state();
    },
  );
}
