/** Calls still up at shutdown (schema/006_open_calls.sql), for the next start to take in again. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import type { CallSnapshot } from '../core/calls/call-snapshot.js';

export interface OpenCall {
  readonly snapshot: CallSnapshot;
  readonly savedAt: number;
}

export class OpenCallStore {
  private readonly upsert: Statement;
  private readonly all: Statement;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(`INSERT INTO open_calls (call_id, account_id, snapshot, saved_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (call_id) DO UPDATE SET snapshot = excluded.snapshot, saved_at = excluded.saved_at`);
    this.all = db.prepare('SELECT snapshot, saved_at AS savedAt FROM open_calls ORDER BY saved_at, call_id');
  }

  /** All of them or none (one transaction). */
  save(calls: readonly CallSnapshot[], at: number): void {
    this.db.transaction(() => {
      for (const call of calls) this.upsert.run(call.id, call.accountId, JSON.stringify(call), at);
    })();
  }

  load(): OpenCall[] {
    return (this.all.all() as { snapshot: string; savedAt: number }[]).map((r) => ({ snapshot: JSON.parse(r.snapshot) as CallSnapshot, savedAt: r.savedAt }));
  }
}
