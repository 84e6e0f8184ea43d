// A user's own code: a CI gate that scans an image and fails when its scan finds
// vulnerabilities that need immediate repair (or malicious files). It talks to HSS over plain HTTP with an IAM token, so it works against the real
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

/**
 * The vulnerabilities of a scanned image that need immediate repair (ListImageVulnerabilities,
 * every page of them).
 */
export async function urgentVulnerabilities(endpoint, token, projectId, image) {
  const found = [];
  for (let offset = 0; ; offset += 200) {
    const query = new URLSearchParams({
      image_type: 'local_image',
      namespace: '',
      image_name: image.image_name,
      tag_name: image.image_version,
      repair_necessity: 'immediate_repair',
      enterprise_project_id: 'all_granted_eps',
      offset: String(offset),
      limit: '200',
    });
    const res = await fetch(`${endpoint}/v5/${projectId}/image/${encodeURIComponent(image.image_id)}/vulnerabilities?${query}`, { headers: { 'x-auth-token': token } });
    if (!res.ok) throw new Error(`listing vulnerabilities failed: ${res.status} ${await res.text()}`);
    const page = await res.json();
    found.push(...page.data_list);
    if (page.data_list.length === 0 || found.length >= page.total_num) return found;
  }
}

/**
 * The gate: pass only a successful scan without malicious files and without vulnerabilities
 * that need immediate repair (`urgent`, from urgentVulnerabilities).
 */
export function verdict(image, urgent = []) {
  if (image.scan_status !== 'success') return { pass: false, reason: `scan ${image.scan_status} (${image.scan_failed_desc})` };
  if (urgent.length > 0) {
    const named = urgent.slice(0, 3).map((v) => `${v.vul_id} in ${v.app_name} ${v.version}`).join(', ');
    return { pass: false, reason: `${urgent.length} vulnerabilities need immediate repair: ${named}${urgent.length > 3 ? ', …' : ''}` };
  }
  if (image.malicious_file_num > 0) return { pass: false, reason: `${image.malicious_file_num} malicious files` };
  return { pass: true, reason: `${image.vul_num} vulnerabilities, none urgent (severity ${image.severity_level})` };
}
