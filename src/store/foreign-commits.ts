/**
 * Notices commits that another process makes to the database file while the server runs
 * (`polylink import`). SQLite's `PRAGMA data_version` changes when a connection other
 * than this one has committed since it was last read, and never for this connection's own
 * writes (sqlite.org/pragma.html#pragma_data_version). SQLite has no notification across
 * processes, so it is polled; one pragma per interval costs next to nothing.
 *
 * Real time, whatever clock the core runs on (as the switch link): the other process
 * writes in real time, and a test's ManualClock must not have to tick it.
 */
import type { Db } from './database.js';

export function watchForeignCommits(db: Db, intervalMs: number, onCommit: () => void): () => void {
  let seen = db.pragma('data_version', { simple: true }) as number;
  const timer = setInterval(() => {
    const now = db.pragma('data_version', { simple: true }) as number;
    if (now === seen) return;
    seen = now;
    onCommit();
  }, intervalMs);
  // A pending check alone must not keep the process alive at shutdown.
  timer.unref();
  return () => clearInterval(timer);
}
