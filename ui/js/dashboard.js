/**
 * The dashboard: one project's images, counters, scan lanes, controls, cloud calls and events,
 * live from the event stream. Every call is a public control-plane route (/_emulator/*). Live
 * changes are applied as deltas (a row's status, the counters); what needs a reload (a page,
 * the lanes, the journal) is reloaded at most once a second however many events arrive.
 */
import { $, el, formatTime } from './dom.js';
import { api, q, throttled } from './api.js';
import { drawLanes } from './lanes.js';

const STATUSES = ['unscan', 'waiting', 'scanning', 'success', 'failed'];
const PAGE_SIZE = 50;
const EVENTS_SHOWN = 100;

const state = {
  project: '',
  filter: { name: '', scan_status: '' },
  sort: 'latest_update_time',
  order: 'desc',
  offset: 0,
  page: { total: 0, images: [], counts: {} },
  selected: new Set(),
  clock: { mode: 'manual', now: 0, readAt: 0 },
  lanes: undefined,
  source: undefined,
  selectedCall: undefined,
};

// ---- the clock: read from the server, ticking here in system mode ----

function clockNow() {
  return state.clock.mode === 'system' ? state.clock.now + (performance.now() - state.clock.readAt) : state.clock.now;
}

function setClock(reading) {
  state.clock = { mode: reading.mode, now: reading.now, readAt: performance.now() };
  $('#clock-mode').textContent = reading.mode;
  $('#clock-toggle').textContent = reading.mode === 'system' ? 'Switch to manual' : 'Switch to system time';
  for (const button of document.querySelectorAll('[data-advance]')) button.disabled = reading.mode === 'system';
  showClock();
}

function showClock() {
  const now = clockNow();
  const time = $('#clock-now');
  time.textContent = `${formatTime(now)} UTC`;
  time.dateTime = new Date(now).toISOString();
  redrawLanes();
}

const loadClock = async () => setClock(await api('GET', '/_emulator/clock'));

// ---- projects ----

async function loadProjects() {
  const { projects } = await api('GET', '/_emulator/projects');
  const select = $('#project');
  const wanted = new URLSearchParams(location.search).get('project') ?? state.project;
  select.replaceChildren(...projects.map((p) => el('option', { value: p.project_id }, `${p.project_id} (${p.images} images)`)));
  const chosen = projects.find((p) => p.project_id === wanted) ?? projects.find((p) => p.images > 0) ?? projects[0];
  if (chosen) {
    select.value = chosen.project_id;
    $('#project-region').textContent = chosen.region;
  }
  return chosen?.project_id ?? '';
}

async function chooseProject(projectId) {
  state.project = projectId;
  state.offset = 0;
  state.selected.clear();
  const url = new URL(location.href);
  url.searchParams.set('project', projectId);
  history.replaceState(null, '', url);
  listen();
  await Promise.all([loadPage(), loadLanes(), loadJournal(), loadFaults()]);
}

// ---- the inventory page and the counters ----

async function loadPage() {
  if (!state.project) return;
  const page = await api(
    'GET',
    `/_emulator/projects/${encodeURIComponent(state.project)}/images${q({ ...state.filter, sort: state.sort, order: state.order, offset: state.offset, limit: PAGE_SIZE })}`,
  );
  if (page.project_id !== state.project) return;
  if (page.images.length === 0 && state.offset > 0 && page.total > 0) {
    state.offset = Math.max(0, Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE);
    return loadPage();
  }
  state.page = page;
  renderCounters();
  renderRows();
}

function renderCounters() {
  const counts = state.page.counts;
  $('#counters').replaceChildren(
    ...STATUSES.map((status) =>
      el(
        'button',
        {
          type: 'button',
          class: `counter ${status}`,
          'data-status': status,
          'aria-pressed': String(state.filter.scan_status === status),
          onclick: () => {
            state.filter.scan_status = state.filter.scan_status === status ? '' : status;
            $('#filter-status').value = state.filter.scan_status;
            state.offset = 0;
            void loadPage().catch(showError);
          },
        },
        el('span', {}, status),
        el('b', {}, (counts[status] ?? 0).toLocaleString('en')),
      ),
    ),
  );
}

function findings(image) {
  if (image.scan_status !== 'success' && !(image.scan_status === 'scanning' && image.latest_scan_time)) return '—';
  return image.vul_num ? `${image.vul_num} vulns · ${image.severity_level}` : 'none';
}

