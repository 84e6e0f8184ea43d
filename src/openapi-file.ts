/**
 * `npm run openapi` writes openapi.yaml from the routes; `npm run openapi:check` fails when
 * the committed file differs from what the code produces.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildApp } from './app.js';
import { defaultConfig } from './config/options.js';

export async function openapiYaml(): Promise<string> {
  const { app } = buildApp({ config: { ...defaultConfig(), db: ':memory:', clock: 'manual', clock_start: 0 }, logger: false });
  try {
    await app.ready();
    return app.swagger({ yaml: true });
  } finally {
    await app.close();
  }
}

const FILE = 'openapi.yaml';

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  const produced = await openapiYaml();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(FILE, 'utf8');
    } catch {
      // missing: differs
    }
    if (committed !== produced) {
      console.error(`${FILE} differs from what the routes produce: run npm run openapi and commit it`);
      process.exit(1);
    }
  } else {
    writeFileSync(FILE, produced);
    console.log(`wrote ${FILE}`);
  }
}
