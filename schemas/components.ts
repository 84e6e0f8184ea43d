/**
 * The schemas registered once by `$id` (app.addSchema) and referenced from routes with
 * `ref()`: openapi.yaml lists them under `components.schemas`, by these names.
 */
import { ImageVulInfo } from './vulnerabilities.js';
import { ErrorBody } from './common.js';
import { IamErrorBody } from './iam.js';
import { ImageLocalInfo } from './local-images.js';
import { LocalImageAppInfo, LocalImageContainerInfo, LocalImageHostInfo } from './local-image-details.js';

export const SHARED_SCHEMAS = [ErrorBody, IamErrorBody, ImageLocalInfo, LocalImageHostInfo, LocalImageContainerInfo, LocalImageAppInfo, ImageVulInfo];
