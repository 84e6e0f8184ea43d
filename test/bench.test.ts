/**
 * The benchmark at tiny sizes, so it cannot rot: every scenario of `npm run bench` runs and
 * reports a figure. The figures themselves are not judged here (this machine is shared and
 * noisy); docs/benchmarks.md holds a full run.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

t.test('npm run bench -- --quick runs every scenario', async (t) => {
  const script = fileURLToPath(new URL('../dist/bench/run.js', import.meta.url));
  const run = spawnSync(process.execPath, [script, '--quick'], { encoding: 'utf8', timeout: 100_000 });
  t.equal(run.status, 0, run.stderr.slice(-2_000));
  for (const scenario of [
    'ListImageLocal with a token, 1,000 images',
    'ListImageLocal with a token, the default 20 images',
    'AK/SK batch-scan of the 2 example images',
    'Spawn → first 200 on /_emulator/health',
    'startEmulator() after the first',
    'List p99 at 2,000 images: no filter',
    'List p99 at 2,000 images: image_name (1 match)',
    'List p99 at 2,000 images: scan_status=failed',
    'Batch-scan naming 1,000 images',
    'operate_all batch-scan of 2,000 images',
    "Moving the clock past 2,000 scans' ends",
    'Restart with 2,000 queued scans',
    'Emulator RSS with 2,000 images',
  ]) {
    t.match(run.stdout, new RegExp(`\\| ${scenario.replace(/[()]/g, '\\$&')}[^|]* \\| [^|]+ \\| [^|]+ \\| (yes|\\*\\*no\\*\\*) \\|`), scenario);
  }
  t.match(run.stdout, /state body/, 'and the state round trip');
});

t.test('the SQLite floor of the bulk scenarios runs and reports each step', async (t) => {
  const script = fileURLToPath(new URL('../dist/bench/sqlite-floor.js', import.meta.url));
  const run = spawnSync(process.execPath, [script, '--images', '2000'], { encoding: 'utf8', timeout: 60_000 });
  t.equal(run.status, 0, run.stderr.slice(-2_000));
  t.match(run.stdout, /floor at 2,000 images/);
  for (const step of ['a plan row per image', 'every image marked waiting', 'every image concluded', 'every plan marked done']) {
    t.match(run.stdout, new RegExp(`\\| ${step}[^|]* \\| \\d+ \\| [\\d.]+ \\|`), step);
  }
  t.match(run.stdout, /\| operate_all \| \*\*in all\*\*/);
  t.match(run.stdout, /\| clock move \| \*\*in all\*\*/);
});
