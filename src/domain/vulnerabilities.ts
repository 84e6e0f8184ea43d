/**
 * What a successful scan found, vulnerability by vulnerability. Pure and deterministic: the
 * same image always has the same findings, and they agree with everything else the emulator
 * says about it —
 *   - their number is the image's vul_num;
 *   - the most urgent repair_necessity is the one its severity_level stands for;
 *   - each is in software the image's apps list holds, at that software's version, and an
 *     app's own vul_num is how many name it (when the apps' numbers add up to the image's).
 * A fixture or a scripted scan may list them instead; then vul_num and severity_level follow
 * from the list.
 */
import { sha256, sha256Hex } from './sha256.js';
import type { VulnerabilityFixture } from '../../schemas/vulnerabilities.js';
import { REPAIR_NECESSITIES } from '../../schemas/vocabulary.js';
import type { SeverityLevel } from './scan-outcome.js';

export type RepairNecessity = (typeof REPAIR_NECESSITIES)[number];

export interface Vulnerability {
  vul_id: string;
  repair_necessity: RepairNecessity;
  description: string;
  position: string;
  app_name: string;
  app_path?: string;
  version: string;
  fixed_version: string;
  solution: string;
  url: string;
  type: 'linux_vul' | 'app_vul';
}

export interface ImageApp {
  app_name: string;
  app_type: string;
  app_version: string;
  vul_num: number;
}

export interface ScannedImage {
  image_digest: string;
  vul_num: number;
  severity_level: SeverityLevel | '';
  apps: readonly ImageApp[];
  /** the list a fixture or a scripted scan gave; undefined: generate it */
  listed?: readonly VulnerabilityFixture[];
}

/**
 * EMULATOR: at most this many are generated for one image, whatever its vul_num says (a state
 * import can hold any count; a list of billions would only exhaust memory).
 */
export const MAX_GENERATED = 100_000;

const NECESSITY_OF: Record<string, RepairNecessity | undefined> = { High: 'immediate_repair', Medium: 'delay_repair', Low: 'not_needed_repair' };
const SEVERITY_OF: Record<RepairNecessity, SeverityLevel> = { immediate_repair: 'High', delay_repair: 'Medium', not_needed_repair: 'Low' };

/** The severity_level a list of vulnerabilities stands for: its most urgent one's ('Security' for none). */
export function severityOfList(list: readonly { repair_necessity: RepairNecessity }[]): SeverityLevel {
  const top = Math.min(...list.map((v) => REPAIR_NECESSITIES.indexOf(v.repair_necessity)));
  return Number.isFinite(top) ? SEVERITY_OF[REPAIR_NECESSITIES[top]!] : 'Security';
}

/** Why a listed vulnerability does not fit the image's software, or undefined when all do. */
export function unknownSoftware(list: readonly VulnerabilityFixture[] | undefined, apps: readonly { app_name: string }[]): string | undefined {
  const names = new Set(apps.map((a) => a.app_name));
  const stray = list?.find((v) => !names.has(v.app_name));
  return stray && `vulnerability ${stray.vul_id} is in ${stray.app_name}, which is not among the image's apps`;
}

/**
 * What is wrong with findings a fixture or a script gives an image with these apps, or
 * undefined: software vulnerabilities must be in software the image lists, and a count of
 * them needs some.
 */
export function findingsProblem(
  findings: { vul_num?: number; severity_level?: string; vulnerabilities?: readonly VulnerabilityFixture[] } | undefined,
  apps: readonly { app_name: string }[],
): string | undefined {
  if (!findings) return undefined;
  if (findings.vulnerabilities) {
    const stray = unknownSoftware(findings.vulnerabilities, apps);
    if (stray) return stray;
    if (findings.vul_num !== undefined && findings.vul_num !== findings.vulnerabilities.length) return 'vul_num must be the number of vulnerabilities listed';
    return undefined;
  }
  if ((findings.vul_num ?? 0) > 0 && apps.length === 0) return 'vul_num: the image lists no software (apps) for its vulnerabilities to be in';
  if ((findings.vul_num ?? 0) > 0 && (findings.severity_level === 'Security' || findings.severity_level === '')) return 'severity_level must be Low, Medium or High when vul_num > 0';
  return undefined;
}

/** The image's vulnerabilities, most urgent first. */
export function vulnerabilitiesOf(image: ScannedImage): Vulnerability[] {
  const found = image.listed ? image.listed.map((v) => complete(v, image)) : generated(image);
  return found.sort(
    (a, b) => REPAIR_NECESSITIES.indexOf(a.repair_necessity) - REPAIR_NECESSITIES.indexOf(b.repair_necessity) || (a.vul_id < b.vul_id ? -1 : a.vul_id > b.vul_id ? 1 : 0),
  );
}

function complete(v: VulnerabilityFixture, image: ScannedImage): Vulnerability {
  const app = image.apps.find((a) => a.app_name === v.app_name);
  const version = v.version ?? app?.app_version ?? '';
  const fixed = v.fixed_version ?? '';
  const type = v.type ?? (app && app.app_type !== 'linux_software' ? 'app_vul' : 'linux_vul');
  return {
    vul_id: v.vul_id,
    repair_necessity: v.repair_necessity,
    description: v.description ?? `${v.vul_id} in ${v.app_name} ${version}`,
    position: v.position ?? layerOf(image.image_digest, v.vul_id),
    app_name: v.app_name,
    ...(type === 'app_vul' ? { app_path: v.app_path ?? appPath(v.app_name) } : {}),
    version,
    fixed_version: fixed,
    solution: v.solution ?? (fixed ? `Upgrade ${v.app_name} to ${fixed} or later.` : `No fixed version of ${v.app_name} yet; limit its exposure.`),
    url: v.url ?? `https://nvd.nist.gov/vuln/detail/${v.vul_id}`,
    type,
  };
}

