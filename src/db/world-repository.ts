/** SQL for the account: domain, projects, enterprise projects, users, keys, hosts. */
import type { Db } from './database.js';
import { IdentityVersion, VersionedCache, type TableVersion } from './write-version.js';
import type { EnterpriseGrant } from '../domain/enterprise-scope.js';

export interface ProjectRow {
  project_id: string;
  region: string;
}

export interface NewUser {
  user_id: string;
  name: string;
  password_hash: string;
  enterprise_grant: EnterpriseGrant;
  projects: readonly string[];
  access_keys: readonly { ak: string; sk: string }[];
}

export interface NewHost {
  project_id: string;
  host_id: string;
  host_name: string;
  agent_id: string;
  agent_status: string;
  version: string;
  private_ip: string;
  public_ip: string;
  docker_name: string;
  docker_type: string;
}

export class WorldRepository {
  readonly #project;
  readonly #enterpriseProjects;
  readonly #isEmpty;
  readonly #setDomain;
  readonly #addProject;
  readonly #addEnterpriseProject;
  readonly #addUser;
  readonly #grantProject;
  readonly #addKey;
  readonly #addHost;
  readonly #grantOnce;
  readonly #hostPks;
  readonly #projects;
  readonly #removeProject;
  readonly #userId;
  readonly #projectRows;
  readonly #version: TableVersion;
  // looked up by every cloud request: answered from memory until a project changes
  readonly #projectCache = new VersionedCache<ProjectRow | undefined>(1_000);
  readonly #enterpriseProjectIds = new VersionedCache<string[]>(1);

  constructor(db: Db) {
    this.#version = IdentityVersion.of(db);
    this.#projectRows = db.prepare<[], ProjectRow>('SELECT project_id, region FROM projects ORDER BY project_id');
    this.#project = db.prepare<[string], ProjectRow>('SELECT project_id, region FROM projects WHERE project_id = ?');
    this.#enterpriseProjects = db.prepare<[], string>('SELECT enterprise_project_id FROM enterprise_projects ORDER BY 1').pluck();
    this.#isEmpty = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM projects) AND NOT EXISTS (SELECT 1 FROM domain)').pluck();
    this.#setDomain = db.prepare('INSERT OR REPLACE INTO domain (singleton, domain_id, name) VALUES (1, ?, ?)');
    this.#addProject = db.prepare('INSERT INTO projects (project_id, region) VALUES (:project_id, :region)');
    this.#addEnterpriseProject = db.prepare('INSERT INTO enterprise_projects (enterprise_project_id, name) VALUES (?, ?)');
    this.#addUser = db.prepare('INSERT INTO users (user_id, name, password_hash, enterprise_grant) VALUES (?, ?, ?, ?)');
    this.#grantProject = db.prepare('INSERT INTO user_projects (user_id, project_id) VALUES (?, ?)');
    this.#addKey = db.prepare('INSERT INTO access_keys (ak, user_id, sk) VALUES (?, ?, ?)');
    this.#grantOnce = db.prepare('INSERT OR IGNORE INTO user_projects (user_id, project_id) SELECT user_id, ? FROM users WHERE user_id = ?');
    this.#hostPks = db.prepare<[string], { host_id: string; host_pk: number }>('SELECT host_id, host_pk FROM hosts WHERE project_id = ?');
    this.#projects = db.prepare<[], { project_id: string; region: string; users: string; images: number }>(`
      SELECT p.project_id, p.region,
        (SELECT json_group_array(u.name) FROM user_projects up JOIN users u ON u.user_id = up.user_id WHERE up.project_id = p.project_id) AS users,
        (SELECT count(*) FROM images i WHERE i.project_id = p.project_id) AS images
      FROM projects p ORDER BY p.project_id`);
    this.#removeProject = db.prepare('DELETE FROM projects WHERE project_id = ?');
    this.#userId = db.prepare<[string], string>('SELECT user_id FROM users WHERE name = ?').pluck();
    this.#addHost = db.prepare(`
      INSERT INTO hosts (project_id, host_id, host_name, agent_id, agent_status, version,
        private_ip, public_ip, docker_name, docker_type)
      VALUES (:project_id, :host_id, :host_name, :agent_id, :agent_status, :version,
        :private_ip, :public_ip, :docker_name, :docker_type)`);
  }

  isEmpty(): boolean {
    return this.#isEmpty.get() === 1;
  }

  project(projectId: string): ProjectRow | undefined {
    return this.#projectCache.get(this.#version.current(), projectId, () => this.#project.get(projectId));
  }

  /** Every project of the account, by id. */
  projectRows(): ProjectRow[] {
    return this.#projectRows.all();
  }

  enterpriseProjectIds(): string[] {
    return this.#enterpriseProjectIds.get(this.#version.current(), 'all', () => this.#enterpriseProjects.all());
  }

  setDomain(domainId: string, name: string): void {
    this.#setDomain.run(domainId, name);
  }

  addProject(project: ProjectRow): void {
    this.#addProject.run(project);
  }

  addEnterpriseProject(id: string, name: string): void {
    this.#addEnterpriseProject.run(id, name);
  }

  addUser(user: NewUser): void {
    this.#addUser.run(user.user_id, user.name, user.password_hash, JSON.stringify(user.enterprise_grant));
    for (const projectId of user.projects) this.#grantProject.run(user.user_id, projectId);
    for (const { ak, sk } of user.access_keys) this.#addKey.run(ak, user.user_id, sk);
  }

  /** Grants an existing user a project; a no-op for an unknown user or an existing grant. */
  grantProject(userId: string, projectId: string): void {
    this.#grantOnce.run(projectId, userId);
  }

  userId(name: string): string | undefined {
    return this.#userId.get(name);
  }

  /** The project's hosts: host id → row. */
  hostPks(projectId: string): Map<string, number> {
    const rows = this.#hostPks.all(projectId);
    return new Map(rows.map((r) => [r.host_id, r.host_pk]));
  }

  projects(): { project_id: string; region: string; users: string[]; images: number }[] {
    return this.#projects.all().map((p) => ({
      ...p,
      users: (JSON.parse(p.users) as string[]).sort(),
    }));
  }

  /** Removes a project with everything in it (images, hosts, scans, tokens, grants). */
  removeProject(projectId: string): boolean {
    return this.#removeProject.run(projectId).changes > 0;
  }

  addHost(host: NewHost): number {
    return Number(this.#addHost.run(host).lastInsertRowid);
  }
}
