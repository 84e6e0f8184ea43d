/** The SDK operation names of the cloud API the emulator serves (the OpenAPI operationIds). */
export const CLOUD_OPERATIONS = [
  'BatchScanLocalImage',
  'ListImageLocal',
  'ListLocalImageHosts',
  'ListLocalImageContainers',
  'ListLocalImageAppInfo',
  'ListImageVulnerabilities',
  'KeystoneCreateUserTokenByPassword',
  'KeystoneListProjects',
  'KeystoneListAuthDomains',
  'KeystoneListRegions',
] as const;
export type CloudOperation = (typeof CLOUD_OPERATIONS)[number];

/** The operations whose path names the project (/v5/{project_id}/…). */
export const PROJECT_OPERATIONS: readonly CloudOperation[] = CLOUD_OPERATIONS.filter((o) => !o.startsWith('Keystone'));
