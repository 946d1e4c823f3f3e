-- What agents did: the operation log (read by exports and statistics), leave
-- applications and the group thresholds that limit them.

-- Every sign-in, sign-out, state change, kick, resume … with who caused it.
CREATE TABLE agent_operation_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  TEXT NOT NULL,
  agent_id    TEXT NOT NULL,
  operation   TEXT NOT NULL,
  old_status  INTEGER,
  new_status  INTEGER,
  -- The agent ID that caused it, or 'system'.
  caused_by   TEXT NOT NULL,
  reason      TEXT,
  -- The other party when there is one: a dialled number, a target agent.
  target      TEXT,
  exten       TEXT,
  remote      TEXT,
  at          INTEGER NOT NULL
);
CREATE INDEX agent_operation_log_by_agent ON agent_operation_log (agent_id, at);
CREATE INDEX agent_operation_log_by_time ON agent_operation_log (at);

CREATE TABLE leave_applications (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id    TEXT NOT NULL,
  agent_id      TEXT NOT NULL,
  group_id      TEXT NOT NULL,
  target_status INTEGER NOT NULL,
  -- pending → approved → active → ended; or rejected, cancelled, expired, lapsed.
  state         TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'active', 'ended', 'rejected', 'cancelled', 'expired', 'lapsed')),
  apply_type    INTEGER NOT NULL DEFAULT 1,
  applied_at    INTEGER NOT NULL,
  decided_at    INTEGER,
  decided_by    TEXT,
  ended_at      INTEGER
);
CREATE INDEX leave_applications_by_agent ON leave_applications (agent_id, applied_at);
CREATE INDEX leave_applications_open ON leave_applications (state) WHERE state IN ('pending', 'approved', 'active');

-- How many agents of a group may be in (or have applied for) a status at once.
CREATE TABLE group_status_thresholds (
  group_id TEXT NOT NULL REFERENCES agent_groups (group_id) ON DELETE CASCADE,
  status   INTEGER NOT NULL,
  max_num  INTEGER NOT NULL CHECK (max_num >= 0),
  PRIMARY KEY (group_id, status)
);
