/**
 * Checks of a whole document against a TypeBox schema — a config file, a fixture world, a
 * row of a state import — compiled the first time one runs rather than at start-up (a
 * default start checks nothing with them). They compile with Ajv, which Fastify has already
 * loaded, so no other validator is loaded at all; the errors are Ajv's (keyword,
 * instancePath, params, message).
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Static, TSchema } from 'typebox';
import { createAjv } from './ajv.js';

export interface Compiled<T extends TSchema> {
  Check(value: unknown): value is Static<T>;
  /** Every way `value` does not fit, in document order. */
  Errors(value: unknown): ErrorObject[];
}

// one instance that stops at the first error (the hot path: every row of an import), one
// that lists them all (only once a check has failed)
let first: Ajv | undefined;
let all: Ajv | undefined;

/** A function that answers `schema` compiled, compiling it once. */
export function lazyCompile<T extends TSchema>(schema: T): () => Compiled<T> {
  let compiled: Compiled<T> | undefined;
  return () => {
    if (compiled) return compiled;
    first ??= createAjv({ allErrors: false, strict: false });
    const check: ValidateFunction = first.compile(schema);
    let explain: ValidateFunction | undefined;
    compiled = {
      Check: (value): value is Static<T> => check(value),
      Errors: (value) => {
        if (check(value)) return [];
        all ??= createAjv({ allErrors: true, strict: false });
        explain ??= all.compile(schema);
        explain(value);
        return [...(explain.errors ?? [])];
      },
    };
    return compiled;
  };
}
