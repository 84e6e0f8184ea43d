/**
 * SQL over the whole state at once: wipe it, wipe one project, dump every table, load a
 * dump. Table and column names come from the schema itself, never from a request.
 */
import type Database from 'better-sqlite3';
import { openDatabase, type Db } from './database.js';
import { MIGRATIONS } from './migrations.js';
import { BulkIndexes } from './bulk-indexes.js';

/** Parents before children, so a load satisfies every foreign key in order. */
export const STATE_TABLES = [
  'domain',
  'projects',
  'enterprise_projects',
  'users',
  'user_projects',
  'access_keys',
  'hosts',
  'images',
  'image_hosts',
  'containers',
  'apps',
  'scans',
  'scan_scripts',
  'tokens',
  'ak_failures',
] as const;

export type StateTables = Record<string, Record<string, unknown>[]>;

export class StateError extends Error {
  override name = 'StateError';
}

export class StateRepository {
  readonly #db: Db;
  readonly #columns = new Map<string, { names: string[]; keys: string[] }>();
  readonly #clearProjectImages;
  readonly #clearProjectHosts;
  readonly #clearProjectTokens;
  readonly #clearProjectLockouts;
  /** a table's own indexes (CREATE INDEX), not those its keys make */
  readonly #secondaryIndexes;

