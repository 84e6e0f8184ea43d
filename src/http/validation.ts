/**
 * Request validation. Bodies are checked as sent (no type coercion: `"operate_all": "true"`
 * is an error, as it would be for the real service's JSON binding); query strings and
 * headers are text, so their numbers and booleans are coerced. Failures become HSS.0001
 * with the field named, or HSS.0002 when the body is not a JSON object at all.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { ValidationMode } from '../config/options.js';
import { HssError, invalidParameter, unparsableRequest } from './errors.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export function validatorCompiler(mode: ValidationMode): FastifySchemaCompiler<unknown> {
  const common = { allErrors: false, strict: false, useDefaults: true } as const;
  // EMULATOR: strict mode rejects unknown body fields; lenient drops them, as the real service probably does.
  const bodies = addFormats(new Ajv({ ...common, coerceTypes: false, removeAdditional: mode === 'lenient' }));
  const texts = addFormats(new Ajv({ ...common, coerceTypes: true, removeAdditional: false }));
  return ({ schema, httpPart }) => {
    const validate: ValidateFunction = (httpPart === 'body' ? bodies : texts).compile(schema as object);
    return (data: unknown) => (validate(data) ? { value: data } : { error: toHssError(validate.errors ?? [], httpPart) });
  };
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
