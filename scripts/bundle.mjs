#!/usr/bin/env node
// After tsc: the package's entry points as bundles, each with its dependencies inside, so
// that what Node loads is a few files instead of some hundreds of modules (half the time from
// spawn to the first answer), and so that no ES-only dependency is ever require()d at run
// time (cookie 2 and content-disposition 3 are ES modules that fastify and @fastify/static
// require(); a bundle lets Node 20 before 20.19, which cannot require an ES module, run the
// package).
//   dist/bin/hss-emulator.mjs         the package's bin (the image's CMD): runs the command
//                                     with V8's compile cache (src/launcher/)
//   dist/bin/hss-emulator.bundle.cjs  the command; CommonJS, because V8's code cache can be
//                                     given to a script on every Node 20 but not to an ES module
//   dist/lib/index.mjs, client.mjs    the library entry points (`hss-emulator`,
//                                     `hss-emulator/client`), sharing chunks
// What must stay a package of its own stays external: the native addon, pino and its
// transports (worker threads load them by name), and in the library bundles the state
// import's stream parser. Swagger UI's JavaScript is bundled; its static files are served
// from the installed @fastify/swagger-ui package.
import { chmodSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/**
 * @fastify/swagger-ui finds its static files through __dirname, which an ES module bundle
 * does not have: give each of its files the __dirname of that file in the installed package.
 */
const swaggerUiFiles = {
  name: 'swagger-ui-dirname',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]node_modules[\\/]@fastify[\\/]swagger-ui[\\/].*\.js$/ }, async (args) => {
      const fromPackage = dirname(args.path).split(/[\\/]node_modules[\\/]@fastify[\\/]swagger-ui/).at(-1).replace(/^[\\/]/, '') || '.';
      const dir =
        "require('node:path').join(require('node:path').dirname(require.resolve('@fastify/swagger-ui/package.json')), " +
        `${JSON.stringify(fromPackage)})`;
      return { contents: `var __dirname = ${dir};\n${await readFile(args.path, 'utf8')}`, loader: 'js' };
    });
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // less text for V8 to parse at every start; identifiers stay, for readable stack traces
  // (not keepNames: it wraps every closure the code creates, a define per call — a third of
  // the request rate)
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['better-sqlite3', 'pino', 'pino-pretty', 'stream-json'],
  // CommonJS dependencies inside an ES module still call require
  banner: { js: "import { createRequire as hssCreateRequire } from 'node:module'; const require = hssCreateRequire(import.meta.url);" },
  plugins: [swaggerUiFiles],
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['dist/src/cli.js'],
    outfile: 'dist/bin/hss-emulator.bundle.cjs',
    format: 'cjs',
    // strict, as the ES modules it is made of; import.meta.url from the file's own __filename
    banner: { js: "'use strict'; const hssImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': 'hssImportMetaUrl' },
    // inside: stream-json is an ES module, which Node 20 before 20.19 cannot require(); and
    // swagger-ui's __dirname (above) is looked up in the installed package at run time
    external: [...common.external.filter((name) => name !== 'stream-json'), '@fastify/swagger-ui/package.json'],
  }),
  build({ ...common, entryPoints: ['dist/src/launcher/bin.js'], outfile: 'dist/bin/hss-emulator.mjs', banner: {} }),
  build({
    ...common,
    entryPoints: { index: 'dist/src/index.js', client: 'dist/src/client/connect.js' },
    outdir: 'dist/lib',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  }),
]);

chmodSync(join(root, 'dist/bin/hss-emulator.mjs'), 0o755);
// the command's bundle of earlier builds, as an ES module
rmSync(join(root, 'dist/bin/hss-emulator.bundle.mjs'), { force: true });
