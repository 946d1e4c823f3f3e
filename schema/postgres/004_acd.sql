-- The ACD's customer lists: blacklisted numbers, VIP grades, exclusive agents (专属坐席),
-- and pauses of agents in single queues (seed 001 agent-pause).

CREATE TABLE blacklist (
  account_id TEXT NOT NULL,
  number     TEXT NOT NULL,
  reason     TEXT,
  created_at BIGINT NOT NULL,
  -- How many times it called and was turned away.
  hits       INTEGER NOT NULL DEFAULT 0,
  last_hit   BIGINT,
  PRIMARY KEY (account_id, number)
);

-- cust_grade of a customer number: 1 is VIP (served ahead of others).
CREATE TABLE customer_grades (
  account_id TEXT NOT NULL,
  number     TEXT NOT NULL,
  grade      INTEGER NOT NULL CHECK (grade >= 0),
  PRIMARY KEY (account_id, number)
);

-- A customer number that goes to one agent first; after fallback_seconds any agent may take it.
CREATE TABLE exclusive_agents (
  account_id       TEXT NOT NULL,
  number           TEXT NOT NULL,
  agent_id         TEXT NOT NULL REFERENCES agents (agent_id) ON DELETE CASCADE,
  fallback_seconds INTEGER NOT NULL DEFAULT 30 CHECK (fallback_seconds >= 0),
  PRIMARY KEY (account_id, number)
);

CREATE TABLE queue_pauses (
  queue_num TEXT NOT NULL REFERENCES queues (queue_num) ON DELETE CASCADE,
  agent_id  TEXT NOT NULL REFERENCES agents (agent_id) ON DELETE CASCADE,
  reason    TEXT,
  since     BIGINT NOT NULL,
  PRIMARY KEY (queue_num, agent_id)
);
