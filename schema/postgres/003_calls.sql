-- Calls: a CDR per customer call, per-agent daily statistics (seed 000), and the agent
-- options call control needs.

-- Record this agent's calls (besides the queues that record theirs).
ALTER TABLE agents ADD COLUMN record_calls INTEGER NOT NULL DEFAULT 0 CHECK (record_calls IN (0, 1));
-- The agent's phone answers when told to (SIP NOTIFY talk): the `answer` command works for it.
ALTER TABLE agents ADD COLUMN cti_answer INTEGER NOT NULL DEFAULT 0 CHECK (cti_answer IN (0, 1));

-- One row per call, written when it ends. The fields of the seed 003 `cdr` push and the
-- seed 001 `cc_cdr` event. call_id is the relation_uuid agents saw: a resync can never
-- write a second row for a call.
CREATE TABLE cdr (
  call_id               TEXT PRIMARY KEY,
  account_id            TEXT NOT NULL,
  -- incoming, dialout, internal, check
  call_type             TEXT NOT NULL,
  -- ANSWER, QUEUE_ABANDON, AGENT_NO_ANSWER, CUSTOMER_NO_ANSWER, CALL_TRANSFER, IVR
  status                TEXT NOT NULL,
  -- Where the customer was when it ended (cc_cdr cdrState): bridged, queue, ivr, feedback, setup
  cdr_state             TEXT NOT NULL,
  customer_number       TEXT,
  customer_number_type  TEXT,
  customer_area_code    TEXT,
  customer_area_name    TEXT,
  display_number        TEXT,
  trunk_number          TEXT,
  access_number_name    TEXT,
  agent_id              TEXT,
  agent_name            TEXT,
  agent_exten           TEXT,
  -- Every agent that served the call, comma-separated, in order.
  agents                TEXT,
  queue_num             TEXT,
  queue_name            TEXT,
  ivr_num               TEXT,
  ivr_name              TEXT,
  ivr_dtmf              TEXT,
  start_time            BIGINT NOT NULL,
  agent_start_time      BIGINT,
  agent_ring_time       BIGINT,
  agent_answer_time     BIGINT,
  customer_start_time   BIGINT,
  customer_ring_time    BIGINT,
  customer_answer_time  BIGINT,
  join_queue_time       BIGINT,
  leave_queue_time      BIGINT,
  bridge_time           BIGINT,
  ivr_time              BIGINT,
  satisfy_start_time    BIGINT,
  satisfy_end_time      BIGINT,
  hangup_time           BIGINT NOT NULL,
  end_time              BIGINT NOT NULL,
  ring_seconds          INTEGER,
  customer_ring_seconds INTEGER,
  queue_seconds         INTEGER,
  bridge_seconds        INTEGER,
  hold_seconds          INTEGER,
  satisfy_seconds       INTEGER,
  total_seconds         INTEGER NOT NULL,
  -- customer, agent, system
  hangup_side           TEXT,
  hangup_cause          TEXT,
  failure_reason        TEXT,
  record_file           TEXT,
  score                 TEXT,
  relative_call_id      TEXT,
  customer_foreign_id   TEXT,
  gateway               TEXT,
  node                  TEXT,
  created_at            BIGINT NOT NULL
);
CREATE INDEX cdr_by_time ON cdr (account_id, start_time);
CREATE INDEX cdr_by_agent ON cdr (agent_id, start_time);

-- Per agent per day (in the configured time zone): the 18 fields of seed 000. Times are
-- seconds. Written as things happen.
CREATE TABLE agent_daily_stats (
  day             TEXT NOT NULL,
  agent_id        TEXT NOT NULL,
  account_id      TEXT NOT NULL,
  talktime        INTEGER NOT NULL DEFAULT 0,
  answernums      INTEGER NOT NULL DEFAULT 0,
  noanswernums    INTEGER NOT NULL DEFAULT 0,
  calloutnums     INTEGER NOT NULL DEFAULT 0,
  intercallnums   INTEGER NOT NULL DEFAULT 0,
  interhelpnums   INTEGER NOT NULL DEFAULT 0,
  transfernums    INTEGER NOT NULL DEFAULT 0,
  transferoutnums INTEGER NOT NULL DEFAULT 0,
  transferivrnums INTEGER NOT NULL DEFAULT 0,
  redirectnums    INTEGER NOT NULL DEFAULT 0,
  keepnums        INTEGER NOT NULL DEFAULT 0,
  busynums        INTEGER NOT NULL DEFAULT 0,
  restnums        INTEGER NOT NULL DEFAULT 0,
  restoutnums     INTEGER NOT NULL DEFAULT 0,
  resttime        INTEGER NOT NULL DEFAULT 0,
  restouttime     INTEGER NOT NULL DEFAULT 0,
  agentrelease    INTEGER NOT NULL DEFAULT 0,
  busytime        INTEGER NOT NULL DEFAULT 0,
  updated_at      BIGINT NOT NULL,
  PRIMARY KEY (day, agent_id)
);
