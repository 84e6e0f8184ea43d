/**
 * The state export's rows, table by table and column by column (the import checks every
 * row against these before anything is written), and the JSON that some columns hold.
 * A value the running emulator could not use later — a wrong type, an unknown status, a
 * JSON column that does not parse — is refused here, with its path.
 */
import { Type, type TSchema } from 'typebox';
import { IMAGE_SCAN_STATUSES, MAX_INSTANT, SCAN_FAILED_DESCS, SCAN_OUTCOMES, SEVERITY_LEVELS } from './vocabulary.js';
import { LOCAL_IMAGE_TYPES } from './batch-scan.js';
import { ScanScriptStep } from './control.js';
import { VulnerabilityList } from './vulnerabilities.js';

const text = (maxLength = 4096) => Type.String({ maxLength });
const key = () => Type.String({ minLength: 1, maxLength: 256 });
const count = () => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const rowId = () => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const instant = () => Type.Integer({ minimum: 0, maximum: MAX_INSTANT });
const row = (columns: Record<string, TSchema>) => Type.Object(columns, { additionalProperties: false });

/** users.enterprise_grant: every enterprise project, or these. */
export const EnterpriseGrant = Type.Union([Type.Literal('all'), Type.Array(key())]);

/** A finished scan's findings: scans.result. */
export const ScanResultRecord = row({
  vul_num: count(),
  severity_level: Type.Union([Type.Literal(''), Type.Enum([...SEVERITY_LEVELS])]),
  component_num: count(),
  unsafe_setting_num: count(),
  malicious_file_num: count(),
  vulnerabilities: Type.Optional(VulnerabilityList),
});

/** images.scan_rule: what every scan of the image does (the fixture's scan_outcome and scan_result). */
export const ScanRuleRecord = Type.Partial(Type.Omit(ScanScriptStep, ['duration_ms']), { additionalProperties: false });

/** Columns that hold JSON text, and what the text must hold. */
export const JSON_COLUMNS: Record<string, Record<string, TSchema>> = {
  users: { enterprise_grant: EnterpriseGrant },
  images: { scan_rule: ScanRuleRecord, vulnerabilities: VulnerabilityList },
  scans: { result: ScanResultRecord },
  scan_scripts: { step: ScanScriptStep },
};

export const STATE_ROWS: Record<string, TSchema> = {
  domain: row({ singleton: Type.Literal(1), domain_id: key(), name: key() }),
  projects: row({ project_id: key(), region: key() }),
  enterprise_projects: row({ enterprise_project_id: key(), name: text(256) }),
  users: row({ user_id: key(), name: key(), password_hash: text(), enterprise_grant: text(1_000_000) }),
  user_projects: row({ user_id: key(), project_id: key() }),
  // sk may be left out: the import keeps the existing key's (an export leaves secrets out unless asked)
  access_keys: row({ ak: key(), user_id: key(), sk: Type.Optional(key()) }),
  hosts: row({
    host_pk: rowId(),
    project_id: key(),
    host_id: key(),
    host_name: text(256),
    agent_id: text(256),
    agent_status: text(64),
    version: text(64),
    private_ip: text(256),
    public_ip: text(256),
    docker_name: text(256),
    docker_type: text(64),
  }),
  images: row({
    image_pk: rowId(),
    project_id: key(),
    enterprise_project_id: key(),
    image_id: key(),
    image_name: text(1024),
    image_digest: text(256),
    image_version: text(256),
    local_image_type: Type.Enum([...LOCAL_IMAGE_TYPES]),
    image_size: count(),
    latest_update_time: instant(),
    non_scan_reason: text(1024),
    scan_status: Type.Enum([...IMAGE_SCAN_STATUSES]),
    latest_scan_time: instant(),
    scan_failed_desc: Type.Union([Type.Literal(''), Type.Enum([...SCAN_FAILED_DESCS])]),
    severity_level: Type.Union([Type.Literal(''), Type.Enum([...SEVERITY_LEVELS])]),
    vul_num: count(),
    unsafe_setting_num: count(),
    malicious_file_num: count(),
    component_num: count(),
    scan_rule: Type.Union([text(65_536), Type.Null()]),
    // absent in exports made before it existed
    vulnerabilities: Type.Optional(Type.Union([text(16_777_216), Type.Null()])),
  }),
  image_hosts: row({ image_pk: rowId(), host_pk: rowId() }),
  containers: row({
    container_pk: rowId(),
    image_pk: rowId(),
    host_pk: rowId(),
    container_id: text(256),
    container_name: text(256),
    pod_id: text(256),
    pod_name: text(256),
    entry_point: text(4096),
  }),
  apps: row({ app_pk: rowId(), image_pk: rowId(), app_name: text(256), app_type: text(64), app_version: text(256), vul_num: count() }),
  scans: row({
    scan_id: rowId(),
    image_pk: rowId(),
    project_id: key(),
    lane: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    requested_at: instant(),
    start_at: instant(),
    end_at: instant(),
    outcome: Type.Enum([...SCAN_OUTCOMES]),
    scan_failed_desc: Type.Union([Type.Literal(''), Type.Enum([...SCAN_FAILED_DESCS])]),
    result: text(65_536),
    phase: Type.Enum(['waiting', 'scanning', 'done']),
    next_change_at: Type.Union([instant(), Type.Null()]),
  }),
  scan_scripts: row({ image_pk: rowId(), seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), step: text(65_536) }),
  tokens: row({ token_hash: key(), user_id: key(), project_id: Type.Union([key(), Type.Null()]), issued_at: instant(), expires_at: instant() }),
  ak_failures: row({ ak: key(), failures: count(), locked_until: instant() }),
};
