/**
 * List answers and counts are reused until the inventory is written (src/db/write-version.ts,
 * InventoryVersion): a write to an image, a host, a container or a link is seen by the next
 * request, a login is not a write to the inventory, and what a transaction that rolls back
 * wrote (a failed COMMIT, a later step throwing) is never answered afterwards.
 */
import t from 'tap';
import { AGENT_IMAGE, PROJECT_A, T0, build } from './helpers/build.js';
import { countsOnImageSet } from '../src/db/image-repository.js';
import { imageFilterOf } from '../src/services/inventory-service.js';
import type { ListImageLocalQuery } from '../schemas/local-images.js';

t.test('a list read inside a transaction that rolls back is not answered afterwards', async (t) => {
  const emu = build(t);
  const before = await emu.list();
  t.equal(before.res.statusCode, 200);
  const total = before.body.total_num;
  const page = await emu.control('GET', `/_emulator/projects/${PROJECT_A}/images`);
  t.equal(page.status, 200);

  // the scope a request without enterprise_project_id has: the default enterprise project
  const scope = { projectId: PROJECT_A, enterpriseProjects: ['0'] };
  t.throws(
    () =>
      emu.db.transaction(() => {
        emu.db.prepare('DELETE FROM images WHERE project_id = ? AND image_id = ?').run(PROJECT_A, AGENT_IMAGE);
        const inside = emu.services.inventory.listImages(scope, {}, { offset: 0, limit: 10 }, T0);
        t.equal(inside.total, total - 1, 'the transaction sees its own delete');
        t.equal(emu.services.admin.imagePage(PROJECT_A, {}, T0).total, page.body.total - 1, 'and so does the control plane page');
        throw new Error('a later step fails');
      })(),
    /a later step fails/,
  );

  const after = await emu.list();
  t.equal(after.body.total_num, total, 'the rolled-back delete is not in the count');
  t.ok(after.body.data_list.some((image) => image.image_id === AGENT_IMAGE), 'nor in the page');
  const pageAfter = await emu.control('GET', `/_emulator/projects/${PROJECT_A}/images`);
  t.equal(pageAfter.body.total, page.body.total, 'the control plane counts it too');
  t.same(pageAfter.body.counts, page.body.counts, 'in its status');

  emu.db.prepare('DELETE FROM images WHERE project_id = ? AND image_id = ?').run(PROJECT_A, AGENT_IMAGE);
  t.equal((await emu.list()).body.total_num, total - 1, 'a committed delete is seen at the next request');
});

