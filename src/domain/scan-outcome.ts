/**
 * How a scan ends and what it finds. Pure: the same image and rule always give the same
 * result, so tests and demos can rely on the numbers.
 */
import { sha256 } from './sha256.js';
import type { Static } from 'typebox';
import type { ScanScriptStep as ScanScriptStepSchema } from '../../schemas/control.js';
import type { ScanOutcome } from './scan-lifecycle.js';

import { SCAN_FAILED_DESCS, SEVERITY_LEVELS } from '../../schemas/vocabulary.js';
import type { VulnerabilityFixture } from '../../schemas/vulnerabilities.js';
import { severityOfList } from './vulnerabilities.js';

export { SCAN_FAILED_DESCS, SEVERITY_LEVELS };
export type ScanFailedDesc = (typeof SCAN_FAILED_DESCS)[number];

/** The scan_failed_desc of an image that could not be downloaded, and of one too large to scan. */
export const FAILURE_DESC: Record<'download_failed' | 'image_oversized', ScanFailedDesc> = {
  download_failed: 'image_not_exist_or_docker_api_fault',
  image_oversized: 'huge_image',
};

export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

export interface ScanResult {
  vul_num: number;
  severity_level: SeverityLevel | '';
  component_num: number;
  unsafe_setting_num: number;
  malicious_file_num: number;
  /** the vulnerabilities a fixture or a script listed (absent: generated from the digest, see vulnerabilities.ts) */
  vulnerabilities?: VulnerabilityFixture[];
}

export const EMPTY_RESULT: ScanResult = {
  vul_num: 0,
  severity_level: '',
  component_num: 0,
  unsafe_setting_num: 0,
  malicious_file_num: 0,
};

/** What the fixture says every scan of an image does, or a script step says the next one does. */
export interface ScanRule {
  outcome?: ScanOutcome;
  scan_failed_desc?: ScanFailedDesc;
  /** component_num is not a finding to script: it is the number of the image's apps */
  scan_result?: Partial<Omit<ScanResult, 'component_num'>>;
}

/** One scripted scan (POST /_emulator/images/{image_id}/script): its rule, and optionally how long it takes. */
export type ScanScriptStep = Static<typeof ScanScriptStepSchema>;

export interface ScanSubject {
  image_size: number;
  image_digest: string;
  image_id: string;
  /** software components the inventory lists for the image: its component_num after a success */
  app_count: number;
}

export interface ScanConclusion {
  outcome: ScanOutcome;
  scan_failed_desc: ScanFailedDesc | '';
  result: ScanResult;
}

/**
 * How a scan ends. A download failure and an oversized image end `failed` in the list
 * (see statusAfter) with their own `scan_failed_desc`, which batch-scan's filter values
 * `download_failed` and `image_oversized` select by.
 */
export function concludeScan(subject: ScanSubject, rule: ScanRule | undefined, maxImageSize: number): ScanConclusion {
  if (subject.image_size > maxImageSize) {
    return { outcome: 'image_oversized', scan_failed_desc: FAILURE_DESC.image_oversized, result: EMPTY_RESULT };
  }
  switch (rule?.outcome ?? 'success') {
    case 'failed':
      return { outcome: 'failed', scan_failed_desc: rule?.scan_failed_desc ?? 'unknown_error', result: EMPTY_RESULT };
    case 'download_failed':
      return { outcome: 'download_failed', scan_failed_desc: FAILURE_DESC.download_failed, result: EMPTY_RESULT };
    case 'image_oversized':
      return { outcome: 'image_oversized', scan_failed_desc: FAILURE_DESC.image_oversized, result: EMPTY_RESULT };
    case 'success':
      return { outcome: 'success', scan_failed_desc: '', result: successResult(subject, rule?.scan_result) };
  }
}

function successResult(subject: ScanSubject, given: ScanRule['scan_result']): ScanResult {
  const derived = resultFromDigest(subject.image_digest || subject.image_id);
  // software vulnerabilities are in software: a scan of an image that lists none finds none
  if (subject.app_count === 0) derived.vul_num = 0;
  const result: ScanResult = { ...derived, ...given, component_num: subject.app_count };
  if (given?.vulnerabilities) {
    // a listed set decides the count and the severity
    result.vul_num = given.vulnerabilities.length;
    result.severity_level = severityOfList(given.vulnerabilities);
  } else if (given?.severity_level === undefined) {
    result.severity_level = severityFor(result);
  }
  return result;
}

/** Stable pseudo-random findings from the digest: the same image always scans the same. */
export function resultFromDigest(digest: string): Omit<ScanResult, 'component_num'> {
  const bytes = sha256(digest);
  const at = (i: number) => bytes[i] as number;
  const result: Omit<ScanResult, 'component_num'> = {
    vul_num: at(0) % 4 === 0 ? 0 : at(1) % 60,
    severity_level: '',
    unsafe_setting_num: at(3) % 6,
    malicious_file_num: at(4) % 8 === 0 ? 1 + (at(5) % 3) : 0,
  };
  result.severity_level = severityFor(result);
  return result;
}

export function severityFor(result: Pick<ScanResult, 'vul_num' | 'malicious_file_num'>): SeverityLevel {
  if (result.malicious_file_num > 0 || result.vul_num >= 30) return 'High';
  if (result.vul_num >= 10) return 'Medium';
  if (result.vul_num > 0) return 'Low';
  return 'Security';
}
