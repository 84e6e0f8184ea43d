/** Load and latency measurements, and how they are summarised: medians of interleaved rounds. */
import autocannon from 'autocannon';

export interface Load {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Requests per second under `connections` concurrent clients for `seconds`; fails on any non-2xx. */
export async function throughput(load: Load, seconds: number, connections = 50): Promise<number> {
  const result = await autocannon({ ...load, connections, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${load.method ?? 'GET'} ${load.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** max/min − 1 of the rounds, as a percentage: how noisy the machine was. */
export function spread(values: readonly number[]): string {
  return `±${(((Math.max(...values) / Math.min(...values) - 1) * 100) / 2).toFixed(0)}%`;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;
}

/** Milliseconds one call takes. */
export async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await call();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}
