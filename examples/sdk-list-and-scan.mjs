// List local images and scan one with the official Huawei Cloud SDK core (AK/SK signing),
// exactly as against the real cloud — only the endpoint differs.
// Usage: HSS_ENDPOINT=http://127.0.0.1:9080 node examples/sdk-list-and-scan.mjs
// Needs: npm install @huaweicloud/huaweicloud-sdk-core uuid
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';

const endpoint = process.env.HSS_ENDPOINT ?? 'http://127.0.0.1:9080';
const credentials = new BasicCredentials()
  .withAk(process.env.HUAWEICLOUD_SDK_AK ?? 'HSSEMUADMINAK0000001')
  .withSk(process.env.HUAWEICLOUD_SDK_SK ?? 'hssEmulatorAdminSecretKey000000000000001')
  .withProjectId(process.env.HUAWEICLOUD_SDK_PROJECT_ID ?? '2b31ed520b4d4e0a9c3d7f6e5a4b3c21');
const hss = new ClientBuilder((client) => client).withCredential(credentials).withEndpoint(endpoint).build();

const call = (method, url, queryParams = {}, data) =>
  hss.sendRequest({ method, url, contentType: 'application/json', pathParams: {}, queryParams, headers: {}, ...(data ? { data } : {}) });

const before = await call('GET', '/v5/{project_id}/image/local-repositories', { enterprise_project_id: 'all_granted_eps', limit: 50 });
console.log(`${before.total_num} local images`);
const target = before.data_list.find((image) => image.scan_status === 'unscan' && !image.non_scan_reason);
console.log(`scanning ${target.image_name}:${target.image_version}`);
await call('POST', '/v5/{project_id}/image/local/batch-scan', { enterprise_project_id: 'all_granted_eps' }, {
  image_info_list: [{ image_id: target.image_id }],
});
const after = await call('GET', '/v5/{project_id}/image/local-repositories', { enterprise_project_id: 'all_granted_eps', image_name: target.image_name, limit: 50 });
const image = after.data_list.find((i) => i.image_id === target.image_id);
console.log(`${image.image_name}:${image.image_version} is ${image.scan_status}`);
