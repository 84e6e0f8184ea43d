/**
 * Runs a CommonJS file with V8's code cache: what Node 22.1+ does for every module after
 * `module.enableCompileCache()`, for the Node versions before it (Node 20). The first run
 * compiles the file and, once it has started, stores the compiled code; every later run
 * reads it back instead of parsing and compiling about 2 MB of JavaScript again.
 *
 * The cache is an optimisation and never a reason to fail: a cache that is missing, stale,
 * corrupt or unwritable is ignored. It is trusted input to V8, which rejects a cache made for
 * another V8 or another source length but does not check its bytes (a damaged one can crash
 * the process), so each file starts with the SHA-256 of what follows and is only given to V8
 * when that holds, and it is only read from a folder that this user owns and that no one
 * else may write to. Each cache file is named by the file's path, Node's version and the CPU,
 * and keyed by a hash of the file's content: a rebuilt bundle replaces its predecessor's cache.
 */
import { lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { sha256, sha256Hex } from '../domain/sha256.js';

/** What became of the cache on this run: not used, none there (or damaged), read back, or refused by V8 (made by another V8 or under other flags). */
export type CacheUse = 'off' | 'cold' | 'warm' | 'rejected';

/** ms after the file has run by which a first start has usually compiled what it needs. */
const WRITE_AFTER_MS = 1_000;

/**
 * The folder the cache lives in, as Node's own compile cache chooses it: NODE_COMPILE_CACHE
 * if set, else the system's temporary folder; none when NODE_DISABLE_COMPILE_CACHE is set.
 */
export function cacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const user = process.getuid?.() ?? 'user';
  return env.NODE_COMPILE_CACHE ? join(env.NODE_COMPILE_CACHE, 'hss-emulator') : join(tmpdir(), `hss-emulator-compile-cache-${user}`);
}

/**
 * Runs `file` (CommonJS, strict mode, its `require` resolving from its own folder) and returns
 * how the cache in `folder` served it. The cache is written `WRITE_AFTER_MS` after the file
 * has run, or when the process exits, whichever comes first.
 */
export function runWithCodeCache(file: string, folder: string | undefined): CacheUse {
  const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const cacheFile = folder === undefined ? undefined : cacheFileFor(folder, file, source);
  const cached = cacheFile === undefined ? undefined : readIntact(cacheFile);
  // a function of the same parameters as Node's CommonJS wrapper; one line, so line numbers hold
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {'use strict';${source}\n})`, {
    filename: file,
    ...(cached ? { cachedData: cached } : {}),
  });
  const use: CacheUse = cacheFile === undefined ? 'off' : cached === undefined ? 'cold' : script.cachedDataRejected ? 'rejected' : 'warm';
  if (cacheFile !== undefined && use !== 'warm') storeLater(script, cacheFile);
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  return use;
}

/**
 * `<folder>/<hash of the path, Node's version and the CPU>-<hash of the content>.cache`, or
 * none when the folder is not safe to use: one cache per installed file and Node.
 */
function cacheFileFor(folder: string, file: string, source: string): string | undefined {
  if (!privateFolder(folder)) return undefined;
  const named = sha256Hex(`${file}\0${process.version}\0${process.arch}`).slice(0, 16);
  const keyed = sha256Hex(source).slice(0, 32);
  return join(folder, `${named}-${keyed}.cache`);
}

/** Creates the folder (this user's only) if it is missing; true when it is a real folder no one else may write to. */
function privateFolder(folder: string): boolean {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = lstatSync(folder);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Bytes of the digest each cache file starts with. */
const DIGEST_BYTES = 32;

/** The cached code, if the file is there and whole; else none (the run then compiles, and stores the cache again). */
function readIntact(file: string): Buffer | undefined {
  let stored: Buffer;
  try {
    stored = readFileSync(file);
  } catch {
    return undefined;
  }
  const code = stored.subarray(DIGEST_BYTES);
  return stored.length > DIGEST_BYTES && sha256(code).equals(stored.subarray(0, DIGEST_BYTES)) ? code : undefined;
}

/** Writes the compiled code once the start is under way (or at exit), replacing older caches of the same file. */
function storeLater(script: Script, cacheFile: string): void {
  let stored = false;
  const store = () => {
    if (stored) return;
    stored = true;
    process.off('exit', store);
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      const code = script.createCachedData();
      writeFileSync(temporary, Buffer.concat([sha256(code), code]), { mode: 0o600 });
      renameSync(temporary, cacheFile); // atomic: a concurrent start reads the old file or the new one
      const folder = dirname(cacheFile);
      const prefix = cacheFile.slice(folder.length + 1).split('-')[0]!;
      for (const name of readdirSync(folder)) {
        if (name.startsWith(`${prefix}-`) && name.endsWith('.cache') && join(folder, name) !== cacheFile) rmSync(join(folder, name), { force: true });
      }
    } catch {
      // a read-only or full disk: the next start compiles again
      rmSync(temporary, { force: true });
    }
  };
  setTimeout(store, WRITE_AFTER_MS).unref();
  process.once('exit', store);
}
