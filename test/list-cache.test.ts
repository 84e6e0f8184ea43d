/**
 * List answers and counts are reused until the database is written (src/db/write-version.ts,
 * WriteVersion): a write is seen by the next request, and what a transaction that rolls back
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