t.test('a login does not drop a cached list; a change to an image, a host, a container or a link to a host does', async (t) => {
  const emu = build(t);
  const scope = { projectId: PROJECT_A, enterpriseProjects: ['0'] };
  const listing = () => emu.services.inventory.listImages(scope, {}, { offset: 0, limit: 100 }, T0);
  const agent = () => listing().rows.find((image) => image.image_id === AGENT_IMAGE)!;
  const first = listing();
  t.equal(listing(), first, 'asked again, the same answer is reused');
  t.equal((await emu.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local-repositories` })).statusCode, 200, 'a login (a token row) and a list');
  t.equal(listing(), first, 'the login wrote no inventory: still reused');

  const before = agent();
  const imagePk = emu.db.prepare('SELECT image_pk FROM images WHERE project_id = ? AND image_id = ?').pluck().get(PROJECT_A, AGENT_IMAGE) as number;
  const hostPk = emu.db.prepare('SELECT host_pk FROM hosts WHERE project_id = ? ORDER BY host_id LIMIT 1').pluck().get(PROJECT_A) as number;
  emu.db.prepare("INSERT INTO containers (image_pk, host_pk, container_id, container_name, pod_id, pod_name, entry_point) VALUES (?, ?, 'c-new', 'c-new', '', '', '')").run(imagePk, hostPk);
  t.equal(agent().container_num, before.container_num + 1, 'a container added alone is counted at the next list');

  const spare = emu.db
    .prepare("INSERT INTO hosts (project_id, host_id, host_name, agent_id, agent_status, version, private_ip, public_ip, docker_name, docker_type) VALUES (?, '000-first', 'node-first', 'agent-first', 'online', 'v', '10.0.0.9', '', 'Docker', 'docker')")
    .run(PROJECT_A).lastInsertRowid;
  t.equal(agent().host_num, before.host_num, 'a host alone is on no image yet');
  emu.db.prepare('INSERT INTO image_hosts (image_pk, host_pk) VALUES (?, ?)').run(imagePk, spare);
  t.match(agent(), { host_num: before.host_num + 1, host_id: '000-first', host_name: 'node-first' }, 'linked to the image, it is counted and shown first');
  emu.db.prepare("UPDATE hosts SET host_name = 'node-renamed' WHERE host_pk = ?").run(spare);
  t.equal(agent().host_name, 'node-renamed', "a host's new name is shown at the next list");
  emu.db.prepare("UPDATE images SET image_version = 'v-next' WHERE image_pk = ?").run(imagePk);
  t.equal(agent().image_version, 'v-next', "and an image's own change");
});

t.test('while scans run, a total over the image set stays right as images come, go and change', async (t) => {
  const emu = build(t, { scan_base_ms: 10_000, scan_throughput_mb_s: 0, lanes: 1 });
  const total = async (query: Record<string, string | number> = {}) => (await emu.list({ enterprise_project_id: 'all_granted_eps', ...query })).body.total_num;
  const all = await total();
  const named = await total({ image_name: 'nginx' });
  t.ok(named > 0 && named < all, `${named} of ${all} images are named …nginx…`);
  t.equal((await emu.batchScan({ operate_all: true }, { enterprise_project_id: 'all_granted_eps' })).statusCode, 200);
  const scanning = await total({ scan_status: 'scanning' });
  t.equal(scanning, 1, 'one lane: one image scanning, the rest waiting');

  emu.clock.advance(10_000);
  t.equal(await total(), all, 'a scan ended: the total is the same');
  t.equal(await total({ scan_status: 'scanning' }), 1, 'and the next image is scanning');
  t.equal(await total({ scan_status: 'success' }) + (await total({ scan_status: 'failed' })), 1, 'the first has ended');

  const image = {
    project_id: PROJECT_A, enterprise_project_id: '0', image_id: 'late-nginx', image_name: 'registry.example.com/late/nginx',
    image_digest: `sha256:${'ef'.repeat(32)}`, image_version: '1', local_image_type: 'other_image', image_size: 1_000,
    latest_update_time: T0, vul_num: 0, unsafe_setting_num: 0, malicious_file_num: 0,
  };
  t.equal((await emu.control('POST', '/_emulator/images', { images: [image] })).status, 200);
  t.equal(await total(), all + 1, 'an image added is counted at the next list');
  t.equal(await total({ image_name: 'nginx' }), named + 1, 'by its name too');
  t.equal((await emu.control('POST', '/_emulator/images', { images: [{ ...image, image_name: 'registry.example.com/late/redis' }] })).status, 200);
  t.equal(await total({ image_name: 'nginx' }), named, 'renamed (replaced), it leaves the name filter');
  emu.db.prepare("UPDATE images SET image_size = 123 WHERE image_id = 'late-nginx'").run();
  t.equal(await total({ image_size: 123 }), 1, 'a size changed in place is seen');
  emu.db.prepare("UPDATE images SET image_name = 'registry.example.com/late/nginx-again' WHERE image_id = 'late-nginx'").run();
  t.equal(await total({ image_name: 'nginx' }), named + 1, 'and a name changed in place');
  emu.clock.advance(10_000);
  t.equal(await total({ image_name: 'nginx' }), named + 1, 'a scan ending on the way changes none of it');
  t.equal((await emu.control('DELETE', `/_emulator/images?project_id=${PROJECT_A}&image_id=late-nginx`)).status, 200);
  t.equal(await total(), all, 'an image removed is gone from the total');
});

t.test('the totals kept while scans run are those whose filter reads only the image set', async (t) => {
  const kept = (query: ListImageLocalQuery) => countsOnImageSet(imageFilterOf(query));
  t.ok(kept({}), 'no filter');
  t.ok(
    kept({ image_name: 'nginx', image_version: '1', local_image_type: 'other_image', image_size: 5, start_latest_update_time: 1, end_latest_update_time: 2 }),
    "name, version, type, size, update time: an image's own columns, which no scan writes",
  );
  const written: ListImageLocalQuery[] = [
    { scan_status: 'success' }, { scan_status: 'download_failed' }, { has_vul: false }, { start_latest_scan_time: 1, end_latest_scan_time: 2 },
    { host_name: 'x' }, { host_ip: '10.0.0.1' }, { container_id: 'c' }, { pod_name: 'p' }, { app_name: 'a' }, { has_container: true },
  ];
  for (const query of written) t.notOk(kept(query), `${JSON.stringify(query)}: reads what a scan or another table writes`);
});
