/**
 * npm run bench — how a list request and a batch-scan cost as the inventory grows, with a few
 * scans in flight. The claim being measured: the scan catch-up work is O(scans that
 * changed), and a page of the list comes off an index, so latency stays flat from 1,000 to
 * 100,000 images in a project.
 */
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock/clock.js';
import { defaultConfig } from '../src/config/options.js';
import { InventoryWriter } from '../src/db/inventory-writer.js';

const PROJECT = '2b31ed520b4d4e0a9c3d7f6e5a4b3c21';
const SIZES = [1_000, 10_000, 100_000];
const REQUESTS = 300;

async function measure(size: number) {
  const clock = new ManualClock(Date.UTC(2026, 10, 27));
  const { app, db } = buildApp({ config: { ...defaultConfig(), db: ':memory:', auth: 'off', scan_throughput_mb_s: 0 }, clock, logger: false });
  const writer = new InventoryWriter(db);
  db.transaction(() => {
    for (let i = 0; i < size; i++) {
      writer.addImage({
        project_id: PROJECT, enterprise_project_id: '0', image_id: `bench-${i}`, image_name: `registry.example.com/bench/app-${i}`,
        image_digest: `sha256:${i.toString(16).padStart(64, '0')}`, image_version: '1.0', local_image_type: 'other_image',
        image_size: 1_000_000 + i, latest_update_time: 1_700_000_000_000 + i, non_scan_reason: '', scan_status: 'unscan',
        latest_scan_time: 0, scan_failed_desc: '', severity_level: '', vul_num: i % 5, unsafe_setting_num: 0, malicious_file_num: 0,
        component_num: 0, scan_rule: undefined, host_pks: [], containers: [], apps: [],
      });
    }
  })();
  const list = () => app.inject({ method: 'GET', url: `/v5/${PROJECT}/image/local-repositories?limit=50` });
  await list(); // warm up statement cache and JIT

  const times: number[] = [];
  const written: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    if (i % 10 === 0) {
      await app.inject({ method: 'POST', url: `/v5/${PROJECT}/image/local/batch-scan`, payload: { image_info_list: [{ image_id: `bench-${i}` }, { image_id: `bench-${i + 1}` }, { image_id: `bench-${i + 2}` }] } });
      clock.advance(2_000); // those three scans end before the next list
    }
    const before = db.prepare('SELECT total_changes() AS n').get() as { n: number };
    const start = process.hrtime.bigint();
    const res = await list();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    written.push((db.prepare('SELECT total_changes() AS n').get() as { n: number }).n - before.n);
    if (res.statusCode !== 200) throw new Error(`list failed: ${res.statusCode}`);
  }
  await app.close();
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.floor((times.length - 1) * p)]!.toFixed(2);
  return { size, p50: pct(0.5), p95: pct(0.95), maxRowsWritten: Math.max(...written), heapMb: (process.memoryUsage().heapUsed / 1e6).toFixed(0) };
}

console.log(`list of 50 (with total_num) while 3 scans end every 10 requests; ${REQUESTS} requests per size`);
console.log('images   p50 ms   p95 ms   most rows one list wrote   heap MB');
for (const size of SIZES) {
  const r = await measure(size);
  console.log(`${String(r.size).padStart(7)}  ${r.p50.padStart(7)}  ${r.p95.padStart(7)}  ${String(r.maxRowsWritten).padStart(26)}  ${r.heapMb.padStart(8)}`);
}
