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
import type { ScanTicker } from './scan-ticker.js';

/** The largest import body, in bytes (a million-image world exports to about 600 MB). */
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
  const params = error.params as { additionalProperties?: string[]; requiredProperties?: string[] };
  const field = `${at}${error.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}`;
  if (params.additionalProperties?.length) return `${field}: unknown column ${params.additionalProperties.join(', ')}`;
  if (error.keyword === 'additionalProperties' || error.message === 'schema is false') {
    const cut = field.lastIndexOf('.');
    return `${field.slice(0, cut)}: unknown column ${field.slice(cut + 1)}`;
  }
  if (params.requiredProperties?.length) return `${field}.${params.requiredProperties[0]} is required`;
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
  return table === 'access_keys' ? { sk: '', ...record } : record;
}

type Token = { name: string; value?: unknown };

export class StateTransfer {
  constructor(
    private readonly state: StateRepository,
    private readonly ticker: ScanTicker,
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

  /** Reads an export from `body` and replaces the whole state with it, or refuses it whole. */
  async importStream(body: Readable, limit = STATE_IMPORT_LIMIT): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'hss-emulator-import-'));
    const staging = new StagingArea(join(dir, 'staging.db'));
    try {
      await this.#stage(body, staging, limit);
      staging.finish();
      this.state.replaceWithStaged(staging.path);
      this.ticker.poke(); // the imported scans decide when it next wakes
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
    let schemaVersion: number | undefined;
    const seen = new Set<string>();
    // where the reader stands: the top object, a key's value, the tables object, a table's rows, a row
    let at: 'start' | 'top' | 'version' | 'tables-open' | 'tables' | 'rows-open' | 'rows' | 'row' | 'end' = 'start';
    let table = '';
    let index = 0;
    let row: Assembler | undefined;
    const fail = (message: string): never => {
      throw new StateError(message);
    };
    try {
      for await (const token of tokens as AsyncIterable<Token>) {
        switch (at) {
          case 'start':
            if (token.name !== 'startObject') fail('the body must be a JSON object');
            at = 'top';
            break;
          case 'top':
            if (token.name === 'endObject') at = 'end';
            else if (token.value === 'schema_version') at = 'version';
            else if (token.value === 'tables') at = 'tables-open';
            else fail(`unknown field ${String(token.value)}`);
            break;
          case 'version':
            schemaVersion = token.name === 'numberValue' ? Number(token.value) : NaN;
            if (schemaVersion !== MIGRATIONS.length) fail(`schema_version ${String(token.value)} is not this emulator's (${MIGRATIONS.length})`);
            at = 'top';
            break;
          case 'tables-open':
            if (token.name !== 'startObject') fail('tables must be an object of tables');
            at = 'tables';
            break;
          case 'tables':
            if (token.name === 'endObject') at = 'top';
            else {
              table = String(token.value);
              if (!(STATE_TABLES as readonly string[]).includes(table)) fail(`unknown table ${table}`);
              if (seen.has(table)) fail(`table ${table} given twice`);
              seen.add(table);
              at = 'rows-open';
            }
            break;
          case 'rows-open':
            if (token.name !== 'startArray') fail(`tables.${table} must be an array of rows`);
            index = 0;
            at = 'rows';
            break;
          case 'rows':
            if (token.name === 'endArray') at = 'tables';
            else if (token.name !== 'startObject') fail(`tables.${table}[${index}] must be an object`);
            else {
              row = new Assembler();
              row.consume(token as never);
              at = 'row';
            }
            break;
          case 'row':
            row!.consume(token as never);
            if (row!.done) {
              const where = `tables.${table}[${index}]`;
              staging.insert(table, checkRow(table, row!.current, where), where);
              index++;
              at = 'rows';
            }
            break;
          case 'end':
            fail('nothing may follow the state object');
        }
      }
    } catch (err) {
      if (err instanceof StateError || (err as { statusCode?: number }).statusCode === 413) throw err;
      if (tooLarge) throw entityTooLarge();
      throw unparsableRequest('the body is not valid JSON');
    }
    if (tooLarge) throw entityTooLarge();
    if (at !== 'end') throw unparsableRequest('the body is not valid JSON');
    if (schemaVersion === undefined) throw new StateError('schema_version is required');
  }
}
