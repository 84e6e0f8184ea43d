/**
 * An INSERT of many rows a statement: each run of a statement costs a few µs whatever it
 * writes, so a thousand scan plans go in as a handful of statements (256 rows each, then 16,
 * then the rest in one) instead of a thousand of one. The rows of one call get consecutive
 * rowids (nothing else writes in between); the last of them is returned.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** Rows a statement writes at most: 256 rows of 11 values stay far below SQLite's 32,766 bound values. */
const MOST_ROWS = 256;
/** Below this, the rest of a call goes in as one statement of exactly that many rows. */
const EXACT_ROWS = 16;

export class MultiRowInsert<Row> {
  /** by rows per statement, prepared when first needed */
  readonly #statements = new Map<number, Statement<unknown[]>>();

  constructor(
    private readonly db: Db,
    /** `INSERT INTO table (a, b, c)` */
    private readonly into: string,
    private readonly columns: number,
    /** a row's values, in the order of the columns */
    private readonly values: (row: Row) => unknown[],
  ) {}

  /** Inserts the rows in order; returns the rowid of the last one (0 when there are none). */
  run(rows: readonly Row[]): number {
    let last = 0;
    for (let from = 0; from < rows.length; ) {
      const left = rows.length - from;
      const size = left >= MOST_ROWS ? MOST_ROWS : left >= EXACT_ROWS ? EXACT_ROWS : left;
      const values = new Array<unknown>(size * this.columns);
      for (let r = 0; r < size; r++) {
        const row = this.values(rows[from + r]!);
        for (let c = 0; c < this.columns; c++) values[r * this.columns + c] = row[c];
      }
      last = Number(this.#statement(size).run(values).lastInsertRowid);
      from += size;
    }
    return last;
  }

  #statement(size: number): Statement<unknown[]> {
    let statement = this.#statements.get(size);
    if (!statement) {
      const tuple = `(${Array(this.columns).fill('?').join(', ')})`;
      statement = this.db.prepare<unknown[]>(`${this.into} VALUES ${Array(size).fill(tuple).join(', ')}`);
      this.#statements.set(size, statement);
    }
    return statement;
  }
}
