/** This package's version, from the package.json above this file (source or build). */
import { existsSync, readFileSync } from 'node:fs';

function findVersion(): string {
  for (let dir = new URL('./', import.meta.url); dir.pathname !== '/'; dir = new URL('../', dir)) {
    const file = new URL('package.json', dir);
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'hss-emulator' && pkg.version) return pkg.version;
  }
  return '0.0.0';
}

export const VERSION = findVersion();
