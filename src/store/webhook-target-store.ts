/**
 * Push targets in SQLite. The config file seeds them (a target whose id was never stored
 * is written at start); from then on the stored row rules, so changes made at run time
 * through the admin API survive a restart. A removed target keeps a row marked removed,
 * so the config file does not bring it back.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import type { WebhookTarget } from '../webhooks/target.js';

interface Row {
  id: string;
  url: string;
  format: 'seed001' | 'seed003';
  events: string;
  secret: string;
  timeoutMs: number;
}

export class WebhookTargetStore {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Db) {
    this.s = {
      all: db.prepare(`SELECT id, url, format, events, secret, timeout_ms AS timeoutMs FROM webhook_targets WHERE removed = 0 ORDER BY created_at, id`),
      seed: db.prepare(`INSERT INTO webhook_targets (id, url, format, events, secret, timeout_ms, created_at, updated_at) VALUES (@id, @url, @format, @events, @secret, @timeoutMs, @now, @now)
        ON CONFLICT (id) DO NOTHING`),
      upsert: db.prepare(`INSERT INTO webhook_targets (id, url, format, events, secret, timeout_ms, created_at, updated_at) VALUES (@id, @url, @format, @events, @secret, @timeoutMs, @now, @now)
        ON CONFLICT (id) DO UPDATE SET url = @url, format = @format, events = @events, secret = @secret, timeout_ms = @timeoutMs, removed = 0, updated_at = @now`),
      remove: db.prepare(`UPDATE webhook_targets SET removed = 1, updated_at = ? WHERE id = ? AND removed = 0`),
    };
  }

  load(): WebhookTarget[] {
    return (this.s['all']!.all() as Row[]).map((r) => ({ ...r, events: JSON.parse(r.events) as WebhookTarget['events'] }));
  }

  /** Writes the targets whose id was never stored; returns their ids. */
  seed(targets: readonly WebhookTarget[], now: number): string[] {
    return this.db.transaction(() => targets.filter((t) => this.s['seed']!.run(row(t, now)).changes === 1).map((t) => t.id))();
  }

  save(target: WebhookTarget, now: number): void {
    this.s['upsert']!.run(row(target, now));
  }

  /** False when there was no such target. */
  remove(id: string, now: number): boolean {
    return this.s['remove']!.run(now, id).changes === 1;
  }
}

function row(t: WebhookTarget, now: number) {
  return { id: t.id, url: t.url, format: t.format, events: JSON.stringify(t.events), secret: t.secret, timeoutMs: t.timeoutMs, now };
}