function renderRows() {
  const rows = state.page.images.map((image) =>
    el(
      'tr',
      { 'data-image-id': image.image_id },
      el('td', {}, el('input', { type: 'checkbox', 'aria-label': `Select ${image.image_name}:${image.image_version}`, checked: state.selected.has(image.image_id), onchange: (e) => select(image.image_id, e.target.checked) })),
      el('td', { class: 'name' }, el('button', { type: 'button', 'aria-label': `Findings of ${image.image_name}:${image.image_version}`, onclick: () => void showFindings(image.image_id).catch(showError) }, image.image_name)),
      el('td', { class: 'opt' }, image.image_version),
      el('td', { class: `status ${image.scan_status}`, 'data-field': 'status' }, image.scan_status),
      el('td', { class: 'opt' }, formatTime(image.latest_scan_time)),
      el('td', {}, findings(image)),
    ),
  );
  $('#images tbody').replaceChildren(...rows);
  const { total, offset, images } = state.page;
  $('#page-info').textContent = total === 0 ? 'No images match' : `${(offset + 1).toLocaleString('en')}–${(offset + images.length).toLocaleString('en')} of ${total.toLocaleString('en')}`;
  $('#page-prev').disabled = offset === 0;
  $('#page-next').disabled = offset + images.length >= total;
  for (const th of document.querySelectorAll('#images th[data-sort]')) {
    th.setAttribute('aria-sort', th.dataset.sort === state.sort ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none');
  }
  $('#select-page').checked = images.length > 0 && images.every((i) => state.selected.has(i.image_id));
  showSelection();
  const scriptImage = $('#script-image');
  const keep = scriptImage.value;
  scriptImage.replaceChildren(...images.map((i) => el('option', { value: i.image_id }, `${i.image_name}:${i.image_version}`)));
  const preferred = [...state.selected].find((id) => images.some((i) => i.image_id === id)) ?? keep;
  if (images.some((i) => i.image_id === preferred)) scriptImage.value = preferred;
}

function select(imageId, on) {
  if (on) state.selected.add(imageId);
  else state.selected.delete(imageId);
  showSelection();
  if (on) $('#script-image').value = imageId;
}

function showSelection() {
  const button = $('#scan-selected');
  button.disabled = state.selected.size === 0;
  button.textContent = state.selected.size ? `Scan selected (${state.selected.size})` : 'Scan selected';
}

// ---- one image's findings ----

const NECESSITY_TEXT = { immediate_repair: 'immediately', delay_repair: 'soon', not_needed_repair: 'when convenient' };

async function showFindings(imageId) {
  const { images } = await api('GET', `/_emulator/images${q({ project_id: state.project, image_id: imageId })}`);
  const image = images[0];
  if (!image) return;
  const section = $('#findings');
  section.hidden = false;
  section.dataset.imageId = imageId;
  $('#findings-title').textContent = `Vulnerabilities of ${image.image_name}:${image.image_version}`;
  const found = image.vulnerabilities;
  $('#findings-summary').textContent =
    image.scan_status === 'success' || found.length
      ? `${found.length} found by the last successful scan (${formatTime(image.latest_scan_time)}), severity ${image.severity_level || '—'}`
      : `None: the image has no successful scan (${image.scan_status}).`;
  $('#vulns tbody').replaceChildren(
    ...found.map((v) =>
      el(
        'tr',
        {},
        el('td', {}, el('a', { href: v.url, rel: 'noreferrer noopener', target: '_blank' }, v.vul_id)),
        el('td', { class: `repair ${v.repair_necessity}` }, NECESSITY_TEXT[v.repair_necessity] ?? v.repair_necessity),
        el('td', {}, v.app_name),
        el('td', { class: 'opt' }, v.version),
        el('td', {}, v.solution),
      ),
    ),
  );
  section.scrollIntoView({ block: 'nearest' });
}

// ---- the lanes ----

async function loadLanes() {
  if (!state.project) return;
  state.lanes = await api('GET', `/_emulator/projects/${encodeURIComponent(state.project)}/scans?limit=200`);
  redrawLanes();
}

function redrawLanes() {
  if (!state.lanes || state.lanes.project_id !== state.project) return;
  $('#lane-summary').textContent = drawLanes($('#lane-chart'), state.lanes, clockNow());
}

// ---- faults ----

async function loadOperations() {
  const doc = await api('GET', '/_emulator/openapi.json');
  const operations = doc.paths['/_emulator/faults'].post.requestBody.content['application/json'].schema.properties.operation.enum;
  $('#fault-operation').replaceChildren(...operations.map((op) => el('option', {}, op)));
  $('#fault-operation').value = operations.includes('BatchScanLocalImage') ? 'BatchScanLocalImage' : operations[0];
}

async function loadFaults() {
  if (!state.project) return;
  const { faults } = await api('GET', `/_emulator/faults${q({ project_id: state.project })}`);
  $('#fault-list').replaceChildren(
    ...(faults.length
      ? faults.map((fault) =>
          el(
            'li',
            { 'data-fault-id': fault.id },
            el('span', {}, `${fault.operation} → ${fault.status ?? 'latency'}${fault.error_code ? ` ${fault.error_code}` : ''}${fault.times ? `, ${fault.times} times` : ''} · ${fault.hits} hits`),
            el('button', { type: 'button', 'aria-label': `Remove fault ${fault.id} on ${fault.operation}`, onclick: () => act(() => api('DELETE', `/_emulator/faults/${fault.id}`), 'Fault removed', [loadFaults]) }, 'Remove'),
          ),
        )
      : [el('li', { class: 'muted' }, 'No fault rules for this project.')]),
  );
}

// ---- the journal ----

async function loadJournal() {
  if (!state.project) return;
  const { requests } = await api('GET', `/_emulator/requests${q({ project_id: state.project, limit: 30 })}`);
  $('#calls tbody').replaceChildren(
    ...requests.map((call) => {
      const row = el(
        'tr',
        { tabindex: '0', 'data-call-id': call.id, 'aria-selected': String(state.selectedCall === call.id), onclick: () => showCall(call), onkeydown: (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), showCall(call)) },
        el('td', {}, formatTime(call.at).slice(11)),
        el('td', {}, call.operation),
        el('td', { class: call.status >= 400 ? 'status failed' : 'status success' }, call.status),
        el('td', {}, call.error_code ?? ''),
        el('td', {}, call.duration_ms.toFixed(1)),
        el('td', {}, call.matched ?? ''),
      );
      return row;
    }),
  );
  if (requests.length === 0) $('#calls tbody').append(el('tr', {}, el('td', { colspan: '6', class: 'muted' }, 'No cloud calls to this project yet.')));
}

