/**
 * List answers and counts are reused until the inventory is written (src/db/write-version.ts,
 * InventoryVersion): a write to an image, a host, a container or a link is seen by the next
 * request, a login is not a write to the inventory, and what a transaction that rolls back
 * wrote (a failed COMMIT, a later step throwing) is never answered afterwards.
 */
import t from 'tap';
import { AGENT_IMAGE, PROJECT_A, T0, build } from './helpers/build.js';

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
