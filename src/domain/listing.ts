/** The shapes every layer shares for reading lists: who sees what, which page, what came back. */

/** The images one request may see: a project and some of the account's enterprise projects. */
export interface Scope {
  projectId: string;
  enterpriseProjects: readonly string[];
}

export interface Page {
  offset: number;
  limit: number;
}

/** One page of a list, and how many match in all. */
export interface Listing<T> {
  total: number;
  rows: T[];
}
