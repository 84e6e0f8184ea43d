/** The dashboard at /_emulator/ui: the inventory live, the clock, and buttons to move it. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>hss-emulator</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #1d2330; }
  h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
  .bar { display: flex; gap: .75rem; align-items: center; margin-bottom: 1rem; flex-wrap: wrap; }
  button { padding: .3rem .7rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #dde; }
  th { background: #f3f4f8; }
  .s-success { color: #1a7f37; } .s-failed { color: #cf222e; }
  .s-scanning, .s-waiting { color: #9a6700; font-weight: 600; }
  #log { font: 12px monospace; max-height: 12rem; overflow: auto; background: #f6f8fa; padding: .5rem; }
</style>
</head>
<body>
<h1>hss-emulator</h1>
<div class="bar">
  <span>Clock: <b id="mode"></b> <span id="now"></span></span>
  <button id="toggle"></button>
  <button data-advance="1000">+1 s</button>
  <button data-advance="10000">+10 s</button>
  <button data-advance="60000">+1 min</button>
  <button id="reset">Reset world</button>
</div>
<table>
  <thead><tr><th>Project</th><th>Image</th><th>Version</th><th>Status</th><th>Last scan</th><th>Vulns</th><th>Severity</th></tr></thead>
  <tbody id="images"></tbody>
</table>
<h2>Events</h2>
<div id="log"></div>
<script>
const base = location.pathname.replace(/\\/ui$/, '');
const el = (id) => document.getElementById(id);
// Every value goes in as text, never as HTML: the state comes from imports and clients.
const cell = (value, className) => {
  const td = document.createElement('td');
  td.textContent = value === undefined || value === null ? '' : String(value);
  if (className) td.className = className;
  return td;
};
async function refresh() {
  const [clock, { images }] = await Promise.all([
    fetch(base + '/clock').then((r) => r.json()),
    fetch(base + '/images').then((r) => r.json()),
  ]);
  el('mode').textContent = clock.mode;
  el('now').textContent = clock.now_iso;
  el('toggle').textContent = clock.mode === 'manual' ? 'Run in system time' : 'Freeze (manual time)';
  el('toggle').dataset.mode = clock.mode === 'manual' ? 'system' : 'manual';
  // only a manual clock can be moved by hand
  document.querySelectorAll('[data-advance]').forEach((b) => (b.disabled = clock.mode !== 'manual'));
  const rows = images.map((i) => {
    const tr = document.createElement('tr');
    const scanned = Number(i.latest_scan_time) > 0 ? new Date(Number(i.latest_scan_time)).toISOString() : '';
    tr.append(cell(String(i.project_id).slice(0, 8)), cell(i.image_name), cell(i.image_version),
      cell(i.scan_status, 's-' + String(i.scan_status).replace(/[^a-z_]/g, '')), cell(scanned), cell(i.vul_num), cell(i.severity_level));
    return tr;
  });
  el('images').replaceChildren(...rows);
}
document.querySelectorAll('[data-advance]').forEach((b) => b.addEventListener('click', async () => {
  await fetch(base + '/clock', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance_ms: Number(b.dataset.advance) }) });
  refresh();
}));
el('toggle').addEventListener('click', async () => {
  await fetch(base + '/clock', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode: el('toggle').dataset.mode }) });
  refresh();
});
el('reset').addEventListener('click', async () => {
  await fetch(base + '/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  refresh();
});
// Follow the event stream once the first picture is on screen.
refresh().then(() => {
  const events = new EventSource(base + '/events');
  events.addEventListener('scan', (e) => {
    const change = JSON.parse(e.data);
    const line = document.createElement('div');
    line.textContent = new Date(change.at).toISOString() + ' ' + (change.count ? change.count + ' images' : change.image_id) + ' ' + change.from + ' → ' + change.to;
    el('log').prepend(line);
    refresh();
  });
  // A reset or an import (from this page or elsewhere) replaces what is shown.
  events.addEventListener('reset', () => refresh());
});
</script>
</body>
</html>
`;
