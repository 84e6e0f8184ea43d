/**
 * A change to most of a table's rows, with the indexes on the columns it changes built again
 * afterwards instead of kept up a row at a time.
 *
 * SQLite keeps an index up by deleting and inserting one entry per changed row: about 2.5 µs a
 * row and index at 200,000 images, more at a million, where the entries no longer sit in the
 * cache. Building the index again reads the table once and sorts: about 0.5–1.2 µs a row of the
 * whole table. So a change that touches at least half of the rows drops the indexes it would
 * keep up and builds them again from their own stored SQL (the migrations stay the one place
 * that defines them). It all happens inside the caller's transaction: a failure or a rollback
 * puts the indexes back as they were.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** The image indexes on the columns a scan's start and end write: status, scan time. */
export const SCAN_STATE_INDEXES = ['images_by_status_update', 'images_by_scan_time'] as const;
/** The scans' partial indexes of unfinished scans, which a scan leaves when it ends. */
export const IN_FLIGHT_INDEXES = ['scans_due', 'scans_in_flight'] as const;

/** Touching at least this share of a table's rows makes a rebuild the cheaper way… */
const REBUILD_SHARE = 0.5;
/** …and at least this many: below it, either way takes milliseconds. */
export const REBUILD_MIN_ROWS = 10_000;

export class BulkIndexes {
  readonly #definitions;
  #maxRowid: Statement<[], number | null> | undefined;

  constructor(
    private readonly db: Db,
    private readonly table: string,
    /** the indexes on the columns the bulk changes write */
    private readonly names: readonly string[],
  ) {
    this.#definitions = db.prepare<[string], string>("SELECT sql FROM main.sqlite_master WHERE type = 'index' AND name = ?").pluck();
  }

  /**
   * About how many rows the table holds: rowids are distinct and positive, so the largest is at
   * least the row count, and read in O(log n). Prepared when first needed: a WITHOUT ROWID table
   * has no rowid, and its callers say how many rows it holds.
   */
  #rowsAbout(): number {
    this.#maxRowid ??= this.db.prepare<[], number | null>(`SELECT max(rowid) FROM main.${this.table}`).pluck();
    return this.#maxRowid.get() ?? 0;
  }

  /**
   * Whether changing `rows` of the table (holding `tableRows`, if known) is cheaper with the
   * indexes built again. The table is measured only for a change big enough to matter: a
   * request that scans two images reads no statement here.
   */
  worthRebuilding(rows: number, tableRows?: number): boolean {
    return rows >= REBUILD_MIN_ROWS && rows >= REBUILD_SHARE * (tableRows ?? this.#rowsAbout());
  }

  /**
   * Runs `change` (which must change `rows` rows of a table that holds `tableRows`, if given);
   * call inside a transaction. `change` is told whether the indexes are gone while it runs (a
   * statement naming one INDEXED BY would fail).
   */
  around<T>(rows: number, change: (indexesDropped: boolean) => T, tableRows?: number): T {
    if (!this.db.inTransaction) throw new Error('BulkIndexes.around must run inside a transaction');
    if (!this.worthRebuilding(rows, tableRows)) return change(false);
    const definitions = this.names.map((name) => this.#definitions.get(name)).filter((sql): sql is string => sql !== undefined);
    for (const name of this.names) this.db.exec(`DROP INDEX IF EXISTS main.${name}`);
    const value = change(true);
    for (const sql of definitions) this.db.exec(sql);
    return value;
  }
}
