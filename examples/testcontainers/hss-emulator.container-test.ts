/**
 * hss-emulator in a container, started by Testcontainers for one test file: a random host
 * port, a wait on /_emulator/health, then the control plane through connectEmulator.
 *
 * Needs a Docker engine and the image: `docker build -t hss-emulator .` in a clone. Then, in
 * your project (with testcontainers, tap and hss-emulator installed):
 *   npx tap examples/testcontainers/hss-emulator.container-test.ts
 * hss-emulator's own suite type-checks this file (npm run lint); it has no Docker to run it.
 */
import t from 'tap';
import { GenericContainer, Wait } from 'testcontainers';
import { connectEmulator } from 'hss-emulator/client';

const PROJECT = '2b31ed520b4d4e0a9c3d7f6e5a4b3c21'; // project A of the default world
const AGENT_IMAGE = 'c499ab72-7ee9-4ee6-b6b7-5973230e7a7b';

t.test('a scan in the containerised emulator ends when its clock says so', async (t) => {
  const container = await new GenericContainer('hss-emulator')
    .withExposedPorts(9080)
    .withEnvironment({
      HSS_EMULATOR_CLOCK: 'manual', // this test moves time itself
      HSS_EMULATOR_AUTH: 'off', // no credentials for the cloud calls below
      HSS_EMULATOR_ALLOWED_HOSTS: '*', // the Docker host may have any name
    })
    .withWaitStrategy(Wait.forHttp('/_emulator/health', 9080).forStatusCode(200))
    .start();
  t.teardown(() => container.stop());
  const url = `http://${container.getHost()}:${container.getMappedPort(9080)}`;
  const emulator = connectEmulator(url);
  t.teardown(() => emulator.close());

  const scan = await fetch(`${url}/v5/${PROJECT}/image/local/batch-scan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ image_info_list: [{ image_id: AGENT_IMAGE }] }),
  });
  t.equal(scan.status, 200);
  await emulator.clock.advance(60_000);
  const [image] = await emulator.images.list({ project_id: PROJECT, image_id: AGENT_IMAGE });
  t.equal(image?.scan_status, 'success');
  t.match(await emulator.journal.list({ project_id: PROJECT }), [{ operation: 'BatchScanLocalImage', status: 200 }]);
});
