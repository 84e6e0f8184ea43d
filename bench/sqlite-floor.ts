/**
 * node dist/bench/sqlite-floor.js [--images N]  (default 1,000,000)
 *
 * The least SQLite itself spends on the two bulk scenarios of issue #10 whose targets are not
 * met, on the emulator's own schema, with no JavaScript per image: each step is one set-based
 * statement over every image. It shows what any design that keeps one row per scan and an
 * indexed scan_status per image must pay before doing anything else:
 *
 * - a batch-scan of every image: one plan row per image, every image marked `waiting`, commit;
 * - moving the clock past every scan's end: every image concluded (status, scan time and
 *   findings), every plan marked done, commit.
 *
 * The file database is built beside the OS temp dir and removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';

const args = process.argv.slice(2);
const at = args.indexOf('--images');
const IMAGES = at >= 0 ? Number(args[at + 1]) : 1_000_000;
const PROJECT = '7d9e1f20c3b44a5e8f6a0b1c2d3e4f50';

const dir = mkdtempSync(join(tmpdir(), 'hss-floor-'));
try {
  const db = openDatabase(join(dir, 'floor.db'));
  db.prepare("INSERT INTO projects (project_id, region) VALUES (?, 'cn-north-4')").run(PROJECT);
  const insert = db.prepare(
    `INSERT INTO images (project_id, enterprise_project_id, image_id, image_name, image_digest, image_version, local_image_type,
       image_size, latest_update_time) VALUES (?, '0', ?, ?, ?, 'v1', 'other_image', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < IMAGES; i++) {
      insert.run(PROJECT, `bench-${i}`, `swr.example.com/bench/app-${i}-end`, `sha256:${i.toString(16).padStart(64, '0')}`, 1_000_000 + i, 1_700_000_000_000 - i);
    }
  })();

  const steps: { scenario: string; step: string; ms: number }[] = [];
  const time = (scenario: string, step: string, sql: string) => {
    const start = process.hrtime.bigint();
    db.exec(sql);
    steps.push({ scenario, step, ms: Number(process.hrtime.bigint() - start) / 1e6 });
  };
  const result = `'{"vul_num":3,"severity_level":"Low","component_num":2,"unsafe_setting_num":1,"malicious_file_num":0}'`;

  time('operate_all', 'begin', 'BEGIN');
  time('operate_all', 'a plan row per image (INSERT … SELECT)', `
    INSERT INTO scans (image_pk, project_id, lane, requested_at, start_at, end_at, outcome, scan_failed_desc, result, phase, next_change_at)
    SELECT image_pk, project_id, image_pk % 2, 0, image_pk * 1000, image_pk * 1000 + 1000, 'success', '', ${result}, 'waiting', image_pk * 1000
    FROM images WHERE project_id = '${PROJECT}'`);
  time('operate_all', 'every image marked waiting (one UPDATE)', `UPDATE images SET scan_status = 'waiting' WHERE project_id = '${PROJECT}'`);
  time('operate_all', 'commit', 'COMMIT');

  time('clock move', 'begin', 'BEGIN');
  time('clock move', 'every image concluded (one UPDATE … FROM)', `
    UPDATE images SET scan_status = 'success', latest_scan_time = s.end_at, vul_num = s.result ->> '$.vul_num',
      severity_level = s.result ->> '$.severity_level', component_num = s.result ->> '$.component_num',
      unsafe_setting_num = s.result ->> '$.unsafe_setting_num', malicious_file_num = s.result ->> '$.malicious_file_num'
    FROM scans s WHERE s.next_change_at IS NOT NULL AND s.image_pk = images.image_pk`);
  time('clock move', 'every plan marked done (one UPDATE)', `UPDATE scans SET phase = 'done', next_change_at = NULL WHERE next_change_at IS NOT NULL`);
  time('clock move', 'commit', 'COMMIT');
  db.close();

  console.log(`SQLite's floor at ${IMAGES.toLocaleString('en')} images (a file database, WAL, synchronous=NORMAL):\n`);
  console.log('| Scenario | Step | ms | µs per image |\n|---|---|---|---|');
  for (const { scenario, step, ms } of steps.filter((s) => s.step !== 'begin')) {
    console.log(`| ${scenario} | ${step} | ${ms.toFixed(0)} | ${((ms * 1000) / IMAGES).toFixed(1)} |`);
  }
  for (const [scenario, target] of [['operate_all', 3_000], ['clock move', 5_000]] as const) {
    const total = steps.filter((s) => s.scenario === scenario).reduce((sum, s) => sum + s.ms, 0);
    console.log(`| ${scenario} | **in all** (the issue's target: ${target.toLocaleString('en')} ms) | **${total.toFixed(0)}** | ${((total * 1000) / IMAGES).toFixed(1)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
