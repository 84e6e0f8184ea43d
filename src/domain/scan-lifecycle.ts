/**
 * The life of one scan as a pure function of its stored plan and "now".
 *
 * The real service queues a scan on the host agent and reports progress only through
 * `scan_status` in the local-image list: waiting → scanning → a terminal state. The
 * emulator fixes the whole plan (when it starts, when it ends, how it ends) at the moment
 * the scan is requested, so what a client sees at any instant follows from the plan alone:
 * no timers, nothing lost on restart, the same answers at the same clock readings.
 */

import { IMAGE_SCAN_STATUSES, SCAN_OUTCOMES } from '../../schemas/vocabulary.js';

export { IMAGE_SCAN_STATUSES, SCAN_OUTCOMES };
export type ScanOutcome = (typeof SCAN_OUTCOMES)[number];

export type ImageScanStatus = (typeof IMAGE_SCAN_STATUSES)[number];

/** The status an image shows once a scan with this outcome ends. */
export function statusAfter(outcome: ScanOutcome): ImageScanStatus {
  return outcome === 'success' ? 'success' : 'failed';
}

/** Where a scan stands: queued for a lane, on a lane, or finished. */
export type ScanPhase = 'waiting' | 'scanning' | 'done';

export interface ScanTiming {
  /** when the scan takes a lane */
  startAt: number;
  /** when it ends; also the image's `latest_scan_time` */
  endAt: number;
}

export interface ScanTransition {
  from: ImageScanStatus;
  to: ImageScanStatus;
  at: number;
}

/** A stored scan's plan (or a group of scans' latest), in the shape these functions take. */
export function planOf(row: { start_at: number; end_at: number; outcome: ScanOutcome }): ScanTiming & { outcome: ScanOutcome } {
  return { startAt: row.start_at, endAt: row.end_at, outcome: row.outcome };
}

export function phaseAt(plan: ScanTiming, now: number): ScanPhase {
  if (now < plan.startAt) return 'waiting';
  if (now < plan.endAt) return 'scanning';
  return 'done';
}

export function statusAt(plan: ScanTiming & { outcome: ScanOutcome }, now: number): ImageScanStatus {
  const phase = phaseAt(plan, now);
  return phase === 'done' ? statusAfter(plan.outcome) : phase;
}

/** The instant at which the plan's phase next changes after `now`, or null once done. */
export function nextChangeAt(plan: ScanTiming, now: number): number | null {
  const phase = phaseAt(plan, now);
  if (phase === 'waiting') return plan.startAt;
  if (phase === 'scanning') return plan.endAt;
  return null;
}

/**
 * The status changes an image goes through between the phase last recorded for a scan and
 * `now`, each with the instant it happened. Several can fall between two requests.
 */
export function transitionsSince(
  plan: ScanTiming & { outcome: ScanOutcome },
  recorded: ScanPhase,
  now: number,
): ScanTransition[] {
  const order: ScanPhase[] = ['waiting', 'scanning', 'done'];
  const target = phaseAt(plan, now);
  const steps: ScanTransition[] = [];
  for (let i = order.indexOf(recorded); i < order.indexOf(target); i++) {
    const from = order[i] as ScanPhase;
    const to = order[i + 1] as ScanPhase;
    steps.push({
      from: from === 'done' ? statusAfter(plan.outcome) : from,
      to: to === 'done' ? statusAfter(plan.outcome) : to,
      at: to === 'scanning' ? plan.startAt : plan.endAt,
    });
  }
  return steps;
}

export interface DurationSettings {
  baseMs: number;
  /** MB (10^6 bytes) per second; 0 = size adds no time */
  throughputMbS: number;
}

export function scanDuration(imageSize: number, settings: DurationSettings): number {
  const sizeMs = settings.throughputMbS > 0 ? (imageSize / (settings.throughputMbS * 1_000_000)) * 1000 : 0;
  return Math.round(settings.baseMs + sizeMs);
}

export interface LaneSlot extends ScanTiming {
  lane: number;
}

/**
 * Puts scans, in request order, on the lane that frees up first (lowest lane on a tie).
 * `laneFreeAt[i]` is when lane i finishes the work it already has.
 */
export function assignLanes(laneFreeAt: readonly number[], now: number, durations: readonly number[]): LaneSlot[] {
  const free = laneFreeAt.map((t) => Math.max(t, now));
  return durations.map((duration) => {
    let lane = 0;
    for (let i = 1; i < free.length; i++) if ((free[i] as number) < (free[lane] as number)) lane = i;
    const startAt = free[lane] as number;
    const endAt = startAt + duration;
    free[lane] = endAt;
    return { lane, startAt, endAt };
  });
}
