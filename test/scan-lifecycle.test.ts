/** The pure scan model: phases, transitions, lanes, durations, outcomes, enterprise scope. */
import t from 'tap';
import {
  assignLanes,
  nextChangeAt,
  phaseAt,
  scanDuration,
  statusAt,
  transitionsSince,
} from '../src/domain/scan-lifecycle.js';
import { concludeScan, resultFromDigest, severityFor } from '../src/domain/scan-outcome.js';
import { resolveEnterpriseScope } from '../src/domain/enterprise-scope.js';

const plan = { startAt: 1_000, endAt: 3_000, outcome: 'success' as const };

t.test('a scan waits for its lane, scans, then shows its outcome from endAt on', async (t) => {
  t.equal(statusAt(plan, 999), 'waiting');
  t.equal(statusAt(plan, 1_000), 'scanning');
  t.equal(statusAt(plan, 2_999), 'scanning');
  t.equal(statusAt(plan, 3_000), 'success');
  t.equal(statusAt({ ...plan, outcome: 'download_failed' }, 5_000), 'failed', 'a download failure shows as failed');
  t.equal(statusAt({ ...plan, outcome: 'image_oversized' }, 5_000), 'failed', 'so does an oversized image');
  t.equal(phaseAt(plan, 3_000), 'done');
  t.equal(nextChangeAt(plan, 0), 1_000);
  t.equal(nextChangeAt(plan, 1_500), 3_000);
  t.equal(nextChangeAt(plan, 3_000), null);
});

t.test('transitions since the recorded phase carry the instant each happened', async (t) => {
  t.same(transitionsSince(plan, 'waiting', 500), []);
  t.same(transitionsSince(plan, 'waiting', 1_200), [{ from: 'waiting', to: 'scanning', at: 1_000 }]);
  t.same(transitionsSince({ ...plan, outcome: 'failed' }, 'waiting', 10_000), [
    { from: 'waiting', to: 'scanning', at: 1_000 },
    { from: 'scanning', to: 'failed', at: 3_000 },
  ]);
  t.same(transitionsSince(plan, 'scanning', 3_000), [{ from: 'scanning', to: 'success', at: 3_000 }]);
  t.same(transitionsSince(plan, 'done', 9_000), []);
  const instant = { startAt: 100, endAt: 100, outcome: 'success' as const };
  t.same(transitionsSince(instant, 'waiting', 100), [
    { from: 'waiting', to: 'scanning', at: 100 },
    { from: 'scanning', to: 'success', at: 100 },
  ]);
});

t.test('duration is base plus size over throughput; zero settings make scans instant', async (t) => {
  t.equal(scanDuration(200_000_000, { baseMs: 2_000, throughputMbS: 200 }), 3_000);
  t.equal(scanDuration(0, { baseMs: 2_000, throughputMbS: 200 }), 2_000);
  t.equal(scanDuration(5_000_000_000, { baseMs: 0, throughputMbS: 0 }), 0);
  t.equal(scanDuration(150_000_000, { baseMs: 500, throughputMbS: 100 }), 2_000);
});

t.test('lanes: scans take the earliest free lane and queue when all are busy', async (t) => {
  t.same(assignLanes([0, 0], 100, [1_000, 500, 200, 50]), [
    { lane: 0, startAt: 100, endAt: 1_100 },
    { lane: 1, startAt: 100, endAt: 600 },
    { lane: 1, startAt: 600, endAt: 800 },
    { lane: 1, startAt: 800, endAt: 850 },
  ]);
  t.same(assignLanes([5_000], 100, [10]), [{ lane: 0, startAt: 5_000, endAt: 5_010 }], 'a busy lane delays the start');
  t.same(assignLanes([0, 50], 100, [10, 10]), [
    { lane: 0, startAt: 100, endAt: 110 },
    { lane: 1, startAt: 100, endAt: 110 },
  ], 'lanes that freed up in the past start now');
});

t.test('outcomes: oversize wins, then the rule, else success with deterministic findings', async (t) => {
  const subject = { image_size: 10, image_digest: 'sha256:' + 'a'.repeat(64), image_id: 'x', app_count: 0 };
  t.same(concludeScan({ ...subject, image_size: 11 }, { outcome: 'success' }, 10), {
    outcome: 'image_oversized',
    scan_failed_desc: 'huge_image',
    result: { vul_num: 0, severity_level: '', component_num: 0, unsafe_setting_num: 0, malicious_file_num: 0 },
  });
  t.equal(concludeScan(subject, { outcome: 'failed' }, 10).scan_failed_desc, 'unknown_error');
  t.equal(concludeScan(subject, { outcome: 'failed', scan_failed_desc: 'docker_offline' }, 10).scan_failed_desc, 'docker_offline');
  t.same(concludeScan(subject, { outcome: 'download_failed' }, 10).scan_failed_desc, 'image_not_exist_or_docker_api_fault');
  t.same(concludeScan(subject, { outcome: 'image_oversized' }, 10).outcome, 'image_oversized');
  const first = concludeScan(subject, undefined, 10);
  t.equal(first.outcome, 'success');
  t.same(first, concludeScan(subject, undefined, 10), 'the same image always finds the same');
  const derived = resultFromDigest(subject.image_digest);
  t.same(
    first.result,
    { ...derived, vul_num: 0, severity_level: severityFor({ vul_num: 0, malicious_file_num: derived.malicious_file_num }), component_num: 0 },
    'no software listed: no components, and no vulnerabilities in software',
  );
  const withApps = concludeScan({ ...subject, app_count: 2 }, undefined, 10).result;
  t.same(withApps, { ...derived, component_num: 2 }, 'with software: the findings the digest gives');
  const given = concludeScan({ ...subject, app_count: 4 }, { scan_result: { vul_num: 12 } }, 10).result;
  t.equal(given.vul_num, 12);
  t.equal(given.component_num, 4, 'the listed software counts as the components found');
  t.equal(given.severity_level, 'Medium', 'severity follows the findings unless given');
});

t.test('severity follows vulnerabilities and malicious files', async (t) => {
  t.equal(severityFor({ vul_num: 0, malicious_file_num: 0 }), 'Security');
  t.equal(severityFor({ vul_num: 3, malicious_file_num: 0 }), 'Low');
  t.equal(severityFor({ vul_num: 10, malicious_file_num: 0 }), 'Medium');
  t.equal(severityFor({ vul_num: 30, malicious_file_num: 0 }), 'High');
  t.equal(severityFor({ vul_num: 0, malicious_file_num: 1 }), 'High');
});

t.test('enterprise scope: omitted is 0, all_granted_eps is every granted one, others must be granted', async (t) => {
  const existing = ['0', 'dev'];
  t.same(resolveEnterpriseScope(undefined, 'all', existing), { ok: true, enterpriseProjects: ['0'] });
  t.same(resolveEnterpriseScope('all_granted_eps', 'all', existing), { ok: true, enterpriseProjects: ['0', 'dev'] });
  t.same(resolveEnterpriseScope('all_granted_eps', ['dev'], existing), { ok: true, enterpriseProjects: ['dev'] });
  t.same(resolveEnterpriseScope('dev', ['dev'], existing), { ok: true, enterpriseProjects: ['dev'] });
  t.same(resolveEnterpriseScope(undefined, ['dev'], existing), { ok: false, requested: '0' });
  t.same(resolveEnterpriseScope('nope', 'all', existing), { ok: false, requested: 'nope' });
});
