/** The emulated clock's last stored reading, so a restart resumes it (never earlier). */
import type { ClockMode, ClockReadingRecord } from '../clock/clock.js';
import type { Db } from './database.js';

export class ClockRepository {
  readonly #read;
  readonly #save;

  constructor(db: Db) {
    this.#read = db.prepare<[], { mode: ClockMode; now: number; offset_ms: number }>(
      'SELECT mode, now, offset_ms FROM emulator_clock WHERE singleton = 1',
    );
    this.#save = db.prepare<[ClockReadingRecord]>(`
      INSERT INTO emulator_clock (singleton, mode, now, offset_ms) VALUES (1, @mode, @now, @offset_ms)
      ON CONFLICT (singleton) DO UPDATE SET mode = excluded.mode, now = max(now, excluded.now), offset_ms = excluded.offset_ms`);
  }

  read(): ClockReadingRecord | undefined {
    return this.#read.get();
  }

  save(record: ClockReadingRecord): void {
    this.#save.run(record);
  }
}
