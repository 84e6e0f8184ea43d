#!/usr/bin/env node
// After tsc: the command as one ES module, dist/bin/hss-emulator.bundle.mjs, started by
// dist/bin/hss-emulator.mjs (the package's bin, the image's CMD). Loading one file instead of some hundreds of modules halves the time from
// spawn to the first answer. What must stay a package of its own stays external: the native
// addon, pino and its transports (worker threads load them by name), Swagger UI's static
// files, and the state import's stream parser (loaded only for an import).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli.js'],
  outfile: 'dist/bin/hss-emulator.bundle.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // less text for V8 to parse at every start; identifiers stay, for readable stack traces
  // (not keepNames: it wraps every closure the code creates, a define per call — a third of
  // the request rate)
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['better-sqlite3', 'pino', 'pino-pretty', '@fastify/swagger-ui', 'stream-json'],
  // CommonJS dependencies inside an ES module still call require
  banner: { js: "import { createRequire as hssCreateRequire } from 'node:module'; const require = hssCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The bin: on Node 22.1 and later, V8's compile cache first (the bundle then compiles from
// cache on every start after the first); on Node 20, just the bundle.
writeFileSync(
  join(root, 'dist/bin/hss-emulator.mjs'),
  `#!/usr/bin/env node
import * as nodeModule from 'node:module';
nodeModule.enableCompileCache?.();
await import('./hss-emulator.bundle.mjs');
`,
  { mode: 0o755 },
);
