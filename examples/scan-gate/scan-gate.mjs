// A user's own code: a CI gate that scans an image and fails when it has high-severity
// findings. It talks to HSS over plain HTTP with an IAM token, so it works against the real
// cloud and against hss-emulator alike.

/** Logs in with a password and returns an X-Auth-Token for the project. */
export async function login(endpoint, { user, password, domain, projectId }) {
  const res = await fetch(`${endpoint}/v3/auth/tokens?nocatalog=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: user, password, domain: { name: domain } } } },
        scope: { project: { id: projectId } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`login failed: ${res.status}`);
  return res.headers.get('x-subject-token');
}

/** Starts a scan of one image and returns its state once the scan has ended. */
export async function scanAndWait(endpoint, token, projectId, imageId, { poll = (ms) => new Promise((r) => setTimeout(r, ms)), intervalMs = 1000, attempts = 60 } = {}) {
  const headers = { 'x-auth-token': token, 'content-type': 'application/json' };
  const started = await fetch(`${endpoint}/v5/${projectId}/image/local/batch-scan?enterprise_project_id=all_granted_eps`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ image_info_list: [{ image_id: imageId }] }),
  });
  if (!started.ok) throw new Error(`batch-scan failed: ${started.status} ${await started.text()}`);
  for (let i = 0; i < attempts; i++) {
    const list = await (await fetch(`${endpoint}/v5/${projectId}/image/local-repositories?enterprise_project_id=all_granted_eps&limit=200`, { headers })).json();
    const image = list.data_list.find((candidate) => candidate.image_id === imageId);
    if (image && image.scan_status !== 'waiting' && image.scan_status !== 'scanning') return image;
    await poll(intervalMs);
  }
  throw new Error(`scan of ${imageId} did not end`);
}

/** The gate: pass only a successful scan without High severity or malicious files. */
export function verdict(image) {
  if (image.scan_status !== 'success') return { pass: false, reason: `scan ${image.scan_status} (${image.scan_failed_desc})` };
  if (image.severity_level === 'High' || image.malicious_file_num > 0) return { pass: false, reason: `${image.vul_num} vulnerabilities, severity ${image.severity_level}` };
  return { pass: true, reason: `severity ${image.severity_level}` };
}
