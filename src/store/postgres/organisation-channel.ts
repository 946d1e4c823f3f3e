/**
 * `polylink import` into PostgreSQL tells running servers that the organisation changed:
 * NOTIFY on this channel (delivered to every session that LISTENs, on commit). It is what
 * SQLite's polled data_version is for the SQLite store (store/foreign-commits.ts).
 */
import type { PgPool } from './pg-pool.js';

export const ORGANISATION_CHANNEL = 'polylink_organisation';

export async function notifyOrganisationChanged(pool: PgPool): Promise<void> {
  await pool.query(`NOTIFY ${ORGANISATION_CHANNEL}`);
}

/**
 * Calls `onNotify` on each notification. A lost connection is opened again after
 * `retryMs` (and `onNotify` called once then, for what was missed meanwhile). Returns stop.
 */
export function listenForOrganisation(pool: PgPool, retryMs: number, onNotify: () => void, onError: (err: Error) => void): () => void {
  let stopped = false;
  let release: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (missed: boolean): Promise<void> => {
    try {
      const client = await pool.connect();
      if (stopped) return client.release();
      let done = false;
      const lost = (err: Error) => {
        if (done) return;
        done = true;
        client.release(err);
        onError(err);
        if (!stopped) timer = setTimeout(() => void connect(true), retryMs);
      };
      client.on('error', lost);
      client.on('notification', (n) => {
        if (n.channel === ORGANISATION_CHANNEL) onNotify();
      });
      await client.query(`LISTEN ${ORGANISATION_CHANNEL}`);
      release = () => {
        // Lost already (PostgreSQL went away): that released the client back to the pool.
        if (done) return;
        done = true;
        client.removeListener('error', lost);
        client.release(true);
      };
      if (missed) onNotify();
    } catch (err) {
      onError(err as Error);
      if (!stopped) timer = setTimeout(() => void connect(missed), retryMs);
    }
  };
  void connect(false);
  return () => {
    stopped = true;
    clearTimeout(timer);
    release?.();
  };
}
