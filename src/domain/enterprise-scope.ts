/**
 * Which enterprise projects a request reaches, as HSS decides from `enterprise_project_id`:
 * omitted means the default project "0", `all_granted_eps` means every one the caller is
 * granted, and an explicit id must be one the caller is granted.
 */

export const DEFAULT_ENTERPRISE_PROJECT = '0';
export const ALL_GRANTED_EPS = 'all_granted_eps';

export type EnterpriseGrant = 'all' | readonly string[];

export type ScopeResolution = { ok: true; enterpriseProjects: string[] } | { ok: false; requested: string };

export function resolveEnterpriseScope(
  requested: string | undefined,
  grant: EnterpriseGrant,
  existing: readonly string[],
): ScopeResolution {
  const granted = grant === 'all' ? [...existing] : existing.filter((id) => grant.includes(id));
  if (requested === ALL_GRANTED_EPS) return { ok: true, enterpriseProjects: granted };
  const wanted = requested ?? DEFAULT_ENTERPRISE_PROJECT;
  return granted.includes(wanted) ? { ok: true, enterpriseProjects: [wanted] } : { ok: false, requested: wanted };
}
