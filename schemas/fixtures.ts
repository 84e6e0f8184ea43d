/**
 * The world file (fixtures/default.json): account, projects, enterprise projects, users with
 * their credentials and grants, hosts, and the image inventory with its containers and
 * software. Checked at load, so a typo names its file, JSON path and problem.
 */
import { Type, type Static } from 'typebox';
import { LOCAL_IMAGE_TYPES } from './batch-scan.js';
import { IMAGE_SCAN_STATUSES, MAX_INSTANT, SCAN_FAILED_DESCS, SCAN_OUTCOMES, SEVERITY_LEVELS } from './vocabulary.js';
import { VulnerabilityList } from './vulnerabilities.js';

const id = (maxLength = 64) => Type.String({ minLength: 1, maxLength });
const count = () => Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }));
/** ms since the epoch, within the clock's range */
const instant = () => Type.Integer({ minimum: 0, maximum: MAX_INSTANT });

const ScanResultFixture = Type.Object(
  {
    vul_num: count(),
    severity_level: Type.Optional(Type.Enum([...SEVERITY_LEVELS, ''])),
    unsafe_setting_num: count(),
    malicious_file_num: count(),
    vulnerabilities: Type.Optional(VulnerabilityList),
  },
  { additionalProperties: false },
);

const ContainerFixture = Type.Object(
  {
    container_id: id(),
    container_name: id(),
    host_id: id(),
    pod_id: Type.Optional(Type.String({ maxLength: 64 })),
    pod_name: Type.Optional(Type.String({ maxLength: 63 })),
    entry_point: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: false },
);

const AppFixture = Type.Object(
  {
    app_name: id(256),
    app_type: Type.String({ maxLength: 64 }),
    app_version: Type.String({ maxLength: 128 }),
    vul_num: count(),
  },
  { additionalProperties: false },
);

export const ImageFixture = Type.Object(
  {
    project_id: id(256),
    enterprise_project_id: id(256),
    image_id: id(),
    image_name: id(256),
    image_digest: Type.String({ pattern: '^sha256:[0-9a-f]{64}$' }),
    image_version: id(128),
    local_image_type: Type.Enum([...LOCAL_IMAGE_TYPES]),
    image_size: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    latest_update_time: instant(),
    non_scan_reason: Type.Optional(Type.String({ maxLength: 1024 })),
    // the state the image is in when the world loads
    scan_status: Type.Optional(Type.Enum(IMAGE_SCAN_STATUSES.filter((s) => s !== 'waiting' && s !== 'scanning'))),
    latest_scan_time: Type.Optional(instant()),
    scan_failed_desc: Type.Optional(Type.Enum([...SCAN_FAILED_DESCS, ''])),
    vul_num: count(),
    severity_level: Type.Optional(Type.Enum([...SEVERITY_LEVELS, ''])),
    unsafe_setting_num: count(),
    malicious_file_num: count(),
    // how every scan of this image ends (default: success, findings derived from the digest)
    scan_outcome: Type.Optional(Type.Enum([...SCAN_OUTCOMES])),
    scan_outcome_desc: Type.Optional(Type.Enum([...SCAN_FAILED_DESCS])),
    scan_result: Type.Optional(ScanResultFixture),
    hosts: Type.Optional(Type.Array(id())),
    containers: Type.Optional(Type.Array(ContainerFixture)),
    apps: Type.Optional(Type.Array(AppFixture)),
    // what its last scan found, when it succeeded (default: generated from the digest)
    vulnerabilities: Type.Optional(VulnerabilityList),
  },
  { additionalProperties: false },
);
export type ImageFixture = Static<typeof ImageFixture>;

export const HostFixture = Type.Object(
  {
    project_id: id(256),
    host_id: id(),
    host_name: id(),
    agent_id: id(),
    agent_status: Type.String({ maxLength: 32 }),
    version: Type.String({ maxLength: 64 }),
    private_ip: Type.String({ maxLength: 64 }),
    public_ip: Type.String({ maxLength: 64 }),
    docker_name: Type.String({ maxLength: 64 }),
    docker_type: Type.String({ maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type HostFixture = Static<typeof HostFixture>;

export const UserFixture = Type.Object(
  {
    name: id(),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    projects: Type.Array(id(256)),
    enterprise_projects: Type.Union([Type.Literal('all'), Type.Array(id(256))]),
    access_keys: Type.Array(
      Type.Object({ ak: id(128), sk: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type UserFixture = Static<typeof UserFixture>;

export const WorldFixture = Type.Object(
  {
    domain: Type.Object({ id: id(), name: id() }, { additionalProperties: false }),
    projects: Type.Array(Type.Object({ id: id(256), region: id() }, { additionalProperties: false })),
    enterprise_projects: Type.Array(Type.Object({ id: id(256), name: id() }, { additionalProperties: false })),
    users: Type.Array(UserFixture),
    hosts: Type.Array(HostFixture),
    images: Type.Array(ImageFixture),
  },
  { additionalProperties: false },
);
export type WorldFixture = Static<typeof WorldFixture>;
