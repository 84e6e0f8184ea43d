/** A new Ajv with the standard formats: for request validation and for whole-document checks. */
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export function createAjv(options: Options): Ajv {
  return addFormats(new Ajv(options));
}
