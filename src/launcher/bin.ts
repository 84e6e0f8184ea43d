#!/usr/bin/env node
/**
 * The package's bin (bundled to dist/bin/hss-emulator.mjs, beside the command's bundle): runs
 * the command with V8's compile cache — Node's own on Node 22.1 and later, ours before it —
 * so that every start after the first reads the compiled command instead of compiling it.
 */
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { cacheFolder, runWithCodeCache } from './code-cache.js';

const bundle = fileURLToPath(new URL('./hss-emulator.bundle.cjs', import.meta.url));
// Node 22.1+ (not in Node 20's types)
const { enableCompileCache } = nodeModule as unknown as { enableCompileCache?: () => unknown };

if (enableCompileCache) {
  enableCompileCache();
  nodeModule.createRequire(import.meta.url)(bundle);
} else {
  runWithCodeCache(bundle, cacheFolder(process.env));
}
