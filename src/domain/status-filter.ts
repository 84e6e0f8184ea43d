/**
 * What a `scan_status` filter value selects. The filter values are not the statuses the list
 * shows: `waiting_for_scan` selects `waiting` images, while `waiting` itself (a value the list
 * shows, never a filter value) selects nothing; batch-scan's `download_failed` and
 * `image_oversized` select the `failed` images that failed that way. Any other value matches
 * nothing.
 */
import type { ImageScanStatus } from './scan-lifecycle.js';
import { FAILURE_DESC, type ScanFailedDesc } from './scan-outcome.js';

export interface StatusSelection {
  /** 'none' when the value matches no image */
  scan_status: ImageScanStatus | 'none';
  scan_failed_desc?: ScanFailedDesc;
}

const SAME: readonly string[] = ['unscan', 'scanning', 'success', 'failed'] satisfies ImageScanStatus[];

export function selectByStatus(value: string | undefined): StatusSelection | undefined {
  if (value === undefined) return undefined;
  if (value === 'waiting_for_scan') return { scan_status: 'waiting' };
  if (value === 'download_failed' || value === 'image_oversized') return { scan_status: 'failed', scan_failed_desc: FAILURE_DESC[value] };
  return { scan_status: SAME.includes(value) ? (value as ImageScanStatus) : 'none' };
}
