/**
 * Request validation. Bodies are checked as sent (no type coercion: `"operate_all": "true"`
 * is an error, as it would be for the real service's JSON binding); query strings and
 * headers are text, so their numbers and booleans are coerced. Failures become HSS.0001
 * with the field named, or HSS.0002 when the body is not a JSON object at all.
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from '../validation/ajv.js';
import type { FastifySchemaCompiler } from 'fastify';
import type { ValidationMode } from '../config/options.js';
import { HssError, invalidParameter, unparsableRequest } from '../errors/catalog.js';

/** An Ajv instance and what it has compiled, by schema object. */
interface Compiler {
  ajv: Ajv;
  compiled: WeakMap<object, ValidateFunction>;
}

/**
 * One compiler for bodies and one for query strings and headers per validation mode, for the
 * whole process: every app (each startEmulator(), each test) shares what they compiled.
 */
const compilers = new Map<string, Compiler>();

function compilerFor(mode: ValidationMode, part: 'body' | 'text'): Compiler {
  const key = `${mode}/${part}`;
  let compiler = compilers.get(key);
  if (!compiler) {
    const common = { allErrors: false, strict: false, useDefaults: true } as const;
    const options =
      part === 'body'
        ? // EMULATOR: strict mode rejects unknown body fields; lenient drops them, as the real service probably does.
          { ...common, coerceTypes: false, removeAdditional: mode === 'lenient' }
        : { ...common, coerceTypes: true, removeAdditional: false };
    compiler = { ajv: createAjv(options), compiled: new WeakMap() };
    compilers.set(key, compiler);
  }
  return compiler;
}

/**
 * Each schema compiles the first time a request needs it, not while the app starts: a start
 * pays for none of them, and a route never called costs nothing.
 */
export function validatorCompiler(mode: ValidationMode): FastifySchemaCompiler<unknown> {
  return ({ schema, httpPart }) => {
    let check: ValidateFunction | undefined;
    return (data: unknown) => {
      check ??= compiled(mode, httpPart, schema as object);
      return check(data) ? { value: data } : { error: toHssError(check.errors ?? [], httpPart) };
    };
  };
}

function compiled(mode: ValidationMode, httpPart: string | undefined, schema: object): ValidateFunction {
  const { ajv, compiled } = compilerFor(mode, httpPart === 'body' ? 'body' : 'text');
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Turns the first Ajv error into the error a client sees. */
export function toHssError(errors: readonly ErrorObject[], httpPart: string | undefined): HssError {
  const first = errors[0];
  if (!first) return invalidParameter('request is invalid');
  if (httpPart === 'body' && first.instancePath === '' && first.keyword === 'type') {
    const expected = (first.params as { type?: string }).type === 'array' ? 'array' : 'object';
    return unparsableRequest(`the body must be a JSON ${expected}`);
  }
  const field = fieldName(first);
  if (first.keyword === 'additionalProperties') return invalidParameter(`unknown field ${field}`);
  if (first.keyword === 'required') return invalidParameter(`${field} is required`);
  if (first.keyword === 'minProperties') return invalidParameter(`${field} must give at least one field`);
  if (first.keyword === 'enum') {
    const allowed = (first.params as { allowedValues: unknown[] }).allowedValues.join(', ');
    return invalidParameter(`${field} must be one of ${allowed}`);
  }
  return invalidParameter(`${field} ${first.message ?? 'is invalid'}`);
}

/** `/image_info_list/0/image_id` → `image_info_list[0].image_id`, plus the missing or unknown key. */
function fieldName(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1);
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const extra = params.missingProperty ?? params.additionalProperty;
  if (extra !== undefined) segments.push(extra);
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), '') || 'body';
}
