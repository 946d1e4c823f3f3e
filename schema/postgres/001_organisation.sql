-- The organisation: tenants, agents, groups, roles and rights, statuses, queues, IVRs,
-- access numbers, agents' favourite web sites. Loaded by `polylink import`.

CREATE TABLE tenants (
  account_id TEXT PRIMARY KEY CHECK (account_id ~ '^[0-9A-Za-z]' AND length(account_id) BETWEEN 1 AND 20),
  name       TEXT NOT NULL
);

-- The rights a role can hold; the catalogue is fixed by the code (src/core/rights.ts)
-- and written by the import, so a role can only name rights the server knows.
CREATE TABLE rights (
  code    TEXT PRIMARY KEY,
  name_en TEXT NOT NULL,
  name_zh TEXT NOT NULL
);

CREATE TABLE roles (
  role_id            TEXT PRIMARY KEY,
  account_id         TEXT NOT NULL REFERENCES tenants (account_id),
  name               TEXT NOT NULL,
  -- A supervisor role sees the agents of the groups it monitors (all of them when set).
  monitor_all_groups INTEGER NOT NULL DEFAULT 0 CHECK (monitor_all_groups IN (0, 1))
);

CREATE TABLE role_rights (
  role_id    TEXT NOT NULL REFERENCES roles (role_id) ON DELETE CASCADE,
  right_code TEXT NOT NULL REFERENCES rights (code),
  PRIMARY KEY (role_id, right_code)
);

CREATE TABLE agent_groups (
  group_id   TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES tenants (account_id),
  name       TEXT NOT NULL,
  UNIQUE (account_id, name)
);

CREATE TABLE role_monitored_groups (
  role_id  TEXT NOT NULL REFERENCES roles (role_id) ON DELETE CASCADE,
  group_id TEXT NOT NULL REFERENCES agent_groups (group_id) ON DELETE CASCADE,
  PRIMARY KEY (role_id, group_id)
);

CREATE TABLE agents (
  -- Seed 000: an agent ID is 101 … 999999. (A pattern rather than SQLite's CAST: PostgreSQL's
  -- cast raises on a non-number instead of failing the check.)
  agent_id            TEXT PRIMARY KEY CHECK (agent_id ~ '^[1-9][0-9]{2,5}$' AND agent_id <> '100'),
  account_id          TEXT NOT NULL REFERENCES tenants (account_id),
  name                TEXT NOT NULL,
  -- scrypt$N$r$p$salt$hash (src/store/password.ts)
  password_hash       TEXT NOT NULL,
  role_id             TEXT NOT NULL REFERENCES roles (role_id),
  group_id            TEXT REFERENCES agent_groups (group_id) ON DELETE SET NULL,
  enabled             INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  default_exten       TEXT,
  -- AgentStateAfterHangup: the state after a customer call instead of ACW (NULL: ACW).
  after_hangup_status INTEGER,
  wrap_up_seconds     INTEGER NOT NULL DEFAULT 15 CHECK (wrap_up_seconds >= 0),
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL
);
CREATE INDEX agents_by_group ON agents (group_id);

-- Not-ready statuses of a deployment, numbered from 100. `kind` says how statistics count
-- time spent in them: busy (示忙) or rest (请假).
CREATE TABLE custom_statuses (
  account_id TEXT NOT NULL REFERENCES tenants (account_id),
  status     INTEGER NOT NULL CHECK (status BETWEEN 100 AND 998),
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('busy', 'rest')),
  PRIMARY KEY (account_id, status)
);

CREATE TABLE queues (
  queue_num            TEXT PRIMARY KEY,
  account_id           TEXT NOT NULL REFERENCES tenants (account_id),
  name                 TEXT NOT NULL,
  strategy             TEXT NOT NULL DEFAULT 'longest-idle',
  max_wait_seconds     INTEGER NOT NULL DEFAULT 300,
  max_length           INTEGER NOT NULL DEFAULT 50,
  -- What happens at timeout / with no agent signed in: voicemail, queue, ivr, number, hangup.
  timeout_action       TEXT NOT NULL DEFAULT 'hangup',
  timeout_target       TEXT,
  no_agent_action      TEXT NOT NULL DEFAULT 'wait',
  no_agent_target      TEXT,
  music_on_hold        TEXT NOT NULL DEFAULT 'local_stream://moh',
  announce_position    INTEGER NOT NULL DEFAULT 0 CHECK (announce_position IN (0, 1)),
  wrap_up_seconds      INTEGER CHECK (wrap_up_seconds >= 0),
  ring_timeout_seconds INTEGER NOT NULL DEFAULT 20 CHECK (ring_timeout_seconds > 0),
  record               INTEGER NOT NULL DEFAULT 0 CHECK (record IN (0, 1))
);

-- Membership with skill tiers: lower `level` is tried first; `penalty` orders within a level.
CREATE TABLE queue_members (
  queue_num TEXT NOT NULL REFERENCES queues (queue_num) ON DELETE CASCADE,
  agent_id  TEXT NOT NULL REFERENCES agents (agent_id) ON DELETE CASCADE,
  level     INTEGER NOT NULL DEFAULT 1,
  penalty   INTEGER NOT NULL DEFAULT 0,
  position  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (queue_num, agent_id)
);
CREATE INDEX queue_members_by_agent ON queue_members (agent_id);

CREATE TABLE ivrs (
  ivr_num    TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES tenants (account_id),
  name       TEXT NOT NULL
);

CREATE TABLE ivr_profiles (
  profile_num TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES tenants (account_id),
  name        TEXT NOT NULL
);

CREATE TABLE access_numbers (
  number        TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL REFERENCES tenants (account_id),
  name          TEXT NOT NULL,
  is_default    INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  default_queue TEXT REFERENCES queues (queue_num) ON DELETE SET NULL,
  -- The gateway outbound calls shown with this number leave through.
  gateway       TEXT
);
-- At most one default access number per tenant.
CREATE UNIQUE INDEX access_numbers_one_default ON access_numbers (account_id) WHERE is_default = 1;

CREATE TABLE agent_websites (
  agent_id TEXT NOT NULL REFERENCES agents (agent_id) ON DELETE CASCADE,
  name     TEXT NOT NULL,
  url      TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (agent_id, name)
);
