-- Calls still up when polylink stopped (SIGTERM, Ctrl-C): on a real FreeSWITCH they go on
-- while polylink is away. The next start takes each one in again and follows it to its
-- end; its row goes when its CDR is written, in the same transaction, so a call is never
-- both open and recorded, nor lost between the two.
CREATE TABLE open_calls (
  call_id     TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL,
  -- The call as polylink knew it (src/core/calls/call-snapshot.ts), JSON.
  snapshot    TEXT NOT NULL,
  -- When it was saved (ms since the epoch): the last moment polylink knew the call up.
  saved_at    BIGINT NOT NULL
);
