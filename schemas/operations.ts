/** The SDK operation names of the cloud API the emulator serves (the OpenAPI operationIds). */
export const CLOUD_OPERATIONS = [
  'BatchScanLocalImage',
  'ListImageLocal',
  'ListLocalImageHosts',
  'ListLocalImageContainers',
  'ListLocalImageAppInfo',
  'KeystoneCreateUserTokenByPassword',
  'KeystoneListProjects',
  'KeystoneListAuthDomains',
  'KeystoneListRegions',
] as const;
export type CloudOperation = (typeof CLOUD_OPERATIONS)[number];
