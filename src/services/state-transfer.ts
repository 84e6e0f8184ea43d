/**
 * Export and import of the whole state, at any size in bounded memory. An export is
 * written to a scratch file in one synchronous pass (one consistent instant) and streamed
 * from there; an import is read as a token stream, each row checked against its table's
 * schema (types, enums, the JSON inside JSON columns) and staged in a scratch database,
 * then moved in by one transaction — so nothing of a refused import is ever written, and
 * nothing imported can later break the emulator.
 */
import { createReadStream, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { lazyCompile, type Compiled } from '../validation/lazy-compile.js';
import type { TSchema } from 'typebox';
import parser from 'stream-json/parser.js';
import Assembler from 'stream-json/assembler.js';
import { STATE_ROWS, JSON_COLUMNS } from '../../schemas/state.js';
import { MIGRATIONS } from '../db/migrations.js';
import { StagingArea, StateError, STATE_TABLES, type StateRepository } from '../db/state-repository.js';
import { controlBadRequest, entityTooLarge, unparsableRequest } from '../errors/catalog.js';
import type { ScanProgress } from './scan-progress.js';

/** The largest import body, in bytes (a million-image world exports to about 600 MB). */
/**
 * The oldest export this emulator imports: 8. Migration 9 only added images.vulnerabilities,
 * which an export without it leaves NULL (findings generated from the digest, as then).
 */
const OLDEST_IMPORTABLE_SCHEMA = 8;

export const STATE_IMPORT_LIMIT = 4 * 1024 ** 3;

type Check = Compiled<TSchema>;

// compiled the first time an import needs them
const rowChecks = new Map(Object.entries(STATE_ROWS).map(([table, schema]) => [table, lazyCompile(schema)]));
const jsonChecks = new Map(
  Object.entries(JSON_COLUMNS).map(([table, columns]) => [table, new Map(Object.entries(columns).map(([column, schema]) => [column, lazyCompile(schema)]))]),
);

/** Why `value` does not fit `check`, as "<at>.<field> <problem>". */
function problem(check: Check, value: unknown, at: string): string {
  const error = check.Errors(value)[0];
  if (!error) return `${at} is invalid`;
  const params = error.params as { additionalProperty?: string; missingProperty?: string };
  const field = `${at}${error.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}`;
  if (params.additionalProperty !== undefined) return `${field}: unknown column ${params.additionalProperty}`;
  if (error.keyword === 'false schema') {
    const cut = field.lastIndexOf('.');
    return `${field.slice(0, cut)}: unknown column ${field.slice(cut + 1)}`;
  }
  if (params.missingProperty !== undefined) return `${field}.${params.missingProperty} is required`;
  return `${field} ${error.message}`;
}

/** Checks one row and the JSON in its JSON columns; returns it as the staging table takes it. */
export function checkRow(table: string, row: unknown, at: string): Record<string, unknown> {
  const check = rowChecks.get(table)!();
  if (!check.Check(row)) throw new StateError(problem(check, row, at));
  const record = row as Record<string, unknown>;
  for (const [column, compiled] of jsonChecks.get(table) ?? []) {
    const inner = compiled();
    const text = record[column];
    if (text === null || text === undefined) continue;
    let value: unknown;
    try {
      value = JSON.parse(text as string);
    } catch {
      throw new StateError(`${at}.${column} must be JSON text`);
    }
    if (!inner.Check(value)) throw new StateError(problem(inner, value, `${at}.${column}`));
  }
  if (table === 'access_keys') return { sk: '', ...record };
  // an export made before the column existed: generated findings, as it had
  if (table === 'images') return { vulnerabilities: null, ...record };
  return record;
}

type Token = { name: string; value?: unknown };

export class StateTransfer {
  constructor(
    private readonly state: StateRepository,
    private readonly progress: ScanProgress,
  ) {}

  /** The state as JSON text, streamed from a scratch file that is removed once read (or abandoned). */
  exportStream({ secrets }: { secrets: boolean }): Readable {
    const dir = mkdtempSync(join(tmpdir(), 'hss-emulator-export-'));
    const path = join(dir, 'state.json');
    const fd = openSync(path, 'w');
    try {
      let buffered: string[] = [];
      let size = 0;
      const flush = () => {
        writeSync(fd, buffered.join(''));
        buffered = [];
        size = 0;
      };
      this.state.dumpTo(
        (text) => {
          buffered.push(text);
          size += text.length;
          if (size >= 1 << 20) flush();
        },
        { secrets },
      );
      flush();
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    } finally {
      closeSync(fd);
    }
    const stream = createReadStream(path);
    stream.once('close', () => rmSync(dir, { recursive: true, force: true }));
    return stream;
  }

  /**
   * Reads an export from `body` and replaces the whole state with it, or refuses it whole.
   * The replacement is published as a reset (to 'import') at `now`, after whatever the imported
   * scans have done by then.
   */
  async importStream(body: Readable, now: number, limit = STATE_IMPORT_LIMIT): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'hss-emulator-import-'));
    const staging = new StagingArea(join(dir, 'staging.db'));
    try {
      await this.#stage(body, staging, limit);
      staging.finish();
      this.state.replaceWithStaged(staging.path);
      this.progress.atNow(now, (changes) => changes.reset({ to: 'import', at: now }));
    } catch (err) {
      if (err instanceof StateError) throw controlBadRequest(`the state does not load: ${err.message}`);
      throw err;
    } finally {
      staging.discard();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async #stage(body: Readable, staging: StagingArea, limit: number): Promise<void> {
    let bytes = 0;
    let tooLarge = false;
    const tokens = body.pipe(parser.asStream({ streamValues: false }));
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit && !tooLarge) {
        // stop reading it, but let the rest drain so the 413 can still be answered
        tooLarge = true;
        body.unpipe(tokens);
        tokens.destroy(entityTooLarge());
      }
    });
    body.once('error', (err) => tokens.destroy(err));
    const reader = new StateReader(staging);
    // The first row that does not fit; the body is still read to its end, as a body that is
    // not JSON at all is told so first.
    let refused: unknown;
    try {
      // Tokens are taken as 'data' events, not through an async iterator: a million-image
      // export is tens of millions of tokens, and a promise each would dominate the import.
      await new Promise<void>((resolve, reject) => {
        tokens.on('data', (token: Token) => {
          if (refused !== undefined) return;
          try {
            reader.push(token);
          } catch (err) {
            refused = err;
          }
        });
        tokens.once('end', resolve);
        tokens.once('error', reject);
      });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 413) throw err;
      if (tooLarge) throw entityTooLarge();
      throw unparsableRequest('the body is not valid JSON');
    }
    if (tooLarge) throw entityTooLarge();
    if (refused !== undefined) throw refused;
    reader.finish();
  }
}

