/**
 * The schema, one migration per version. `PRAGMA user_version` records how many have run;
 * a migration never changes once released — add the next one instead.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: world, inventory and scan plans */ `
  CREATE TABLE projects (
    project_id TEXT PRIMARY KEY,
    region     TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE enterprise_projects (
    enterprise_project_id TEXT PRIMARY KEY,
    name                  TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE domain (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    domain_id TEXT NOT NULL,
    name      TEXT NOT NULL
  );

  CREATE TABLE users (
    user_id       TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    -- JSON: "all" or an array of enterprise project ids
    enterprise_grant TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE user_projects (
    user_id    TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    project_id TEXT NOT NULL REFERENCES projects(project_id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, project_id)
  ) WITHOUT ROWID;

  CREATE TABLE access_keys (
    ak         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    sk         TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE hosts (
    host_pk      INTEGER PRIMARY KEY,
    project_id   TEXT NOT NULL REFERENCES projects(project_id) ON DELETE CASCADE,
    host_id      TEXT NOT NULL,
    host_name    TEXT NOT NULL,
    agent_id     TEXT NOT NULL,
    agent_status TEXT NOT NULL,
    version      TEXT NOT NULL,
    private_ip   TEXT NOT NULL,
    public_ip    TEXT NOT NULL,
    docker_name  TEXT NOT NULL,
    docker_type  TEXT NOT NULL,
    UNIQUE (project_id, host_id)
  );

  CREATE TABLE images (
    image_pk              INTEGER PRIMARY KEY,
    project_id            TEXT NOT NULL REFERENCES projects(project_id) ON DELETE CASCADE,
    enterprise_project_id TEXT NOT NULL,
    image_id              TEXT NOT NULL,
    image_name            TEXT NOT NULL,
    image_digest          TEXT NOT NULL,
    image_version         TEXT NOT NULL,
    local_image_type      TEXT NOT NULL,
    image_size            INTEGER NOT NULL,
    latest_update_time    INTEGER NOT NULL,
    non_scan_reason       TEXT NOT NULL DEFAULT '',
    -- the state as of the last materialisation (see scan-progress.ts)
    scan_status           TEXT NOT NULL DEFAULT 'unscan',
    latest_scan_time      INTEGER NOT NULL DEFAULT 0,
    scan_failed_desc      TEXT NOT NULL DEFAULT '',
    severity_level        TEXT NOT NULL DEFAULT '',
    vul_num               INTEGER NOT NULL DEFAULT 0,
    unsafe_setting_num    INTEGER NOT NULL DEFAULT 0,
    malicious_file_num    INTEGER NOT NULL DEFAULT 0,
    component_num         INTEGER NOT NULL DEFAULT 0,
    -- JSON ScanRule from the fixtures, or NULL: every scan succeeds
    scan_rule             TEXT,
    UNIQUE (project_id, image_id)
  );
  CREATE INDEX images_by_update ON images (project_id, latest_update_time DESC, image_id);
  CREATE INDEX images_by_digest ON images (project_id, image_digest);
  CREATE INDEX images_by_name ON images (project_id, image_name, image_version);
  CREATE INDEX images_by_status ON images (project_id, scan_status);
  CREATE INDEX images_by_size ON images (project_id, image_size);
  CREATE INDEX images_by_scan_time ON images (project_id, latest_scan_time);

  CREATE TABLE image_hosts (
    image_pk INTEGER NOT NULL REFERENCES images(image_pk) ON DELETE CASCADE,
    host_pk  INTEGER NOT NULL REFERENCES hosts(host_pk) ON DELETE CASCADE,
    PRIMARY KEY (image_pk, host_pk)
  ) WITHOUT ROWID;
  CREATE INDEX image_hosts_by_host ON image_hosts (host_pk);

  CREATE TABLE containers (
    container_pk   INTEGER PRIMARY KEY,
    image_pk       INTEGER NOT NULL REFERENCES images(image_pk) ON DELETE CASCADE,
    host_pk        INTEGER NOT NULL REFERENCES hosts(host_pk) ON DELETE CASCADE,
    container_id   TEXT NOT NULL,
    container_name TEXT NOT NULL,
    pod_id         TEXT NOT NULL,
    pod_name       TEXT NOT NULL,
    entry_point    TEXT NOT NULL
  );
  CREATE INDEX containers_by_image ON containers (image_pk, container_id);
  CREATE INDEX containers_by_id ON containers (container_id);
  CREATE INDEX containers_by_pod ON containers (pod_id);

  CREATE TABLE apps (
    app_pk      INTEGER PRIMARY KEY,
    image_pk    INTEGER NOT NULL REFERENCES images(image_pk) ON DELETE CASCADE,
    app_name    TEXT NOT NULL,
    app_type    TEXT NOT NULL,
    app_version TEXT NOT NULL,
    vul_num     INTEGER NOT NULL
  );
  CREATE INDEX apps_by_image ON apps (image_pk, app_name);

  -- One row per requested scan: its whole plan, fixed when requested.
  CREATE TABLE scans (
    scan_id          INTEGER PRIMARY KEY,
    image_pk         INTEGER NOT NULL REFERENCES images(image_pk) ON DELETE CASCADE,
    project_id       TEXT NOT NULL,
    lane             INTEGER NOT NULL,
    requested_at     INTEGER NOT NULL,
    start_at         INTEGER NOT NULL,
    end_at           INTEGER NOT NULL,
    outcome          TEXT NOT NULL,
    scan_failed_desc TEXT NOT NULL,
    result           TEXT NOT NULL,
    -- the phase last materialised into images, and when it next changes (NULL once done)
    phase            TEXT NOT NULL,
    next_change_at   INTEGER
  );
  -- Only unfinished scans are indexed, so finding what changed costs O(changes).
  CREATE INDEX scans_due ON scans (next_change_at) WHERE next_change_at IS NOT NULL;
  CREATE INDEX scans_in_flight ON scans (project_id, lane, end_at) WHERE next_change_at IS NOT NULL;
  CREATE INDEX scans_by_image ON scans (image_pk);  -- deleting an image cascades to its scans
  `,
  /* 2: IAM tokens (only their hashes) and AK lockouts */ `
  CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    project_id TEXT REFERENCES projects(project_id) ON DELETE CASCADE,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX tokens_by_project ON tokens (project_id);

  CREATE TABLE ak_failures (
    ak           TEXT PRIMARY KEY REFERENCES access_keys(ak) ON DELETE CASCADE,
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  `,
  /* 3: scripted scan outcomes, consumed one per scan */ `
  CREATE TABLE scan_scripts (
    image_pk INTEGER NOT NULL REFERENCES images(image_pk) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    step     TEXT NOT NULL,
    PRIMARY KEY (image_pk, seq)
  ) WITHOUT ROWID;
  `,
  /* 4: counting a project's images per enterprise project from the index alone (total_num) */ `
  CREATE INDEX images_by_scope ON images (project_id, enterprise_project_id, scan_status, latest_update_time);
  `,
  /* 5: the emulated clock's reading (a restart resumes it) and the replay buffer of scan events */ `
  CREATE TABLE emulator_clock (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    mode      TEXT NOT NULL,
    now       INTEGER NOT NULL,
    offset_ms INTEGER NOT NULL
  );

  -- The newest scan events (a bounded buffer), so a client that reconnects with
  -- Last-Event-ID misses nothing within it; ids go on across restarts.
  CREATE TABLE scan_events (
    event_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL,
    event      TEXT NOT NULL
  );

  -- the control plane's look-up of one image by id, in any project
  CREATE INDEX images_by_image_id ON images (image_id);
  `,
  /* 6: the list shows a download failure or an oversized image as failed (with its scan_failed_desc) */ `
  UPDATE images SET scan_status = 'failed' WHERE scan_status IN ('download_failed', 'image_oversized');
  `,
  /* 7: list pages and deep offsets off one index (the enterprise-project check included), substring search of names */ `
  CREATE INDEX images_by_update_ep ON images (project_id, latest_update_time DESC, image_id, enterprise_project_id);
  DROP INDEX images_by_update;
  -- a status filter's page in list order, straight off the index
  CREATE INDEX images_by_status_update ON images (project_id, scan_status, latest_update_time DESC, image_id, enterprise_project_id);
  DROP INDEX images_by_status;
  -- counts per scope come off the two indexes above (both hold the enterprise project), so
  -- this one only made every status change write one more index entry
  DROP INDEX images_by_scope;

  -- image_name substring search: a trigram index answers GLOB '*needle*' for needles of 3+ characters
  CREATE VIRTUAL TABLE images_name_search USING fts5(
    image_name, content = 'images', content_rowid = 'image_pk', tokenize = 'trigram case_sensitive 1'
  );
  INSERT INTO images_name_search (images_name_search) VALUES ('rebuild');
  CREATE TRIGGER images_name_search_insert AFTER INSERT ON images BEGIN
    INSERT INTO images_name_search (rowid, image_name) VALUES (new.image_pk, new.image_name);
  END;
  CREATE TRIGGER images_name_search_delete AFTER DELETE ON images BEGIN
    INSERT INTO images_name_search (images_name_search, rowid, image_name) VALUES ('delete', old.image_pk, old.image_name);
  END;
  CREATE TRIGGER images_name_search_update AFTER UPDATE OF image_name ON images BEGIN
    INSERT INTO images_name_search (images_name_search, rowid, image_name) VALUES ('delete', old.image_pk, old.image_name);
    INSERT INTO images_name_search (rowid, image_name) VALUES (new.image_pk, new.image_name);
  END;
  `,
  /* 8: the replay buffer also holds resets and imports of the world ('' as project_id: every project) */ `
  ALTER TABLE scan_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'scan';
  `,
  /* 9: the vulnerabilities the last successful scan listed explicitly (JSON; NULL: generated from the digest) */ `
  ALTER TABLE images ADD COLUMN vulnerabilities TEXT;
  `,
];
