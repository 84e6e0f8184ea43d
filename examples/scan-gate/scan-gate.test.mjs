// Testing the gate against hss-emulator with tap: no cloud account, no waiting —
// the test moves the emulator's clock instead of sleeping.
import t from 'tap';
import { startEmulator } from 'hss-emulator';
import { login, scanAndWait, urgentVulnerabilities, verdict } from './scan-gate.mjs';

const PROJECT = '2b31ed520b4d4e0a9c3d7f6e5a4b3c21';
const credentials = { user: 'admin', password: 'Admin@12345', domain: 'hss-emulator', projectId: PROJECT };

t.test('the gate passes a clean image and fails a risky one', async (t) => {
  const emulator = await startEmulator();
  t.teardown(() => emulator.close());
  const token = await login(emulator.url, credentials);
  // Instead of sleeping between polls, move emulated time on.
  const poll = async (ms) => emulator.clock.advance(ms);

  const agent = await scanAndWait(emulator.url, token, PROJECT, 'c499ab72-7ee9-4ee6-b6b7-5973230e7a7b', { poll });
  t.same(await urgentVulnerabilities(emulator.url, token, PROJECT, agent), [], 'nothing to repair at once');
  t.same(verdict(agent, []), { pass: true, reason: '3 vulnerabilities, none urgent (severity Low)' });

  const webshell = await scanAndWait(emulator.url, token, PROJECT, 'b8722a02-162f-4e4e-8100-127605e3a07b', { poll });
  const urgent = await urgentVulnerabilities(emulator.url, token, PROJECT, webshell);
  t.ok(urgent.length > 0 && urgent.every((v) => v.repair_necessity === 'immediate_repair'), `${urgent.length} need immediate repair`);
  t.ok(urgent.every((v) => ['php', 'nginx'].includes(v.app_name)), "in the image's own software");
  const result = verdict(webshell, urgent);
  t.equal(result.pass, false);
  t.match(result.reason, new RegExp(`^${urgent.length} vulnerabilities need immediate repair: CVE-\\d{4}-\\d+ in (php|nginx) `));
});

t.test('a scan scripted to find one critical vulnerability fails the gate, naming it', async (t) => {
  const emulator = await startEmulator();
  t.teardown(() => emulator.close());
  await fetch(`${emulator.url}/_emulator/images/c499ab72-7ee9-4ee6-b6b7-5973230e7a7b/script`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ outcome: 'success', scan_result: { vulnerabilities: [{ vul_id: 'CVE-2024-6387', app_name: 'openssl', repair_necessity: 'immediate_repair', fixed_version: '3.0.14' }] } }]),
  });
  const token = await login(emulator.url, credentials);
  const image = await scanAndWait(emulator.url, token, PROJECT, 'c499ab72-7ee9-4ee6-b6b7-5973230e7a7b', { poll: async (ms) => emulator.clock.advance(ms) });
  const urgent = await urgentVulnerabilities(emulator.url, token, PROJECT, image);
  t.same(verdict(image, urgent), { pass: false, reason: '1 vulnerabilities need immediate repair: CVE-2024-6387 in openssl 3.0.2-0ubuntu1.10' });
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
