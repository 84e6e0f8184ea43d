/**
 * The bin's compile cache on Node 20 (src/launcher/code-cache.ts): a second start reads the
 * compiled code back; a changed, corrupt or unsafe cache is never a reason to fail.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { CLI } from './helpers/command.js';
import { cacheFolder } from '../src/launcher/code-cache.js';

const codeCache = new URL('../src/launcher/code-cache.ts', import.meta.url).pathname;
const tsx = CLI.slice(0, 2);

/** Runs `file` through runWithCodeCache in a process of its own; its output, then how the cache served it. */
function run(file: string, folder: string, nodeFlags: string[] = []): { out: string; use: string; status: number | null; stderr: string } {
  const script = `import { runWithCodeCache } from ${JSON.stringify(codeCache)};
    const use = runWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(folder)});
    process.on('exit', () => console.log('use=' + use));`;
  const child = spawnSync(process.execPath, [...nodeFlags, ...tsx, '--input-type=module', '-e', script], { encoding: 'utf8' });
  const lines = child.stdout.trim().split('\n');
  return { out: lines.slice(0, -1).join('\n'), use: lines.at(-1)?.replace(/^use=/, '') ?? '', status: child.status, stderr: child.stderr };
}

const PROGRAM = `const { basename } = require('node:path');
  console.log(basename(__filename), typeof module.exports, (function () { return this; })() === undefined ? 'strict' : 'sloppy');`;

t.test('the first run stores the compiled file; the next one reads it back', async (t) => {
  const dir = t.testdir({ 'program.cjs': PROGRAM, cache: {} });
  const folder = join(dir, 'cache');
  const first = run(join(dir, 'program.cjs'), folder);
  t.equal(first.status, 0, first.stderr);
  t.equal(first.out, 'program.cjs object strict', 'CommonJS in strict mode, as the ES modules it is bundled from');
  t.equal(first.use, 'cold');
  t.equal(readdirSync(folder).filter((f) => f.endsWith('.cache')).length, 1, 'stored at exit');
  t.same(readdirSync(folder).filter((f) => f.endsWith('.tmp')), [], 'nothing half-written left');

  const second = run(join(dir, 'program.cjs'), folder);
  t.equal(second.out, first.out);
  t.equal(second.use, 'warm');
});

t.test('a rebuilt file gets a cache of its own and its predecessor is removed', async (t) => {
  const dir = t.testdir({ 'program.cjs': PROGRAM, cache: {} });
  const folder = join(dir, 'cache');
  run(join(dir, 'program.cjs'), folder);
  const before = readdirSync(folder);
  writeFileSync(join(dir, 'program.cjs'), `${PROGRAM}\nconsole.log('rebuilt');`);
  const rebuilt = run(join(dir, 'program.cjs'), folder);
  t.equal(rebuilt.use, 'cold', 'the old cache is not offered to the new file');
  t.match(rebuilt.out, /rebuilt/);
  const after = readdirSync(folder);
  t.equal(after.length, 1);
  t.not(after[0], before[0]);
});

t.test('a damaged cache is never given to V8: the file compiles and runs, and the cache is written again', async (t) => {
  const dir = t.testdir({ 'program.cjs': PROGRAM, cache: {} });
  const folder = join(dir, 'cache');
  run(join(dir, 'program.cjs'), folder);
  const [name] = readdirSync(folder);
  const good = readFileSync(join(folder, name!));
  writeFileSync(join(folder, name!), Buffer.concat([good.subarray(0, 64), Buffer.alloc(good.length - 64, 0x5a)]));
  const corrupt = run(join(dir, 'program.cjs'), folder);
  t.equal(corrupt.status, 0, `V8 does not check a cache's bytes: given these, it crashes. ${corrupt.stderr}`);
  t.equal(corrupt.out, 'program.cjs object strict');
  t.equal(corrupt.use, 'cold');
  t.equal(run(join(dir, 'program.cjs'), folder).use, 'warm', 'written again');
});

t.test('a cache V8 refuses (made under other V8 flags) is replaced', async (t) => {
  const dir = t.testdir({ 'program.cjs': PROGRAM, cache: {} });
  const folder = join(dir, 'cache');
  run(join(dir, 'program.cjs'), folder);
  const other = run(join(dir, 'program.cjs'), folder, ['--no-flush-bytecode']);
  t.equal(other.status, 0, other.stderr);
  t.equal(other.out, 'program.cjs object strict');
  t.equal(other.use, 'rejected');
  t.equal(run(join(dir, 'program.cjs'), folder, ['--no-flush-bytecode']).use, 'warm', 'stored for these flags');
});

t.test('a folder others may write to, or one that cannot be made, is not used', async (t) => {
  const dir = t.testdir({ 'program.cjs': PROGRAM, shared: {}, 'a-file': '' });
  chmodSync(join(dir, 'shared'), 0o777);
  const shared = run(join(dir, 'program.cjs'), join(dir, 'shared'));
  t.equal(shared.use, 'off');
  t.equal(shared.out, 'program.cjs object strict');
  t.same(readdirSync(join(dir, 'shared')), [], 'nothing read from it or written to it');
  const impossible = run(join(dir, 'program.cjs'), join(dir, 'a-file', 'cache'));
  t.equal(impossible.status, 0, impossible.stderr);
  t.equal(impossible.use, 'off');
});

t.test("the folder follows Node's own compile-cache variables", async (t) => {
  t.equal(cacheFolder({ NODE_DISABLE_COMPILE_CACHE: '1' }), undefined);
  t.equal(cacheFolder({ NODE_COMPILE_CACHE: '/somewhere' }), '/somewhere/hss-emulator');
  t.match(cacheFolder({}), /hss-emulator-compile-cache-/);
});

t.test('the bin keeps the command compiled between runs', { skip: 'enableCompileCache' in nodeModule ? "Node's own compile cache serves the bin here" : false }, async (t) => {
  const bin = new URL('../dist/bin/hss-emulator.mjs', import.meta.url).pathname;
  const dir = t.testdir({});
  const env = { ...process.env, NODE_COMPILE_CACHE: dir };
  const first = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env });
  t.equal(first.status, 0, first.stderr);
  const [cache] = readdirSync(join(dir, 'hss-emulator'));
  t.match(cache, /^[0-9a-f]{16}-[0-9a-f]{32}\.cache$/, 'stored by the first run');
  const stored = statSync(join(dir, 'hss-emulator', cache!)).mtimeMs;
  const second = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env });
  t.equal(second.stdout, first.stdout);
  t.equal(statSync(join(dir, 'hss-emulator', cache!)).mtimeMs, stored, 'read back, not written again');
  const off = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env: { ...env, NODE_DISABLE_COMPILE_CACHE: '1' } });
  t.equal(off.stdout, first.stdout, 'and runs the same without it');
});
