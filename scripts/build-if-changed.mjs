#!/usr/bin/env node
// `npm start`: runs the TypeScript build only when a source is newer than the last build, so
// a second start takes about as long as the server itself (the build is incremental too).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// written after each build here (tsc leaves its own build info alone when nothing changed)
const stamp = join(root, 'dist', '.build-stamp');
const inputs = ['src', 'schemas', 'bench', 'test/helpers/sdk.ts', 'scripts/bundle.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), info.mtimeMs);
}

const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (built === 0 || inputs.some((input) => newest(join(root, input)) > built)) {
  const run = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
