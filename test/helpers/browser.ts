/**
 * Debian's Chromium (apt-get install -y chromium; .ci/run installs it), driven by
 * playwright-core. Started as this machine needs it: headless, no sandbox (CI runs as root),
 * and none of Chromium's own network traffic, which the closed network would refuse.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. With REQUIRE_BROWSER_TESTS set (.ci/run sets it) a missing browser is a failure, not a skip. */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.REQUIRE_BROWSER_TESTS) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  return `no ${CHROMIUM} (apt-get install -y chromium)`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
