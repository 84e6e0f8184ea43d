/**
 * The values the wire shapes enumerate, declared here so that schemas depend on nothing in
 * src/; the domain (scan-lifecycle.ts, scan-outcome.ts, clock.ts) takes them from here.
 */

/** How a scan can end; a script or a fixture names one. */
export const SCAN_OUTCOMES = ['success', 'failed', 'download_failed', 'image_oversized'] as const;

/**
 * The statuses the local-image list shows (the ListImageLocal model's values). A download
 * failure and an oversized image are `failed`, told apart by `scan_failed_desc`.
 */
export const IMAGE_SCAN_STATUSES = ['unscan', 'waiting', 'scanning', 'success', 'failed'] as const;

export const SCAN_FAILED_DESCS = [
  'unknown_error',
  'failed_to_match_agent',
  'create_container_failed',
  'get_container_info_failed',
  'docker_offline',
  'get_docker_root_failed',
  'image_not_exist_or_docker_api_fault',
  'huge_image',
  'docker_root_in_nfs',
  'response_timed_out',
] as const;

export const SEVERITY_LEVELS = ['Security', 'Low', 'Medium', 'High'] as const;

/** The last instant the clock may reach: 9999-12-31T23:59:59.999Z, so every reading has a four-digit year. */
export const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** How urgent fixing a vulnerability is (ImageVulInfo.repair_necessity), most urgent first. */
export const REPAIR_NECESSITIES = ['immediate_repair', 'delay_repair', 'not_needed_repair'] as const;

/** A vulnerability in the system's packages, or in an application's. */
export const VUL_TYPES = ['linux_vul', 'app_vul'] as const;
