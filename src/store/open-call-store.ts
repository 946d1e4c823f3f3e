/** Calls up (schema/006_open_calls.sql): written as they change and at shutdown, for the next start to take in again. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { snapshotJson, type CallSnapshot } from '../core/calls/call-snapshot.js';

export interface OpenCall {
  readonly snapshot: CallSnapshot;
  readonly savedAt: number;
}

export class OpenCallStore {
  private readonly upsert: Statement;
  private readonly all: Statement;
  private readonly drop: Statement;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(`INSERT INTO open_calls (call_id, account_id, snapshot, saved_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (call_id) DO UPDATE SET snapshot = excluded.snapshot, saved_at = excluded.saved_at`);
    this.all = db.prepare('SELECT snapshot, saved_at AS savedAt FROM open_calls ORDER BY saved_at, call_id');
    this.drop = db.prepare('DELETE FROM open_calls WHERE call_id = ?');
  }

  /** All of them or none (one transaction). */
  save(calls: readonly CallSnapshot[], at: number): void {
    this.db.transaction(() => {
      for (const call of calls) this.upsert.run(call.id, call.accountId, snapshotJson(call), at);
    })();
  }

  /** Calls no longer up (in the caller's transaction). */
  remove(callIds: readonly string[]): void {
    for (const id of callIds) this.drop.run(id);
  }

  load(): OpenCall[] {
    return (this.all.all() as { snapshot: string; savedAt: number }[]).map((r) => ({ snapshot: JSON.parse(r.snapshot) as CallSnapshot, savedAt: r.savedAt }));
  }
}
