/**
 * What this connection has written so far: SQLite's total_changes() counts every row an
 * INSERT, UPDATE or DELETE touched (a rolled-back one too), and only this process writes the
 * database. An answer computed from the database stays right while the version stands, so
 * reads that repeat between writes — a list polled by CI, a count over a million images —
 * are computed once.
 */
import type { Db } from './database.js';

export class WriteVersion {
  readonly #read;

  constructor(db: Db) {
    this.#read = db.prepare('SELECT total_changes()').pluck();
  }

  current(): number {
    return this.#read.get() as number;
  }
}

/** Answers by key, all dropped when the write version moves; at most `capacity` kept. */
export class VersionedCache<V> {
  readonly #entries = new Map<string, V>();
  #version = -1;

  constructor(private readonly capacity: number) {}

  get(version: number, key: string, compute: () => V): V {
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
