#!/usr/bin/env node
// After tsc: the command as one ES module, dist/bin/hss-emulator.mjs (the package's bin, the
// image's CMD). Loading one file instead of some hundreds of modules halves the time from
// spawn to the first answer. What must stay a package of its own stays external: the native
// addon, pino and its transports (worker threads load them by name), Swagger UI's static
// files, and the state import's stream parser (loaded only for an import).
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli.js'],
  outfile: 'dist/bin/hss-emulator.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // less text for V8 to parse at every start; names stay, for stack traces
  minify: true,
  keepNames: true,
  external: ['better-sqlite3', 'pino', 'pino-pretty', '@fastify/swagger-ui', 'stream-json'],
  // CommonJS dependencies inside an ES module still call require
  banner: { js: "import { createRequire as hssCreateRequire } from 'node:module'; const require = hssCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
