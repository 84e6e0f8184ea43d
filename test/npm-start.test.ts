/**
 * `npm start` builds only when a source changed since the last build (scripts/build-if-changed.mjs),
 * so a second start is up in about the time the server needs. Run in a scratch project whose
 * "build" only counts its runs.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

t.test('the build runs first, then only after a source changes', async (t) => {
  const dir = t.testdir({ scripts: {}, src: { 'a.ts': 'export {};\n' } });
  copyFileSync(join(root, 'scripts', 'build-if-changed.mjs'), join(dir, 'scripts', 'build-if-changed.mjs'));
  const build = "node -e \"const fs=require('fs');fs.mkdirSync('dist',{recursive:true});fs.appendFileSync('dist/builds','x')\"";
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, scripts: { build } }));
  const start = () => spawnSync(process.execPath, [join(dir, 'scripts', 'build-if-changed.mjs')], { cwd: dir, encoding: 'utf8' });
  const builds = () => readFileSync(join(dir, 'dist', 'builds'), 'utf8').length;

  t.equal(start().status, 0);
  t.equal(builds(), 1, 'a fresh clone builds');
  t.equal(start().status, 0);
  t.equal(builds(), 1, 'nothing changed: no build');
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(dir, 'src', 'a.ts'), later, later);
  t.equal(start().status, 0);
  t.equal(builds(), 2, 'a source changed: built again');
  mkdirSync(join(dir, 'src', 'deeper'));
  writeFileSync(join(dir, 'src', 'deeper', 'b.ts'), 'export {};\n');
  utimesSync(join(dir, 'src', 'deeper', 'b.ts'), new Date(Date.now() + 120_000), new Date(Date.now() + 120_000));
  t.equal(start().status, 0);
  t.equal(builds(), 3, 'a new file in a subfolder counts too');

  // the bundler's settings decide what the bin runs
  const past = new Date(Date.now() - 60_000);
  for (const path of ['src/a.ts', 'src/deeper/b.ts', 'src/deeper', 'src']) utimesSync(join(dir, path), past, past);
  t.equal(start().status, 0);
  const built = builds();
  t.equal(start().status, 0);
  t.equal(builds(), built, 'nothing newer than the last build: no build');
  writeFileSync(join(dir, 'scripts', 'bundle.mjs'), '// bundles\n');
  const newer = new Date(Date.now() + 60_000);
  utimesSync(join(dir, 'scripts', 'bundle.mjs'), newer, newer);
  t.equal(start().status, 0);
  t.equal(builds(), built + 1, 'a change to the bundler builds again');
});
