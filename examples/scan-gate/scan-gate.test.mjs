// Testing the gate against hss-emulator with tap: no cloud account, no waiting —
// the test moves the emulator's clock instead of sleeping.
import t from 'tap';
import { startEmulator } from 'hss-emulator';
import { login, scanAndWait, verdict } from './scan-gate.mjs';

const PROJECT = '2b31ed520b4d4e0a9c3d7f6e5a4b3c21';
const credentials = { user: 'admin', password: 'Admin@12345', domain: 'hss-emulator', projectId: PROJECT };

t.test('the gate passes a clean image and fails a risky one', async (t) => {
  const emulator = await startEmulator();
  t.teardown(() => emulator.close());
  const token = await login(emulator.url, credentials);
  // Instead of sleeping between polls, move emulated time on.
  const poll = async (ms) => emulator.clock.advance(ms);

  const agent = await scanAndWait(emulator.url, token, PROJECT, 'c499ab72-7ee9-4ee6-b6b7-5973230e7a7b', { poll });
  t.same(verdict(agent), { pass: true, reason: 'severity Low' });

  const webshell = await scanAndWait(emulator.url, token, PROJECT, 'b8722a02-162f-4e4e-8100-127605e3a07b', { poll });
  t.same(verdict(webshell), { pass: false, reason: '14 vulnerabilities, severity High' });
});

t.test('a scan that fails fails the gate (scripted through the control plane)', async (t) => {
  const emulator = await startEmulator();
  t.teardown(() => emulator.close());
  await fetch(`${emulator.url}/_emulator/images/c499ab72-7ee9-4ee6-b6b7-5973230e7a7b/script`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ outcome: 'failed', scan_failed_desc: 'docker_offline' }]),
  });
  const token = await login(emulator.url, credentials);
  const image = await scanAndWait(emulator.url, token, PROJECT, 'c499ab72-7ee9-4ee6-b6b7-5973230e7a7b', {
    poll: async (ms) => emulator.clock.advance(ms),
  });
  t.same(verdict(image), { pass: false, reason: 'scan failed (docker_offline)' });
});
