/**
 * Response serializers (fast-json-stringify), compiled the first time a route answers with
 * that status rather than when the app starts — most routes never send most of their error
 * statuses, and compiling them all was a large part of every start — and then shared by
 * every app in the process, as the validators are (validation.ts).
 */
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

type Serializer = (document: unknown) => string;

// by response schema object: the shared components (schemas/components.ts) are the same in every app
const compiled = new WeakMap<object, Serializer>();

export const lazySerializers: SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => {
    const key = (route.schema ?? route) as object;
    let serializer: Serializer | undefined;
    return (document: unknown) => {
      if (!serializer) {
        serializer = compiled.get(key) ?? compile(route);
        compiled.set(key, serializer);
      }
      return serializer(document);
    };
  };
};
