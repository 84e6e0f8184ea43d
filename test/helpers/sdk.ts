/**
 * The official Huawei Cloud SDK core, as a reference client: its signer for test vectors,
 * its ClientBuilder/HcClient for real-socket tests.
 */
import { stringify } from 'node:querystring';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { HttpRequestBuilder } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequestBuilder.js';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';

/**
 * `20261127T000000Z`: X-Sdk-Date as the SDK writes it (AKSKSigner's YYYYMMDDTHHmmssZ). The
 * tests' own, so the oracle shares nothing with the code under test.
 */
export function sdkDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export interface SignInput {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  body?: unknown;
  headers?: Record<string, string>;
  ak: string;
  sk: string;
  projectId?: string;
  /** ms since the epoch; X-Sdk-Date */
  at: number;
  host?: string;
}

export interface SignedRequest {
  /** path and query as the SDK's HTTP client puts them on the wire */
  url: string;
  headers: Record<string, string>;
  payload: string | undefined;
}

/** Signs a request with the SDK's own AKSKSigner, at a fixed instant. */
export function sdkSign(input: SignInput): SignedRequest {
  const credentials = new BasicCredentials().withAk(input.ak).withSk(input.sk);
  const host = input.host ?? 'localhost:80';
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'X-Sdk-Date': sdkDate(input.at),
    ...(input.projectId ? { 'X-Project-Id': input.projectId } : {}),
    ...input.headers,
  };
  const request = new HttpRequestBuilder()
    .withEndpoint(`http://${host}${input.path}`)
    .withUrl(input.path)
    .withMethod(input.method)
    .withHeaders(headers)
    .withQueryParams(input.query ?? {})
    .withData(input.body)
    .build();
  const signed = AKSKSigner.sign(request, credentials) as Record<string, string>;
  const query = input.query && Object.keys(input.query).length ? `?${stringify(input.query)}` : '';
  return {
    url: `${input.path}${query}`,
    headers: signed,
    payload: input.body === undefined ? undefined : JSON.stringify(input.body),
  };
}

/** An SDK client for the emulator at `endpoint`, signing with the given AK/SK. */
export function sdkClient(endpoint: string, ak: string, sk: string, projectId: string): HcClient {
  const credentials = new BasicCredentials().withAk(ak).withSk(sk).withProjectId(projectId);
  return new ClientBuilder<HcClient>((client) => client).withCredential(credentials).withEndpoint(endpoint).build();
}

export function listImages(client: HcClient, queryParams: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return client.sendRequest({
    method: 'GET',
    url: '/v5/{project_id}/image/local-repositories',
    contentType: 'application/json',
    pathParams: {},
    queryParams,
    headers,
  }) as Promise<{ httpStatusCode: number; total_num: number; data_list: { image_id: string; scan_status: string; enterprise_project_id?: string }[] }>;
}

export function batchScan(client: HcClient, data: Record<string, unknown>, queryParams: Record<string, unknown> = {}) {
  return client.sendRequest({
    method: 'POST',
    url: '/v5/{project_id}/image/local/batch-scan',
    contentType: 'application/json',
    pathParams: {},
    queryParams,
    headers: {},
    data,
  }) as Promise<{ httpStatusCode: number }>;
}

/** ListImageVulnerabilities as the SDK's generated client sends it: image_id a path parameter, the model's required strings in the query. */
export function listImageVulnerabilities(client: HcClient, imageId: string, queryParams: Record<string, unknown>) {
  return client.sendRequest({
    method: 'GET',
    url: '/v5/{project_id}/image/{image_id}/vulnerabilities',
    contentType: 'application/json',
    pathParams: { image_id: imageId },
    queryParams,
    headers: {},
  }) as Promise<{ httpStatusCode: number; total_num: number; data_list: { vul_id: string; repair_necessity: string; app_name: string }[] }>;
}
