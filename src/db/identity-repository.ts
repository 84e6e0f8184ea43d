/** SQL for identities: users and their grants, access keys, issued tokens, AK lockouts. */
import type { Db } from './database.js';
import { AkFailureVersion, IdentityVersion, VersionedCache, type TableVersion } from './write-version.js';
import type { EnterpriseGrant } from '../domain/enterprise-scope.js';

export interface UserRecord {
  user_id: string;
  name: string;
  password_hash: string;
  enterprise_grant: EnterpriseGrant;
  projects: string[];
}

export interface DomainRecord {
  domain_id: string;
  name: string;
}

export interface TokenRecord {
  user_id: string;
  project_id: string | null;
  issued_at: number;
  expires_at: number;
}

export interface AkState {
  failures: number;
  locked_until: number;
}

const NO_FAILURES: Readonly<AkState> = Object.freeze({ failures: 0, locked_until: 0 });

interface UserRow {
  user_id: string;
  name: string;
  password_hash: string;
  enterprise_grant: string;
}

export class IdentityRepository {
  readonly #domain;
  readonly #userByName;
  readonly #userById;
  readonly #userProjects;
  readonly #accessKey;
  readonly #addToken;
  readonly #token;
  readonly #akState;
  readonly #setAkState;
  readonly #clearAkState;
  readonly #version: TableVersion;
  readonly #akFailureVersion: TableVersion;
  // the look-ups every authenticated request makes, answered from memory until an identity changes
  readonly #tokens = new VersionedCache<TokenRecord | undefined>(10_000);
  readonly #users = new VersionedCache<UserRecord | undefined>(1_000);
  readonly #keys = new VersionedCache<{ user_id: string; sk: string } | undefined>(1_000);
  /** only keys that exist are asked about, so this holds no more than #keys does */
  readonly #akStates = new VersionedCache<AkState>(1_000);

  constructor(db: Db) {
    this.#version = IdentityVersion.of(db);
    this.#akFailureVersion = AkFailureVersion.of(db);
    this.#domain = db.prepare<[], DomainRecord>('SELECT domain_id, name FROM domain WHERE singleton = 1');
    this.#userByName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?');
    this.#userById = db.prepare<[string], UserRow>('SELECT * FROM users WHERE user_id = ?');
    this.#userProjects = db.prepare<[string], string>('SELECT project_id FROM user_projects WHERE user_id = ? ORDER BY project_id').pluck();
    this.#accessKey = db.prepare<[string], { user_id: string; sk: string }>('SELECT user_id, sk FROM access_keys WHERE ak = ?');
    this.#addToken = db.prepare(`INSERT INTO tokens (token_hash, user_id, project_id, issued_at, expires_at)
                                 VALUES (:token_hash, :user_id, :project_id, :issued_at, :expires_at)`);
    this.#token = db.prepare<[string], TokenRecord>('SELECT user_id, project_id, issued_at, expires_at FROM tokens WHERE token_hash = ?');
    this.#akState = db.prepare<[string], AkState>('SELECT failures, locked_until FROM ak_failures WHERE ak = ?');
    this.#setAkState = db.prepare(`INSERT INTO ak_failures (ak, failures, locked_until) VALUES (?, ?, ?)
                                   ON CONFLICT (ak) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`);
    this.#clearAkState = db.prepare('DELETE FROM ak_failures WHERE ak = ?');
  }

  domain(): DomainRecord | undefined {
    return this.#domain.get();
  }

  userByName(name: string): UserRecord | undefined {
    return this.#withGrants(this.#userByName.get(name));
  }

  userById(userId: string): UserRecord | undefined {
    return this.#users.get(this.#version.current(), userId, () => this.#withGrants(this.#userById.get(userId)));
  }

  #withGrants(row: UserRow | undefined): UserRecord | undefined {
    if (!row) return undefined;
    return {
      ...row,
      enterprise_grant: JSON.parse(row.enterprise_grant) as EnterpriseGrant,
      projects: this.#userProjects.all(row.user_id),
    };
  }

  accessKey(ak: string): { user_id: string; sk: string } | undefined {
    return this.#keys.get(this.#version.current(), ak, () => this.#accessKey.get(ak));
  }

  addToken(tokenHash: string, token: TokenRecord): void {
    this.#addToken.run({ token_hash: tokenHash, ...token });
  }

  token(tokenHash: string): TokenRecord | undefined {
    return this.#tokens.get(this.#version.current(), tokenHash, () => this.#token.get(tokenHash));
  }

  akState(ak: string): Readonly<AkState> {
    return this.#akStates.get(this.#akFailureVersion.current(), ak, () => this.#akState.get(ak) ?? NO_FAILURES);
  }

  setAkState(ak: string, state: AkState): void {
    if (state.failures === 0 && state.locked_until === 0) this.#clearAkState.run(ak);
    else this.#setAkState.run(ak, state.failures, state.locked_until);
  }
}