/** Reads an export token by token, checking each row and moving it into the staging area. */
class StateReader {
  #schemaVersion: number | undefined;
  readonly #seen = new Set<string>();
  // where the reader stands: the top object, a key's value, the tables object, a table's rows, a row
  #at: 'start' | 'top' | 'version' | 'tables-open' | 'tables' | 'rows-open' | 'rows' | 'row' | 'end' = 'start';
  #table = '';
  #index = 0;
  #row: Assembler | undefined;

  constructor(private readonly staging: StagingArea) {}

  push(token: Token): void {
    switch (this.#at) {
      case 'start':
        if (token.name !== 'startObject') fail('the body must be a JSON object');
        this.#at = 'top';
        break;
      case 'top':
        if (token.name === 'endObject') this.#at = 'end';
        else if (token.value === 'schema_version') this.#at = 'version';
        else if (token.value === 'tables') this.#at = 'tables-open';
        else fail(`unknown field ${String(token.value)}`);
        break;
      case 'version':
        this.#schemaVersion = token.name === 'numberValue' ? Number(token.value) : NaN;
        if (!(this.#schemaVersion >= OLDEST_IMPORTABLE_SCHEMA && this.#schemaVersion <= MIGRATIONS.length)) {
          fail(`schema_version ${String(token.value)} is not this emulator's (${MIGRATIONS.length}; ${OLDEST_IMPORTABLE_SCHEMA} imports too)`);
        }
        this.#at = 'top';
        break;
      case 'tables-open':
        if (token.name !== 'startObject') fail('tables must be an object of tables');
        this.#at = 'tables';
        break;
      case 'tables':
        if (token.name === 'endObject') this.#at = 'top';
        else {
          this.#table = String(token.value);
          if (!(STATE_TABLES as readonly string[]).includes(this.#table)) fail(`unknown table ${this.#table}`);
          if (this.#seen.has(this.#table)) fail(`table ${this.#table} given twice`);
          this.#seen.add(this.#table);
          this.#at = 'rows-open';
        }
        break;
      case 'rows-open':
        if (token.name !== 'startArray') fail(`tables.${this.#table} must be an array of rows`);
        this.#index = 0;
        this.#at = 'rows';
        break;
      case 'rows':
        if (token.name === 'endArray') this.#at = 'tables';
        else if (token.name !== 'startObject') fail(`tables.${this.#table}[${this.#index}] must be an object`);
        else {
          this.#row = new Assembler();
          this.#row.consume(token as never);
          this.#at = 'row';
        }
        break;
      case 'row':
        this.#row!.consume(token as never);
        if (this.#row!.done) {
          const where = `tables.${this.#table}[${this.#index}]`;
          this.staging.insert(this.#table, checkRow(this.#table, this.#row!.current, where), where);
          this.#index++;
          this.#at = 'rows';
        }
        break;
      case 'end':
        fail('nothing may follow the state object');
    }
  }

  /** The body has ended: it must have been one whole state object. */
  finish(): void {
    if (this.#at !== 'end') throw unparsableRequest('the body is not valid JSON');
    if (this.#schemaVersion === undefined) throw new StateError('schema_version is required');
  }
}

function fail(message: string): never {
  throw new StateError(message);
}
