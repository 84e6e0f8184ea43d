/** Opens the SQLite database and brings its schema up to date. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export const IN_MEMORY = ':memory:';

/** Pages of write-ahead log (4 KiB each) after which a commit copies it into the database file. */
const WAL_CHECKPOINT_PAGES = 10_000;
/** What the write-ahead log file is cut back to after a copy. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export function openDatabase(path: string): Db {
  if (path !== IN_MEMORY) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (path !== IN_MEMORY) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // The log is copied back into the database by the commit that takes it past this many
    // pages. At SQLite's 1,000 (4 MB) a batch-scan of 1,000 images paid for that copy on most
    // commits (about 80 ms of 250 at 200,000 images); at 40 MB the copy comes a tenth as often,
    // and a page written again in between is copied once.
    db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    // and a log that a bulk change grew to gigabytes is cut back to this once copied
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this hss-emulator (${MIGRATIONS.length})`);
  }
  db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }
  })();
}
