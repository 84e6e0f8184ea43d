/** Bodies and answers of the control plane (/_emulator/*), for tests and demos. */
import { Type, type Static } from 'typebox';
import { HostFixture, ImageFixture } from './fixtures.js';
import { IMAGE_SCAN_STATUSES, MAX_INSTANT, SCAN_FAILED_DESCS, SCAN_OUTCOMES, SEVERITY_LEVELS } from './vocabulary.js';
import { CLOUD_OPERATIONS } from './operations.js';
import { VulnerabilityList } from './vulnerabilities.js';

export const CONTROL_TAG = 'Emulator control plane';

const id = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

export const ResetBody = Type.Object(
  {
    fixtures: Type.Optional(Type.Boolean({ description: 'false: leave the scope empty instead of restoring the fixtures' })),
    project_id: Type.Optional(id('reset only this project; the others keep their state')),
  },
  { additionalProperties: false },
);
export type ResetBody = Static<typeof ResetBody>;

export const ProjectBody = Type.Object(
  {
    project_id: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z_-]{1,64}$', description: 'default: 32 random hex digits' })),
    region: Type.String({ minLength: 1, maxLength: 64 }),
    users: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'existing users granted the project; default ["admin"]' })),
    hosts: Type.Optional(Type.Array(Type.Omit(HostFixture, ['project_id'], { additionalProperties: false }))),
    images: Type.Optional(Type.Array(Type.Omit(ImageFixture, ['project_id'], { additionalProperties: false }))),
  },
  { additionalProperties: false },
);
export type ProjectBody = Static<typeof ProjectBody>;


export const ImagesBody = Type.Object(
  { images: Type.Array(ImageFixture, { minItems: 1, description: 'added, or replaced when project_id + image_id exist' }) },
  { additionalProperties: false },
);
export type ImagesBody = Static<typeof ImagesBody>;

export const ImagesQuery = Type.Object({
  project_id: Type.Optional(id('only this project')),
  image_id: Type.Optional(id('only this image')),
});
export type ImagesQuery = Static<typeof ImagesQuery>;

/** What the inventory's page can be sorted by. */
export const IMAGE_SORTS = ['latest_update_time', 'image_name', 'image_version', 'scan_status', 'latest_scan_time', 'vul_num'] as const;

export const ImagePageQuery = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'only images whose name contains this (case-sensitive)' })),
  scan_status: Type.Optional(Type.Enum([...IMAGE_SCAN_STATUSES], { description: 'only images in this status now' })),
  sort: Type.Optional(Type.Enum([...IMAGE_SORTS], { description: 'default latest_update_time' })),
  order: Type.Optional(Type.Enum(['asc', 'desc'], { description: 'default desc for times and counts, asc for names and statuses' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'default 50' })),
});
export type ImagePageQuery = Static<typeof ImagePageQuery>;

/** The most finished scans the lane view shows; each project keeps at least this many (ScanRepository). */
export const LANE_VIEW_MAX = 1_000;

export const ProjectScansQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LANE_VIEW_MAX, description: 'scans in flight (soonest to change first) and recently done, each at most this many; default 200' })),
});
export type ProjectScansQuery = Static<typeof ProjectScansQuery>;

export const ScanScriptStep = Type.Object(
  {
    outcome: Type.Enum([...SCAN_OUTCOMES]),
    scan_failed_desc: Type.Optional(Type.Enum([...SCAN_FAILED_DESCS])),
    duration_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
    scan_result: Type.Optional(
      Type.Object(
        {
          vul_num: Type.Optional(Type.Integer({ minimum: 0 })),
          severity_level: Type.Optional(Type.Enum([...SEVERITY_LEVELS])),
          unsafe_setting_num: Type.Optional(Type.Integer({ minimum: 0 })),
          malicious_file_num: Type.Optional(Type.Integer({ minimum: 0 })),
          vulnerabilities: Type.Optional(VulnerabilityList),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ScriptBody = Type.Array(ScanScriptStep, { maxItems: 1000, description: 'replaces the queue; [] clears it' });
export type ScriptBody = Static<typeof ScriptBody>;
export const ScriptParams = Type.Object({ image_id: id('image ID') });
export const ScriptQuery = Type.Object({ project_id: Type.Optional(id('needed when the image id exists in several projects')) });

export const ClockBody = Type.Object(
  {
    mode: Type.Optional(Type.Enum(['system', 'manual'])),
    now: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0, maximum: MAX_INSTANT }), Type.String({ format: 'date-time', maxLength: 64 })], {
        description: 'ms or ISO-8601; never earlier, never after 9999-12-31T23:59:59.999Z',
      }),
    ),
    advance_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INSTANT })),
  },
  { additionalProperties: false },
);
export type ClockBody = Static<typeof ClockBody>;

export const ClockState = Type.Object({ mode: Type.String(), now: Type.Integer(), now_iso: Type.String() });

export const FaultBody = Type.Object(
  {
    operation: Type.Enum([...CLOUD_OPERATIONS]),
    project_id: Type.Optional(id("hit only this project's calls (HSS operations); default: every project's")),
    status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599 })),
    error_code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    error_msg: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    latency_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'chance of a hit per request; default 1' })),
    seed: Type.Optional(Type.Integer({ description: "seed of this rule's random draws; default 1" })),
    times: Type.Optional(Type.Integer({ minimum: 1, description: 'requests it hits before it is spent; default: until removed' })),
  },
  { additionalProperties: false },
);
export type FaultBody = Static<typeof FaultBody>;
export const FaultParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const FaultsQuery = Type.Object({
  project_id: Type.Optional(id("only this project's rules")),
});
export type FaultsQuery = Static<typeof FaultsQuery>;

export const RequestsQuery = Type.Object({
  project_id: Type.Optional(id("only calls to this project's routes")),
  operation: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
});
export type RequestsQuery = Static<typeof RequestsQuery>;
export const RequestsClearQuery = Type.Object({
  project_id: Type.Optional(id("forget only this project's calls")),
});

export const EventsQuery = Type.Object({
  project_id: Type.Optional(id('only this project')),
  last_event_id: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'replay events after this id (as the Last-Event-ID header does)' })),
});

export const StateQuery = Type.Object({
  include_secrets: Type.Optional(Type.Boolean({ description: 'true: access keys keep their SK (a full snapshot); default: SKs are left out, and an import keeps the existing ones' })),
});
