/** The world file is checked at load; each problem names the file, the JSON path and the problem. */
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorld } from '../src/world/read-world.js';

const world = () => JSON.parse(readFileSync('fixtures/default.json', 'utf8'));

t.test('the default world loads and covers what the spec asks for', async (t) => {
  const w = readWorld('fixtures/default.json');
  t.equal(w.domain.name, 'hss-emulator');
  t.ok(w.images.length >= 18 && w.images.length <= 24, 'about 20 images');
  const outcomes = new Set(w.images.map((i) => i.scan_outcome ?? 'success'));
  for (const outcome of ['success', 'failed', 'download_failed']) t.ok(outcomes.has(outcome as never), outcome);
  t.ok(w.images.some((i) => i.image_size > 10 * 1024 ** 3), 'one over max_image_size');
  t.ok(w.images.some((i) => i.non_scan_reason), 'one with a non_scan_reason');
  t.ok(w.images.some((i) => (i.hosts?.length ?? 0) > 1), 'one on several hosts');
  t.same(new Set(w.images.map((i) => i.local_image_type)), new Set(['swr_image', 'other_image']));
});

t.test('problems name file, path and problem', async (t) => {
  const dir = t.testdir();
  const write = (name: string, data: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
    return path;
  };
  const broken = write('broken.json', '{"domain": ');
  t.throws(() => readWorld(broken), new RegExp(`^${broken}: .*JSON`));

  const typo = world();
  typo.images[3].image_size = 'large';
  t.throws(() => readWorld(write('typo.json', typo)), /typo\.json: \/images\/3\/image_size: must be integer/);

  const extra = world();
  extra.images[0].colour = 'red';
  t.throws(() => readWorld(write('extra.json', extra)), /extra\.json: \/images\/0: unknown field colour/);

  const orphan = world();
  orphan.images[1].project_id = 'nowhere';
  t.throws(() => readWorld(write('orphan.json', orphan)), /orphan\.json: \/images\/1\/project_id: unknown project nowhere/);

  const twice = world();
  twice.images[1].image_id = twice.images[0].image_id;
  t.throws(() => readWorld(write('twice.json', twice)), /\/images\/1\/image_id: duplicate image/);

  const hostless = world();
  hostless.images[0].hosts = ['ghost'];
  t.throws(() => readWorld(write('hostless.json', hostless)), /\/images\/0: unknown host ghost/);
});

t.test('a bad enum value lists the allowed ones', async (t) => {
  const bad = world();
  bad.images[2].scan_outcome = 'exploded';
  const path = join(t.testdir(), 'enum.json');
  writeFileSync(path, JSON.stringify(bad));
  t.throws(() => readWorld(path), /\/images\/2\/scan_outcome: must be one of "success", "failed", "download_failed", "image_oversized"/);
});
