/**
 * ListImageVulnerabilities — GET /v5/{project_id}/image/{image_id}/vulnerabilities: what a scan
 * of one image found (hss-api.md §9; the SDK models ListImageVulnerabilitiesRequest/Response and
 * ImageVulInfo). And the vulnerability a fixture or a scripted scan lists explicitly.
 */
import { Type, type Static } from 'typebox';
import { EnterpriseProjectQuery, PagingQuery, ProjectParams, listResponse } from './common.js';
import { REPAIR_NECESSITIES, VUL_TYPES } from './vocabulary.js';

/** The image types of the request model: local images, and the registries' (which the emulator does not hold). */
export const VULNERABILITY_IMAGE_TYPES = ['local_image', 'private_image', 'shared_image', 'instance_image', 'cicd', 'harbor', 'jfrog'] as const;

// The model's required strings may be empty (the Go SDK sends a required field it was not given as "").
const anyText = (maxLength: number, description: string) => Type.String({ maxLength, description });
const optionalAnyText = (maxLength: number, description: string) => Type.Optional(anyText(maxLength, description));

export const ListImageVulnerabilitiesQuery = Type.Object({
  ...EnterpriseProjectQuery,
  ...PagingQuery,
  image_type: Type.Enum([...VULNERABILITY_IMAGE_TYPES], { description: 'local_image for the images on hosts; the registry types hold no images here' }),
  instance_id: optionalAnyText(128, 'SWR enterprise instance (registry images only)'),
  namespace: anyText(64, 'organization (registry images); required by the model, not used for local_image'),
  image_name: anyText(128, "the image's name; when not empty it must be the image's"),
  tag_name: anyText(64, "the image's version; when not empty it must be the image's"),
  repair_necessity: Type.Optional(Type.Enum([...REPAIR_NECESSITIES])),
  vul_id: optionalAnyText(128, 'substring of the vulnerability ID'),
  app_name: optionalAnyText(64, 'exact software name'),
  type: Type.Optional(Type.Enum([...VUL_TYPES])),
  handle_status: Type.Optional(Type.Enum(['unhandled', 'handled'], { description: 'local-image findings are never handled: handled lists none' })),
});
export type ListImageVulnerabilitiesQuery = Static<typeof ListImageVulnerabilitiesQuery>;

export const ImageVulnerabilityParams = Type.Object({
  ...ProjectParams.properties,
  image_id: Type.String({ minLength: 1, maxLength: 128, description: 'image ID' }),
});

export const ImageVulInfo = Type.Object(
  {
    vul_id: Type.String({ description: 'e.g. CVE-2024-12345' }),
    repair_necessity: Type.Enum([...REPAIR_NECESSITIES]),
    description: Type.String(),
    position: Type.String({ description: 'the image layer it is in' }),
    app_name: Type.String({ description: 'the software, one of the image’s apps' }),
    app_path: Type.Optional(Type.String({ description: 'where the application is (application vulnerabilities only)' })),
    version: Type.String({ description: 'the software version it is in' }),
    solution: Type.String(),
    url: Type.String(),
  },
  { $id: 'ImageVulInfo' },
);
export type ImageVulInfo = Static<typeof ImageVulInfo>;
export const ListImageVulnerabilitiesResponse = listResponse(ImageVulInfo);

/** A vulnerability as a fixture or a scripted scan lists it: what is left out is derived. */
export const VulnerabilityFixture = Type.Object(
  {
    vul_id: Type.String({ minLength: 1, maxLength: 128, description: 'e.g. CVE-2024-3094' }),
    app_name: Type.String({ minLength: 1, maxLength: 256, description: 'one of the image’s apps' }),
    repair_necessity: Type.Enum([...REPAIR_NECESSITIES]),
    version: Type.Optional(Type.String({ maxLength: 128, description: 'default: the app’s version' })),
    fixed_version: Type.Optional(Type.String({ maxLength: 128 })),
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    solution: Type.Optional(Type.String({ maxLength: 1024, description: 'default: upgrade to fixed_version' })),
    url: Type.Optional(Type.String({ maxLength: 512 })),
    type: Type.Optional(Type.Enum([...VUL_TYPES], { description: 'default: from the app’s app_type' })),
    app_path: Type.Optional(Type.String({ maxLength: 512 })),
    position: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type VulnerabilityFixture = Static<typeof VulnerabilityFixture>;
export const VulnerabilityList = Type.Array(VulnerabilityFixture, { maxItems: 10_000 });
