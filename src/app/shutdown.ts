/**
 * Stopping polylink in order (SIGTERM, Ctrl-C, or a test's close): what runs, in which
 * order, and how long each step may wait.
 */
import type http from 'node:http';
import type net from 'node:net';
import type { Engine } from '../engine/engine.js';
import type { Store } from '../engine/store.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/database.js';
import type { OutboundServices } from './outbound-services.js';
import type { RunningSwitch } from './start-switch.js';

export interface ShutdownParts {
  readonly engine: Engine;
  readonly switch: RunningSwitch;
  readonly store: Store;
  /** The read-only connection tools and tests look through (SQLite only). */
  readonly inspect: Db | undefined;
  readonly log: Logger;
  readonly tcp: net.Server;
  readonly http: http.Server;
  readonly sockets: Set<net.Socket>;
  /** Webhooks and exports: stopped after the last step (its pushes are in the outbox for the next start). */
  /** Webhooks and exports (none on PostgreSQL). */
  readonly outbound: OutboundServices | undefined;
}

/**
 * How long each step of a shutdown may take. SHUTDOWN_LIMIT_MS (cli/start-command.ts) is
 * their sum and a second: 9 s, under the 10 s `docker stop` waits before SIGKILL. `store`
 * is PostgreSQL's write-behind queue being written out (SQLite has nothing queued).
 */
export const SHUTDOWN_STEP_MS = { requests: 2000, calls: 2000, switchAnswers: 1000, connections: 2000, store: 1000 } as const;

/**
 * The orderly stop (SIGTERM, Ctrl-C, or a test's close), once however often it is asked:
 * 1. stop accepting connections (agent port and HTTP port);
 * 2. let requests already received be answered (a sign-in in the middle of its password
 *    check, a command waiting for its turn); requests arriving later are not taken
 *    but answered -91 (the server is shutting down);
 * 3. on the built-in simulator, end its calls as FreeSWITCH's own shutdown ends them
 *    (SYSTEM_SHUTDOWN): they cannot outlive the process, and end with their CDRs; on a
 *    real FreeSWITCH calls go on, and are saved for the next start (step 4);
 * 4. set free agents' sessions aside for the restart, sign every other agent out
 *    (operation log, statistics, SignOutEvent to its bar) and save the calls still up;
 * 5. close every bar's connection after what was sent to it: WebSocket close 1001
 *    "server shutting down", TCP FIN, each waited for;
 * 6. stop the webhooks' delivery and the exports (what was not delivered stays in the
 *    outbox, an export not built is built at the next start), disconnect from the switch
 *    and close the database (PostgreSQL: after writing what its queue still holds, the
 *    sign-outs and saved calls of step 4 among them).
 * Every wait is bounded (SHUTDOWN_STEP_MS).
 */
export function shutdownSequence(p: ShutdownParts): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      const tcpClosed = new Promise<void>((r) => p.tcp.close(() => r()));
      const httpClosed = new Promise<void>((r) => p.http.close(() => r()));
      p.http.closeIdleConnections();
      await p.engine.finishRequests(SHUTDOWN_STEP_MS.requests);
      if (p.switch.simulator !== undefined) {
        await p.switch.simulator.stop();
        await until(() => p.engine.calls.count === 0, SHUTDOWN_STEP_MS.calls);
      }
      await p.engine.settled(SHUTDOWN_STEP_MS.switchAnswers);
      p.engine.shutdown('server shutting down');
      await p.engine.closeConnections('server shutting down', SHUTDOWN_STEP_MS.connections);
      for (const s of p.sockets) s.destroy();
      p.http.closeAllConnections();
      await Promise.all([tcpClosed, httpClosed]);
      await p.outbound?.stop();
      await p.switch.stop();
      p.inspect?.close();
      // PostgreSQL: what is still queued is written first (bounded by the store).
      await p.store.close();
      p.log.info({}, 'polylink stopped');
    })();
    return closing;
  };
}

/** Polls `done` until it holds or `ms` have passed. */
async function until(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}
