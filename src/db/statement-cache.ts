/**
 * Prepares each distinct SQL text once. Callers assemble SQL only from fixed fragments
 * chosen by which filters are present — never from request values, which always travel as
 * bound parameters.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export class StatementCache {
  readonly #db: Db;
  readonly #statements = new Map<string, Statement>();

  constructor(db: Db) {
    this.#db = db;
  }

  /** The statement for `sql`, typed by the caller: its bound parameters and its row. */
  get<Params extends unknown[] | {} = unknown[], Row = unknown>(sql: string): Statement<Params, Row> {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement as Statement<Params, Row>;
  }
}

/**
 * LIMIT and OFFSET from bound parameters, written `+:limit`: SQLite (3.4x and later) re-prepares
 * a statement on every run whose LIMIT or OFFSET is a bare bound parameter, so that the planner
 * can use its value — 5 to 10 µs a run, more than the page query itself. A unary plus makes
 * them expressions, planned once.
 */
export const PAGE_CLAUSE = 'LIMIT +:limit OFFSET +:offset';

/** The named parameters of a statement built from Conditions. */
export type Named = Record<string, unknown>;

/** A WHERE clause under construction: fixed SQL fragments plus their named parameters. */
export class Conditions {
  readonly fragments: string[] = [];
  readonly params: Record<string, unknown> = {};

  add(fragment: string, params: Record<string, unknown> = {}): this {
    this.fragments.push(fragment);
    Object.assign(this.params, params);
    return this;
  }

  /** A parameter the FROM clause uses, when the value is present. */
  bind(name: string, value: unknown): this {
    if (value !== undefined) this.params[name] = value;
    return this;
  }

  /** Adds the fragment only when the value is present. */
  when(value: unknown, fragment: string, name: string): this {
    return value === undefined ? this : this.add(fragment, { [name]: value });
  }

  get where(): string {
    return this.fragments.length ? `WHERE ${this.fragments.join(' AND ')}` : '';
  }
}
