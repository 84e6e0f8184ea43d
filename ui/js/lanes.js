/**
 * The scanner as a picture: one row per lane, each scan a bar from its start to its end over
 * emulated time, coloured by where it is at the clock's "now" (waiting, scanning, or its
 * outcome), with a line at now. Drawn again as the clock moves, so bars move with it.
 */
import { formatDuration, svg } from './dom.js';

const ROW = 26;
const AXIS = 18;
const LABEL = 56;

/** Where a scan is at `now`. */
export function phaseAt(scan, now) {
  if (now < scan.start_at) return 'waiting';
  if (now < scan.end_at) return 'scanning';
  return scan.outcome === 'success' ? 'success' : 'failed';
}

const HOUR = 3_600_000;

/** The window shown: back to the latest finished scans, ahead to the end of what is in flight. */
function windowOf(view, now) {
  const ahead = Math.min(Math.max(0, ...view.in_flight.map((s) => s.end_at - now)), 6 * HOUR);
  const behind = Math.min(Math.max(5_000, ...view.done.slice(0, 20).map((s) => now - s.start_at)), HOUR);
  return { from: now - behind * 1.05, to: now + Math.max(ahead * 1.1, behind / 3, 15_000) };
}

export function drawLanes(container, view, now) {
  const width = Math.max(container.clientWidth, 280);
  const height = AXIS + view.lanes * ROW + 4;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, height, role: 'img', 'aria-labelledby': 'lanes-title' });
  const { from, to } = windowOf(view, now);
  const x = (t) => LABEL + ((t - from) / (to - from)) * (width - LABEL - 4);
  for (let lane = 0; lane < view.lanes; lane++) {
    const y = AXIS + lane * ROW;
    root.append(svg('rect', { class: 'lane-bg', x: LABEL, y: y + 2, width: width - LABEL - 4, height: ROW - 4 }));
    root.append(svg('text', { class: 'lane-label', x: 4, y: y + ROW / 2 + 4 }, `lane ${lane + 1}`));
  }
  for (const tick of [from, (from + to) / 2, to]) {
    root.append(svg('text', { class: 'tick', x: Math.min(Math.max(x(tick) - 20, LABEL), width - 60), y: 12 }, tick === from ? `−${formatDuration(now - from)}` : `+${formatDuration(tick - now)}`));
  }
  const scans = [...view.done, ...view.in_flight].filter((s) => s.end_at >= from && s.start_at <= to);
  for (const scan of scans) {
    const phase = phaseAt(scan, now);
    const left = Math.max(x(scan.start_at), LABEL);
    const right = Math.min(x(Math.max(scan.end_at, scan.start_at + 1)), width - 4);
    const y = AXIS + scan.lane * ROW + 4;
    const bar = svg('rect', { class: `bar ${phase}`, x: left, y, width: Math.max(right - left, 2), height: ROW - 8, rx: 3, 'data-image-id': scan.image_id, 'data-phase': phase });
    bar.append(svg('title', {}, `${scan.image_name} — ${phase}`));
    root.append(bar);
    if (right - left > 60) {
      const name = scan.image_name.split('/').pop();
      const label = svg('text', { class: `bar-label${phase === 'waiting' ? ' on-light' : ''}`, x: left + 4, y: y + ROW / 2 }, name.length * 6.5 > right - left - 8 ? `${name.slice(0, Math.max(1, Math.floor((right - left - 8) / 6.5) - 1))}…` : name);
      root.append(label);
    }
  }
  root.append(svg('line', { class: 'now-line', x1: x(now), x2: x(now), y1: AXIS - 2, y2: height }));
  container.replaceChildren(root);
  const scanning = scans.filter((s) => phaseAt(s, now) === 'scanning').length;
  const waiting = view.in_flight.filter((s) => phaseAt(s, now) === 'waiting').length;
  return `${view.lanes} lanes: ${scanning} scanning, ${waiting} waiting`;
}
