/**
 * TypeBox's compiler, loaded the first time a check runs rather than at start-up: the module
 * takes longer to load (≈150 ms) than the rest of a start, and a default start checks nothing
 * with it (config files, custom fixtures and state imports do). Loaded with require(esm),
 * which Node has without a flag since 20.19.
 */
import { createRequire } from 'node:module';
import type { TSchema } from 'typebox';
import type * as TypeBoxCompile from 'typebox/compile';

const require = createRequire(import.meta.url);

export type Compiled<T extends TSchema> = ReturnType<typeof TypeBoxCompile.Compile<T>>;

/** A function that answers `schema` compiled, compiling (and loading the compiler) once. */
export function lazyCompile<T extends TSchema>(schema: T): () => Compiled<T> {
  let compiled: Compiled<T> | undefined;
  return () => (compiled ??= (require('typebox/compile') as typeof TypeBoxCompile).Compile(schema) as Compiled<T>);
}
