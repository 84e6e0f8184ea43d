/** offset/limit in, {total_num, data_list} out: the paging every HSS list shares. */
import type { Listing, Page } from '../domain/listing.js';

export function pageOf(query: { offset?: number; limit?: number }): Page {
  return { offset: query.offset ?? 0, limit: query.limit ?? 10 };
}

export function listBody<T>(listing: Listing<T>): { total_num: number; data_list: T[] } {
  return { total_num: listing.total, data_list: listing.rows };
}