function showCall(call) {
  state.selectedCall = call.id;
  for (const row of document.querySelectorAll('#calls tbody tr')) row.setAttribute('aria-selected', String(Number(row.dataset.callId) === call.id));
  $('#call-detail').hidden = false;
  $('#call-title').textContent = `${call.method} ${call.path} → ${call.status}${call.error_code ? ` ${call.error_code}` : ''}`;
  $('#call-request').textContent = JSON.stringify({ request_id: call.request_id, query: call.query, body: call.body }, null, 2);
  const response = call.matched_images ? { body: call.response, matched_images: call.matched_images } : call.response;
  $('#call-response').textContent = JSON.stringify(response, null, 2);
}

// ---- live: the event stream ----

const reloadPage = throttled(loadPage);
const reloadLanes = throttled(loadLanes);
const reloadJournal = throttled(loadJournal);
// a change may come from a clock moved elsewhere (a test, another tab): read it again
const reloadClock = throttled(loadClock);

function listen() {
  state.source?.close();
  const source = new EventSource(`/_emulator/events${q({ project_id: state.project })}`);
  state.source = source;
  source.addEventListener('scan', (message) => applyChange(JSON.parse(message.data)));
  source.addEventListener('reset', () => {
    state.selected.clear();
    void loadProjects().then(() => Promise.all([loadPage(), loadLanes(), loadJournal(), loadFaults()])).catch(showError);
  });
}

function applyChange(change) {
  if (change.project_id !== state.project) return;
  const count = change.count ?? 1;
  const counts = state.page.counts;
  counts[change.from] = Math.max(0, (counts[change.from] ?? 0) - count);
  counts[change.to] = (counts[change.to] ?? 0) + count;
  for (const status of STATUSES) {
    const b = document.querySelector(`#counters [data-status="${status}"] b`);
    if (b) b.textContent = (counts[status] ?? 0).toLocaleString('en');
  }
  if (change.image_id !== undefined) {
    const row = [...document.querySelectorAll('#images tbody tr')].find((r) => r.dataset.imageId === change.image_id);
    const cell = row?.querySelector('[data-field="status"]');
    if (cell) {
      cell.textContent = change.to;
      cell.className = `status ${change.to}`;
      row.classList.remove('changed');
      void row.offsetWidth;
      row.classList.add('changed');
    }
  }
  logEvent(change);
  reloadClock();
  reloadPage();
  reloadLanes();
  reloadJournal();
}

function logEvent(change) {
  const list = $('#event-list');
  const who = change.count !== undefined ? `${change.count.toLocaleString('en')} images` : change.image_name ?? change.image_id;
  list.prepend(el('li', {}, el('time', { datetime: new Date(change.at).toISOString() }, formatTime(change.at).slice(11)), ` ${who}: ${change.from} → ${change.to}`));
  while (list.children.length > EVENTS_SHOWN) list.lastElementChild.remove();
}

// ---- controls ----

function toast(text, error = false) {
  const box = $('#toast');
  box.textContent = text;
  box.className = error ? 'error' : '';
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.textContent = ''), error ? 6000 : 2500);
}

function showError(error) {
  toast(error instanceof Error ? error.message : String(error), true);
}
window.addEventListener('dashboard-error', (e) => showError(e.detail));

