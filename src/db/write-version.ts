/**
 * Versions of what this connection has written, and the cache of answers kept under one. Only
 * this process writes the database, through this connection, so a version that has not moved
 * means the tables it watches hold what they held when an answer was computed.
 */
import type { Db } from './database.js';

/**
 * Which state a set of tables is in: a count that TEMP triggers on those tables move on at
 * every row they change, whoever changes it. Answers computed from the tables are cached under
 * it, and stay right while it stands.
 *
 * The triggers call back into this object (a function of this connection), so a read is a
 * field, not a statement. The count only grows: a rolled-back change has moved it on too, so
 * nothing cached before the change is used after it. Inside a transaction there is no version
 * (current() is undefined) and reads compute without keeping their answer: what they see may
 * yet be rolled back, and an answer kept from inside a transaction that rolls back would be
 * served afterwards, under the count its writes reached, as if they had stood. The triggers
 * live in this connection's TEMP schema, not in the stored schema or an export; one version
 * of each kind serves a connection (of()), since its triggers name one function.
 */
export class TableVersion {
  #changes = 0;

  constructor(
    private readonly db: Db,
    kind: string,
    /** each table's changes to count: INSERT, UPDATE, DELETE, or UPDATE OF some columns */
    tables: Readonly<Record<string, readonly string[]>>,
  ) {
    db.function(`hss_${kind}_changed`, { deterministic: false }, () => {
      this.#changes++;
      return null;
    });
    for (const [table, changes] of Object.entries(tables)) {
      changes.forEach((change, i) => {
        db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS ${kind}_${table}_${i} AFTER ${change} ON main.${table}
                 BEGIN SELECT hss_${kind}_changed(); END`);
      });
    }
  }

  /** The version to cache under; undefined inside a transaction (read through then). */
  current(): number | undefined {
    return this.db.inTransaction ? undefined : this.#changes;
  }
}

/** One TableVersion of a kind per connection, made (with its triggers) at the first call. */
function perConnection(kind: string, tables: ConstructorParameters<typeof TableVersion>[2]): { of(db: Db): TableVersion } {
  const byDb = new WeakMap<Db, TableVersion>();
  return {
    of(db: Db): TableVersion {
      let version = byDb.get(db);
      if (!version) byDb.set(db, (version = new TableVersion(db, kind, tables)));
      return version;
    },
  };
}

const EVERY_CHANGE = ['INSERT', 'UPDATE', 'DELETE'] as const;

/**
 * Which state the identities are in — projects, enterprise projects, users and their projects,
 * access keys, tokens. The look-ups every authenticated request makes are cached under it, so
 * a batch-scan's writes to images and scans do not drop them, and any change to an identity does.
 */
export const IdentityVersion = perConnection('identity', {
  projects: EVERY_CHANGE,
  enterprise_projects: EVERY_CHANGE,
  users: EVERY_CHANGE,
  user_projects: EVERY_CHANGE,
  access_keys: EVERY_CHANGE,
  tokens: EVERY_CHANGE,
});

/**
 * Which state the AK lockouts are in: every AK/SK request reads its key's failures, kept under
 * this version; a failure written or cleared moves it (and no other cache: see IdentityVersion).
 */
export const AkFailureVersion = perConnection('ak_failures', { ak_failures: EVERY_CHANGE });

/**
 * Which state the inventory is in — images, hosts, what sits on which, containers, software,
 * and the scans (whose next change a read checks first). Lists, their counts and the control
 * plane's status counts are cached under it, so a login, an AK's failures, the event buffer
 * or the clock's reading do not drop them. The tables that hang off an image or a host count
 * their inserts and updates only: their rows go with their image or host (whose triggers count
 * that), and a DELETE trigger would make a whole-table clear delete row by row.
 */
export const InventoryVersion = perConnection('inventory', {
  images: EVERY_CHANGE,
  hosts: EVERY_CHANGE,
  image_hosts: ['INSERT', 'UPDATE'],
  containers: ['INSERT', 'UPDATE'],
  apps: ['INSERT', 'UPDATE'],
  scans: ['INSERT', 'UPDATE'],
});

/**
 * The columns of an image that neither a scan nor anything but adding, replacing or removing
 * the image changes. A count over them alone (countsOnImageSet) holds while scans run.
 */
export const IMAGE_SET_COLUMNS = [
  'project_id', 'enterprise_project_id', 'image_id', 'image_name', 'image_version', 'local_image_type', 'image_size', 'latest_update_time',
] as const;

/**
 * Which images there are, by the columns in IMAGE_SET_COLUMNS: moved on when an image is
 * added or removed or one of those columns changes, not when a scan writes its status and
 * findings. A list's total whose filter reads only those columns is cached under it, so a poll
 * of a million images while their scans run does not count them all again.
 */
export const ImageSetVersion = perConnection('image_set', {
  images: ['INSERT', 'DELETE', `UPDATE OF ${IMAGE_SET_COLUMNS.join(', ')}`],
});

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
