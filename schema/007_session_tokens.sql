-- The session token (the signin response's guid) of each agent's session, as a SHA-256
-- hash: a bar that lost its connection, or whose polylink restarted, signs in again with
-- its token and is spared the scrypt check of its password (issue 16: a sign-in storm
-- after a restart). A row lives while its session does (expires_at NULL); a shutdown
-- gives it agent.resumeGraceSeconds (expires_at, ms since the epoch); a sign-out or the
-- end of the grace time deletes it. A start after a crash gives the NULL rows the grace.
CREATE TABLE session_tokens (
  agent_id    TEXT PRIMARY KEY,
  token_hash  TEXT NOT NULL,
  expires_at  INTEGER,
  -- A free agent's session a shutdown set aside for its resume after the restart
  -- (src/core/session-tokens.ts SuspendedSession, JSON); NULL: the token only.
  session     TEXT
);
