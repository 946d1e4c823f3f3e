-- Webhooks (seeds 001 and 003) delivered through an outbox, and seed 004's export jobs.

-- Push targets: seeded from the config file (webhooks.targets) when their id was never
-- stored, managed at run time through the admin API. A removed target keeps its row
-- (removed = 1) so that the config does not bring it back at the next start.
CREATE TABLE webhook_targets (
  id         TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  url        TEXT NOT NULL,
  format     TEXT NOT NULL CHECK (format IN ('seed001', 'seed003')),
  -- JSON: "all" or a list of event names of the format.
  events     TEXT NOT NULL,
  secret     TEXT NOT NULL,
  timeout_ms INTEGER NOT NULL CHECK (timeout_ms > 0),
  removed    INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Pushes waiting to be delivered, written in the transaction of the fact they report,
-- one row per target (lane). A delivered push is deleted; one that failed too often or
-- for too long stays as dead until it is sent again or pushed out by newer dead ones.
-- AUTOINCREMENT: ids are never reused, so a lane's order is its ids' order.
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  -- A target id, or export:<responseId> for a seed 004 callback.
  lane        TEXT NOT NULL,
  event       TEXT NOT NULL,
  -- seed 003 eventUniqueId: the same however often the push is sent.
  event_id    TEXT NOT NULL,
  -- Where a callback goes (a target's pushes go to the target's URL of the moment).
  url         TEXT,
  -- How a callback is signed: auth-v2:<ak> (seed 004); NULL: the target's secret.
  auth        TEXT,
  body        TEXT NOT NULL,
  -- When the fact happened, and when the row was written (ms since the epoch).
  fact_at     INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  dead_at     INTEGER
);
CREATE INDEX outbox_pending ON outbox (lane, id) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox (lane, id) WHERE state = 'dead';

-- Seed 004: agent operation details exports, built in the background into a zip file.
CREATE TABLE export_jobs (
  response_id  TEXT PRIMARY KEY,
  -- The app (ak) that asked: only it may fetch the file.
  app_key      TEXT NOT NULL,
  account_id   TEXT,
  agent_id     TEXT,
  begin_at     INTEGER NOT NULL,
  end_at       INTEGER NOT NULL,
  callback_url TEXT NOT NULL,
  file_name    TEXT NOT NULL,
  -- building → ready (file written, callback queued) or failed; removed after the retention.
  state        TEXT NOT NULL CHECK (state IN ('building', 'ready', 'failed', 'removed')),
  rows         INTEGER,
  error        TEXT,
  created_at   INTEGER NOT NULL,
  finished_at  INTEGER
);
CREATE INDEX export_jobs_by_state ON export_jobs (state, created_at);
