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

  constructor(db: Db) {
    this.#project = db.prepare('SELECT project_id, region FROM projects WHERE project_id = ?');
    this.#enterpriseProjects = db.prepare('SELECT enterprise_project_id FROM enterprise_projects ORDER BY 1').pluck();
    this.#isEmpty = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM projects) AND NOT EXISTS (SELECT 1 FROM domain)').pluck();
    this.#setDomain = db.prepare('INSERT OR REPLACE INTO domain (singleton, domain_id, name) VALUES (1, ?, ?)');
    this.#addProject = db.prepare('INSERT INTO projects (project_id, region) VALUES (:project_id, :region)');
    this.#addEnterpriseProject = db.prepare('INSERT INTO enterprise_projects (enterprise_project_id, name) VALUES (?, ?)');
    this.#addUser = db.prepare('INSERT INTO users (user_id, name, password_hash, enterprise_grant) VALUES (?, ?, ?, ?)');
    this.#grantProject = db.prepare('INSERT INTO user_projects (user_id, project_id) VALUES (?, ?)');
    this.#addKey = db.prepare('INSERT INTO access_keys (ak, user_id, sk) VALUES (?, ?, ?)');
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
    return this.#project.get(projectId) as ProjectRow | undefined;
  }

  enterpriseProjectIds(): string[] {
    return this.#enterpriseProjects.all() as string[];
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

  addHost(host: NewHost): number {
    return Number(this.#addHost.run(host).lastInsertRowid);
  }
}
