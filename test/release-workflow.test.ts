/**
 * .github/workflows/release.yml cannot run here: check what it would do on a version tag —
 * publish to npm with provenance after the suite passes, then push a multi-arch image.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url);
const workflow = parse(readFileSync(new URL('.github/workflows/release.yml', root), 'utf8'));
type Step = { uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> };

t.test('it runs on version tags only', async (t) => {
  t.same(Object.keys(workflow.on), ['push']);
  t.same(workflow.on.push.tags, ['v*.*.*']);
});

t.test('npm: the suite, the tag checked against package.json, then a publish with provenance', async (t) => {
  const job = workflow.jobs.npm;
  t.equal(job.permissions['id-token'], 'write', 'provenance needs an OIDC token');
  const steps = job.steps as Step[];
  const runs = steps.map((s) => s.run ?? '');
  t.ok(runs.indexOf('npm test') >= 0 && runs.indexOf('npm test') < runs.findIndex((r) => r.startsWith('npm publish')), 'tested before publishing');
  t.match(runs.join('\n'), /require\('\.\/package\.json'\)\.version.*GITHUB_REF_NAME/, 'a tag that is not the version publishes nothing');
  const publish = steps.find((s) => s.run?.startsWith('npm publish'))!;
  t.match(publish.run, /--provenance/);
  t.equal(publish.env?.NODE_AUTH_TOKEN, '${{ secrets.NPM_TOKEN }}');
  t.equal(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['registry-url'], 'https://registry.npmjs.org');
});

t.test('image: built from this Dockerfile for amd64 and arm64, pushed to ghcr.io after npm', async (t) => {
  const job = workflow.jobs.image;
  t.equal(job.needs, 'npm');
  t.equal(job.permissions.packages, 'write');
  const steps = job.steps as Step[];
  t.ok(steps.some((s) => s.uses?.startsWith('docker/setup-qemu-action')), 'emulation for the other architecture');
  const build = steps.find((s) => s.uses?.startsWith('docker/build-push-action'))!;
  t.equal(build.with?.context, '.');
  t.same(String(build.with?.platforms).split(','), ['linux/amd64', 'linux/arm64']);
  t.equal(build.with?.push, true);
  t.match(steps.find((s) => s.uses?.startsWith('docker/metadata-action'))?.with?.images, /^ghcr\.io\//);
});

t.test('what the README says is published matches', async (t) => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  t.match(readme, /nothing is published yet/);
  t.notMatch(readme, /npx --allow-scripts=better-sqlite3 hss-emulator/, 'no npx line for a package that is not in the registry');
});
