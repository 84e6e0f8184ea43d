/** SQL for the account: domain, projects, enterprise projects, users, keys, hosts. */
import type { Db } from './database.js';
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
  readonly #db: Db;
  readonly #project;
  readonly #enterpriseProjects;
  readonly #isEmpty;

  constructor(db: Db) {
    this.#db = db;
    this.#project = db.prepare('SELECT project_id, region FROM projects WHERE project_id = ?');
    this.#enterpriseProjects = db.prepare('SELECT enterprise_project_id FROM enterprise_projects ORDER BY 1').pluck();
    this.#isEmpty = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM projects) AND NOT EXISTS (SELECT 1 FROM domain)').pluck();
  }

  isEmpty(): boolean {
    return this.#isEmpty.get() === 1;
  }

  project(projectId: string): ProjectRow | undefined {
    return this.#project.get(projectId) as ProjectRow | undefined;
  }

  enterpriseProjectIds(): string[] {
    return this.#enterpriseProjects.all() as string[];
  }

  setDomain(domainId: string, name: string): void {
    this.#db.prepare('INSERT OR REPLACE INTO domain (singleton, domain_id, name) VALUES (1, ?, ?)').run(domainId, name);
  }

  addProject(project: ProjectRow): void {
    this.#db.prepare('INSERT INTO projects (project_id, region) VALUES (:project_id, :region)').run(project);
  }

  addEnterpriseProject(id: string, name: string): void {
    this.#db.prepare('INSERT INTO enterprise_projects (enterprise_project_id, name) VALUES (?, ?)').run(id, name);
  }

  addUser(user: NewUser): void {
    this.#db
      .prepare('INSERT INTO users (user_id, name, password_hash, enterprise_grant) VALUES (?, ?, ?, ?)')
      .run(user.user_id, user.name, user.password_hash, JSON.stringify(user.enterprise_grant));
    const grant = this.#db.prepare('INSERT INTO user_projects (user_id, project_id) VALUES (?, ?)');
    for (const projectId of user.projects) grant.run(user.user_id, projectId);
    const key = this.#db.prepare('INSERT INTO access_keys (ak, user_id, sk) VALUES (?, ?, ?)');
    for (const { ak, sk } of user.access_keys) key.run(ak, user.user_id, sk);
  }

  addHost(host: NewHost): number {
    return Number(
      this.#db
        .prepare(`INSERT INTO hosts (project_id, host_id, host_name, agent_id, agent_status, version,
                    private_ip, public_ip, docker_name, docker_type)
                  VALUES (:project_id, :host_id, :host_name, :agent_id, :agent_status, :version,
                    :private_ip, :public_ip, :docker_name, :docker_type)`)
        .run(host).lastInsertRowid,
    );
  }
}
