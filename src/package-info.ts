/** Where this package is installed (source tree, build, or node_modules) and its version. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function findPackage(): { root: string; version: string } {
  for (let dir = new URL('./', import.meta.url); dir.pathname !== '/'; dir = new URL('../', dir)) {
    const file = new URL('package.json', dir);
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'hss-emulator') return { root: fileURLToPath(dir), version: pkg.version ?? '0.0.0' };
  }
  return { root: process.cwd(), version: '0.0.0' };
}

const found = findPackage();

export const VERSION = found.version;
/** The package's folder, with a trailing slash. */
export const PACKAGE_ROOT = found.root;
