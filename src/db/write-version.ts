/**
 * What this connection has written so far: SQLite's total_changes() counts every row an
 * INSERT, UPDATE or DELETE touched (a rolled-back one too), and only this process writes the
 * database. An answer computed from the database stays right while the version stands, so
 * reads that repeat between writes — a list polled by CI, a count over a million images —
 * are computed once.
 *
 * Inside a transaction there is no version (current() is undefined) and reads compute without
 * keeping their answer: the count does not go back when a transaction rolls back (a later
 * step throws, or its COMMIT fails), so an answer kept from inside it would be served, under
 * the same version, as if its writes had stood.
 */
import type { Db } from './database.js';

export class WriteVersion {
  readonly #read;

  constructor(private readonly db: Db) {
    this.#read = db.prepare('SELECT total_changes()').pluck();
  }

  current(): number | undefined {
    return this.db.inTransaction ? undefined : (this.#read.get() as number);
  }
}

/** The tables whose rows decide who may call what; IdentityVersion watches them. */
const IDENTITY_TABLES = ['projects', 'enterprise_projects', 'users', 'user_projects', 'access_keys', 'tokens'] as const;

/**
 * Which state the identities are in — projects, enterprise projects, users and their projects,
 * access keys, tokens: a count that triggers on those tables move on at every row change,
 * whoever makes it. The look-ups every authenticated request makes are cached under it, so a
 * batch-scan's writes to images and scans do not drop them, and any change to an identity does.
 *
 * The triggers call back into this object (a function of this connection), so a read is a
 * field, not a statement. The count only grows: a rolled-back change has moved it on too, so
 * nothing cached before the change is used after it. Inside a transaction there is no version
 * (current() is undefined) and look-ups read through: what they would see may yet be rolled
 * back. The triggers live in this connection's TEMP schema, not in the stored schema or an
 * export; one IdentityVersion serves each connection (of()), since its triggers name one function.
 */
export class IdentityVersion {
  static readonly #byDb = new WeakMap<Db, IdentityVersion>();
  #changes = 0;

  /** The connection's IdentityVersion, made (with its triggers) at the first call. */
  static of(db: Db): IdentityVersion {
    let version = IdentityVersion.#byDb.get(db);
    if (!version) {
      version = new IdentityVersion(db);
      IdentityVersion.#byDb.set(db, version);
    }
    return version;
  }

  private constructor(private readonly db: Db) {
    db.function('hss_identity_changed', { deterministic: false }, () => {
      this.#changes++;
      return null;
    });
    for (const table of IDENTITY_TABLES) {
      for (const change of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS identity_${table}_${change.toLowerCase()} AFTER ${change} ON main.${table}
                 BEGIN SELECT hss_identity_changed(); END`);
      }
    }
  }

  /** The version to cache identities under; undefined inside a transaction (read through then). */
  current(): number | undefined {
    return this.db.inTransaction ? undefined : this.#changes;
  }
}

/**
 * Answers by key, all dropped when the version it is given moves; at most `capacity` kept.
 * Without a version (undefined), an answer is computed and not kept.
 */
export class VersionedCache<V> {
  readonly #entries = new Map<string, V>();
  #version = -1;

  constructor(private readonly capacity: number) {}

  get(version: number | undefined, key: string, compute: () => V): V {
    if (version === undefined) return compute();
    if (version !== this.#version) {
      this.#entries.clear();
      this.#version = version;
    }
    if (this.#entries.has(key)) return this.#entries.get(key) as V;
    const value = compute();
    if (this.#entries.size >= this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
    return value;
  }
}