async function act(call, done, reload = []) {
  try {
    const answer = await call();
    if (done) toast(typeof done === 'function' ? done(answer) : done);
    await Promise.all(reload.map((load) => load()));
  } catch (error) {
    showError(error);
  }
}

function batchScan(body) {
  return act(
    () => api('POST', `/_emulator/projects/${encodeURIComponent(state.project)}/batch-scan`, body),
    (answer) => `${answer.started.toLocaleString('en')} scans queued`,
    [loadPage, loadLanes, loadJournal],
  );
}

function wire() {
  $('#project').addEventListener('change', (e) => void chooseProject(e.target.value).catch(showError));
  $('#filters').addEventListener('submit', (e) => {
    e.preventDefault();
    state.filter = { name: $('#filter-name').value.trim(), scan_status: $('#filter-status').value };
    state.offset = 0;
    void loadPage().catch(showError);
  });
  $('#filter-status').addEventListener('change', () => $('#filters').requestSubmit());
  for (const th of document.querySelectorAll('#images th[data-sort]')) {
    th.querySelector('button').addEventListener('click', () => {
      const sort = th.dataset.sort;
      state.order = state.sort === sort ? (state.order === 'asc' ? 'desc' : 'asc') : ['image_name', 'image_version', 'scan_status'].includes(sort) ? 'asc' : 'desc';
      state.sort = sort;
      state.offset = 0;
      void loadPage().catch(showError);
    });
  }
  $('#page-prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    void loadPage().catch(showError);
  });
  $('#page-next').addEventListener('click', () => {
    state.offset += PAGE_SIZE;
    void loadPage().catch(showError);
  });
  $('#select-page').addEventListener('change', (e) => {
    for (const image of state.page.images) select(image.image_id, e.target.checked);
    renderRows();
  });
  $('#scan-selected').addEventListener('click', () => {
    const ids = [...state.selected];
    state.selected.clear();
    void batchScan({ image_info_list: ids.map((image_id) => ({ image_id })), operate_all: false });
  });
  $('#scan-matching').addEventListener('click', () => {
    const { name, scan_status } = state.filter;
    // the batch-scan's own filters: a name substring, and a status (its value for waiting images is waiting_for_scan)
    const status = scan_status === 'waiting' ? 'waiting_for_scan' : scan_status;
    void batchScan({ operate_all: true, ...(name ? { image_name: name } : {}), ...(status ? { scan_status: status } : {}) });
  });
  for (const button of document.querySelectorAll('[data-advance]')) {
    button.addEventListener('click', () => act(async () => setClock(await api('POST', '/_emulator/clock', { advance_ms: Number(button.dataset.advance) }))));
  }
  $('#clock-toggle').addEventListener('click', () =>
    act(async () => setClock(await api('POST', '/_emulator/clock', { mode: state.clock.mode === 'system' ? 'manual' : 'system' }))),
  );
  $('#script-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const imageId = $('#script-image').value;
    const step = { outcome: $('#script-outcome').value, duration_ms: Number($('#script-duration').value || 0) };
    void act(
      () => api('POST', `/_emulator/images/${encodeURIComponent(imageId)}/script${q({ project_id: state.project })}`, [step]),
      `The next scan of ${$('#script-image').selectedOptions[0]?.textContent ?? imageId} will end ${step.outcome}`,
    );
  });
  $('#fault-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const code = $('#fault-code').value.trim();
    const times = $('#fault-times').value;
    const body = { operation: $('#fault-operation').value, project_id: state.project, status: Number($('#fault-status').value), ...(code ? { error_code: code } : {}), ...(times ? { times: Number(times) } : {}) };
    void act(() => api('POST', '/_emulator/faults', body), 'Fault added', [loadFaults]);
  });
  $('#journal-refresh').addEventListener('click', () => void Promise.all([loadJournal(), loadFaults()]).catch(showError));
  $('#reset-project').addEventListener('click', () => {
    if (!confirm(`Reset project ${state.project} to its fixtures?`)) return;
    void act(() => api('POST', '/_emulator/reset', { project_id: state.project }), 'Project reset');
  });
  window.addEventListener('resize', redrawLanes);
  // the clock ticks here in system mode; the server is asked again now and then
  setInterval(() => state.clock.mode === 'system' && showClock(), 250);
  setInterval(() => document.visibilityState === 'visible' && void loadClock().catch(() => {}), 10_000);
  // calls the user's own code makes change no image state: the journal and faults are polled
  setInterval(() => document.visibilityState === 'visible' && (reloadJournal(), void loadFaults().catch(() => {})), 5_000);
}

async function start() {
  wire();
  await Promise.all([loadClock(), loadOperations()]);
  const project = await loadProjects();
  await chooseProject(project);
  document.body.dataset.ready = 'true';
}

start().catch(showError);
