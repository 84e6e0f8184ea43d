/**
 * SQL over the whole state at once: wipe it, wipe one project, dump every table, load a
 * dump. Table and column names come from the schema itself, never from a request.
 */
import type { Db } from './database.js';

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

  constructor(db: Db) {
    this.#db = db;
    for (const table of STATE_TABLES) {
      const info = db.pragma(`table_info(${table})`) as { name: string; pk: number }[];
      const keys = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      this.#columns.set(table, { names: info.map((c) => c.name), keys: keys.length ? keys : ['rowid'] });
    }
    this.#clearProjectImages = db.prepare('DELETE FROM images WHERE project_id = ?');
    this.#clearProjectHosts = db.prepare('DELETE FROM hosts WHERE project_id = ?');
    this.#clearProjectTokens = db.prepare('DELETE FROM tokens WHERE project_id = ?');
    this.#clearProjectLockouts = db.prepare(`
      DELETE FROM ak_failures WHERE ak IN (
        SELECT k.ak FROM access_keys k JOIN user_projects up ON up.user_id = k.user_id WHERE up.project_id = ?)`);
  }

  /** Every row of every table, in primary-key order. */
  dump(): StateTables {
    return Object.fromEntries(
      STATE_TABLES.map((table) => {
        const { keys } = this.#columns.get(table)!;
        return [table, this.#db.prepare(`SELECT * FROM ${table} ORDER BY ${keys.join(', ')}`).all() as Record<string, unknown>[]];
      }),
    );
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

  /** Call inside a transaction, after clearAll(). Unknown tables or columns are refused. */
  load(tables: StateTables): void {
    for (const table of Object.keys(tables)) {
      if (!this.#columns.has(table)) throw new StateError(`unknown table ${table}`);
    }
    this.#db.pragma('defer_foreign_keys = ON');
    for (const table of STATE_TABLES) {
      const { names } = this.#columns.get(table)!;
      const insert = this.#db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`);
      for (const [index, row] of (tables[table] ?? []).entries()) {
        const unknown = Object.keys(row).find((column) => !names.includes(column));
        if (unknown) throw new StateError(`tables.${table}[${index}]: unknown column ${unknown}`);
        insert.run(Object.fromEntries(names.map((n) => [n, row[n] ?? null])));
      }
    }
  }
}