  constructor(db: Db) {
    this.#db = db;
    for (const table of STATE_TABLES) {
      const info = db.pragma(`table_info(${table})`) as { name: string; pk: number }[];
      const keys = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      this.#columns.set(table, { names: info.map((c) => c.name), keys: keys.length ? keys : ['rowid'] });
    }
    this.#secondaryIndexes = db
      .prepare<[string], string>("SELECT name FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name")
      .pluck();
    this.#clearProjectImages = db.prepare('DELETE FROM images WHERE project_id = ?');
    this.#clearProjectHosts = db.prepare('DELETE FROM hosts WHERE project_id = ?');
    this.#clearProjectTokens = db.prepare('DELETE FROM tokens WHERE project_id = ?');
    this.#clearProjectLockouts = db.prepare(`
      DELETE FROM ak_failures WHERE ak IN (
        SELECT k.ak FROM access_keys k JOIN user_projects up ON up.user_id = k.user_id WHERE up.project_id = ?)`);
  }

  /**
   * Writes the whole state as JSON text through `write`, table by table in primary-key
   * order, a page at a time, so memory does not grow with the world. Without `secrets`,
   * access keys go out without their SK. Synchronous: the export is one consistent instant.
   */
  dumpTo(write: (text: string) => void, { secrets }: { secrets: boolean }): void {
    write(`{"schema_version":${MIGRATIONS.length},"tables":{`);
    STATE_TABLES.forEach((table, index) => {
      const { names, keys } = this.#columns.get(table)!;
      const columns = secrets ? names : names.filter((n) => !(table === 'access_keys' && n === 'sk'));
      const select = `SELECT ${columns.join(', ')} FROM ${table}`;
      const first = this.#db.prepare(`${select} ORDER BY ${keys.join(', ')} LIMIT ${DUMP_PAGE}`);
      const next = this.#db.prepare(`${select} WHERE (${keys.join(', ')}) > (${keys.map(() => '?').join(', ')}) ORDER BY ${keys.join(', ')} LIMIT ${DUMP_PAGE}`);
      write(`${index === 0 ? '' : ','}${JSON.stringify(table)}:[`);
      let rows = first.all() as Record<string, unknown>[];
      let written = 0;
      while (rows.length > 0) {
        write(`${written === 0 ? '' : ','}${rows.map((row) => JSON.stringify(row)).join(',')}`);
        written += rows.length;
        const last = rows[rows.length - 1]!;
        rows = rows.length < DUMP_PAGE ? [] : (next.all(...keys.map((k) => last[k])) as Record<string, unknown>[]);
      }
      write(']');
    });
    write('}}');
  }

  /**
   * Replaces the whole state with the rows of a staging database (see StagingArea), in
   * one transaction: all of it, or nothing changes. Access keys staged without an SK keep
   * the SK of the existing key with that AK.
   */
  replaceWithStaged(stagingPath: string): void {
    this.#db.prepare('ATTACH DATABASE ? AS staged').run(stagingPath);
    // read once, in order: a small page cache, where the index builds below want the memory
    this.#db.pragma(`staged.cache_size = -${STAGED_CACHE_KIB}`);
    try {
      this.#db.transaction(() => {
        this.#db.prepare(`UPDATE staged.access_keys SET sk = coalesce((SELECT m.sk FROM main.access_keys m WHERE m.ak = staged.access_keys.ak), '') WHERE sk = ''`).run();
        const keyless = this.#db.prepare(`SELECT ak FROM staged.access_keys WHERE sk IS NULL OR sk = '' LIMIT 1`).get() as { ak: string } | undefined;
        if (keyless) throw new StateError(`tables.access_keys: ${keyless.ak} has no sk and no existing key to keep it from; export with ?include_secrets=true`);
        this.clearAll();
        this.#db.pragma('defer_foreign_keys = ON');
        for (const table of STATE_TABLES) {
          const { names } = this.#columns.get(table)!;
          // into an empty table: a big one gets its indexes built once afterwards (BulkIndexes)
          const rows = this.#db.prepare<[], number>(`SELECT count(*) FROM staged.${table}`).pluck().get() ?? 0;
          new BulkIndexes(this.#db, table, this.#secondaryIndexes.all(table)).around(
            rows,
            () => this.#db.prepare(`INSERT INTO main.${table} (${names.join(', ')}) SELECT ${names.join(', ')} FROM staged.${table}`).run(),
            0,
          );
        }
        const broken = this.#db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[];
        if (broken[0]) {
          const { table, rowid, parent } = broken[0];
          throw new StateError(`tables.${table}: FOREIGN KEY constraint failed: a row${rowid === null ? '' : ` (rowid ${rowid})`} refers to a missing ${parent} row`);
        }
      })();
    } finally {
      this.#db.prepare('DETACH DATABASE staged').run();
    }
  }

  /** Call inside a transaction. */
  clearAll(): void {
    for (const table of [...STATE_TABLES].reverse()) this.#db.prepare(`DELETE FROM ${table}`).run();
  }

  /** A project's inventory, hosts, tokens and the lockouts of keys that act in it; the project itself stays. */
  clearProject(projectId: string): void {
    this.#clearProjectImages.run(projectId);
    this.#clearProjectHosts.run(projectId);
    this.#clearProjectTokens.run(projectId);
    this.#clearProjectLockouts.run(projectId);
  }
}

/** The page cache of an attached staging database while it is copied in, KiB (SQLite's default here: 16,000). */
const STAGED_CACHE_KIB = 1024;

/** Rows per page of an export. */
const DUMP_PAGE = 1000;
/** Rows per transaction while staging an import. */
const STAGE_BATCH = 10_000;

/**
 * A scratch database with the emulator's schema, where an import's rows are written as
 * they stream in (so memory does not grow with the import) before one transaction moves
 * them into the real one. Foreign keys are checked then, not here.
 */
export class StagingArea {
  readonly #db: Db;
  readonly #inserts = new Map<string, Database.Statement>();
  #pending = 0;

  constructor(readonly path: string) {
    this.#db = openDatabase(path);
    this.#db.pragma('foreign_keys = OFF');
    this.#db.pragma('synchronous = OFF');
    // A scratch copy keeps the tables and their own keys (a duplicate still fails at its row);
    // the secondary indexes, the triggers and the name search are the real database's, built
    // there when the rows move in, so they are not kept up here row by row too.
    // (triggers first: they write to the search tables; a virtual table takes its own tables with it)
    const extras = this.#db
      .prepare<[], { kind: string; name: string }>(`
        SELECT CASE type WHEN 'table' THEN 'TABLE' WHEN 'trigger' THEN 'TRIGGER' ELSE 'INDEX' END AS kind, name FROM sqlite_master
        WHERE (type IN ('trigger', 'index') AND sql IS NOT NULL) OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%')
        ORDER BY type = 'trigger' DESC, type = 'index' DESC`)
      .all();
    for (const { kind, name } of extras) this.#db.exec(`DROP ${kind} IF EXISTS ${name}`);
    for (const table of STATE_TABLES) {
      const names = (this.#db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
      this.#inserts.set(table, this.#db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`));
    }
    this.#db.exec('BEGIN');
  }

  /** Adds one row already checked against its table's schema; a constraint failure is a StateError naming `at`. */
  insert(table: string, row: Record<string, unknown>, at: string): void {
    try {
      this.#inserts.get(table)!.run(row);
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new StateError(`${at}: ${(err as Error).message}`);
      throw err;
    }
    if (++this.#pending >= STAGE_BATCH) {
      this.#db.exec('COMMIT; BEGIN');
      this.#pending = 0;
    }
  }

  /** Commits what is staged; the file is then ready for replaceWithStaged. */
  finish(): void {
    this.#db.exec('COMMIT');
    this.#db.close();
  }

  discard(): void {
    if (this.#db.open) this.#db.close();
  }
}
