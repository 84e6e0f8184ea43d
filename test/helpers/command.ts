/**
 * Runs the `hss-emulator` command as a user would — from its sources, through tsx, so a test
 * never checks a stale build (only the packaging tests use dist/) — until it says it is ready.
 */
import type { Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Node's arguments that run the command from its sources: `spawn(process.execPath, [...CLI, '--help'])`. */
export const CLI: readonly string[] = ['--import', new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href, new URL('../../src/cli.ts', import.meta.url).pathname];

export interface StartedCommand {
  url: string;
  /** the log lines up to "ready" */
  lines: string[];
  child: ChildProcess;
}

/** Starts the command on a free port with throwaway state; killed after the test. Works with JSON and pretty logs. */
export async function startCommand(t: Test, args: string[]): Promise<StartedCommand> {
  const child = spawn(process.execPath, [...CLI, '--port', '0', '--db', ':memory:', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => void child.kill('SIGKILL'));
  const lines: string[] = [];
  let url: string | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    lines.push(line);
    url = /(https?:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? url;
    if (url && lines.some((l) => l.includes('hss-emulator ready'))) {
      child.stdout!.resume();
      return { url, lines, child };
    }
  }
  throw new Error(`the emulator exited before it was ready:\n${lines.join('\n')}`);
}

/**
 * This process's environment without the npm_* variables a runner such as `npm test` or
 * `npx tap` sets: with them (npm_config_local_prefix above all), an `npm ci` run in a scratch
 * folder installs into this checkout instead. A user's shell or a Docker build has none.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => !/^npm_/i.test(e[0]) && e[1] !== undefined));
  return { ...env, ...extra };
}