const WEAKNESSES = [
  'heap-based buffer overflow when parsing crafted input',
  'use after free in the connection handling',
  'out-of-bounds read in the decoder',
  'improper certificate validation',
  'integer overflow leading to memory corruption',
  'path traversal through crafted archive entries',
  'denial of service through excessive resource consumption',
  'improper input validation in the request parser',
  'NULL pointer dereference on malformed data',
  'information disclosure through timing differences',
];

/** Stable pseudo-random findings: vul_num of them, over the image's apps. */
function generated(image: ScannedImage): Vulnerability[] {
  if (image.vul_num <= 0 || image.apps.length === 0) return [];
  const owners = ownersOf(image, Math.min(image.vul_num, MAX_GENERATED));
  const top = NECESSITY_OF[image.severity_level] ?? 'not_needed_repair';
  const topRank = REPAIR_NECESSITIES.indexOf(top);
  const ids = new Set<string>();
  return owners.map((app, i) => {
    const h = sha256(`${image.image_digest}\nvulnerability ${i}`);
    // the first carries the image's severity; the others are as urgent or less
    const rank = i === 0 ? topRank : topRank + (h[0]! % (REPAIR_NECESSITIES.length - topRank));
    let vulId = `CVE-${2019 + (h[1]! % 7)}-${10_000 + (h.readUInt32BE(2) % 40_000)}`;
    while (ids.has(vulId)) vulId = `${vulId.slice(0, -1)}${(Number(vulId.at(-1)) + 1) % 10}`;
    ids.add(vulId);
    return complete(
      {
        vul_id: vulId,
        app_name: app.app_name,
        repair_necessity: REPAIR_NECESSITIES[rank]!,
        fixed_version: nextVersion(app.app_version, h[6]!),
        description: `${app.app_name} ${app.app_version}: ${WEAKNESSES[h[7]! % WEAKNESSES.length]}.`,
      },
      image,
    );
  });
}

/**
 * Which app each of the vul_num findings is in: each app's own vul_num when those add up to
 * the image's, otherwise spread over the apps by the digest.
 */
function ownersOf(image: ScannedImage, count: number): ImageApp[] {
  const apps = [...image.apps].sort((a, b) => (a.app_name < b.app_name ? -1 : a.app_name > b.app_name ? 1 : 0));
  const owners: ImageApp[] = [];
  if (apps.reduce((sum, a) => sum + a.vul_num, 0) === image.vul_num) {
    for (const app of apps) for (let i = 0; i < app.vul_num && owners.length < count; i++) owners.push(app);
    return owners;
  }
  const seed = sha256(`${image.image_digest}\nowners`);
  for (let i = 0; i < count; i++) owners.push(apps[(seed[i % seed.length]! + i) % apps.length]!);
  return owners;
}

/** A later version: the last number raised (1.2.13 → 1.2.14, 3.0.2-0ubuntu1.10 → 3.0.2-0ubuntu1.11). */
function nextVersion(version: string, bump: number): string {
  const match = /^(.*?)(\d+)(\D*)$/.exec(version);
  if (!match) return `${version}.1`;
  return `${match[1]}${Number(match[2]) + 1 + (bump % 3)}${match[3]}`;
}

function layerOf(digest: string, vulId: string): string {
  return `sha256:${sha256Hex(`${digest}\nlayer ${vulId.length % 4}`)}`;
}

function appPath(appName: string): string {
  return `/usr/local/lib/${appName.replace(/[^0-9A-Za-z._-]/g, '_')}`;
}

/** An image as stored: its scan fields, and the JSON list a scan or fixture gave (null: generate). */
export interface StoredImage {
  image_digest: string;
  scan_status: string;
  vul_num: number;
  severity_level: string;
  vulnerabilities: string | null;
}

/** An image's findings: none until a scan succeeded; then the listed ones, or those generated from its digest. */
export function storedImageVulnerabilities(image: StoredImage, apps: readonly ImageApp[]): Vulnerability[] {
  if (image.scan_status === 'unscan' || image.scan_status === 'failed') return [];
  return vulnerabilitiesOf({
    image_digest: image.image_digest,
    vul_num: image.vul_num,
    severity_level: image.severity_level as SeverityLevel | '',
    apps,
    listed: image.vulnerabilities === null ? undefined : (JSON.parse(image.vulnerabilities) as VulnerabilityFixture[]),
  });
}

export interface VulnerabilityFilter {
  repair_necessity?: RepairNecessity;
  /** a substring of the id, in any case */
  vul_id?: string;
  /** a substring of the software's name */
  app_name?: string;
  type?: 'linux_vul' | 'app_vul';
}

/** The ones the filter keeps, in order. */
export function selectVulnerabilities(found: readonly Vulnerability[], filter: VulnerabilityFilter): Vulnerability[] {
  const idPart = filter.vul_id?.toLowerCase();
  return found.filter(
    (v) =>
      (filter.repair_necessity === undefined || v.repair_necessity === filter.repair_necessity) &&
      (!idPart || v.vul_id.toLowerCase().includes(idPart)) &&
      (!filter.app_name || v.app_name.includes(filter.app_name)) &&
      (filter.type === undefined || v.type === filter.type),
  );
}
