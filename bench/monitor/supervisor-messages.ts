/** What the monitoring benchmark and its supervisors' worker thread (supervisor-worker.ts) tell each other. */

export interface SupervisorWorkerSetup {
  readonly port: number;
  readonly supervisors: readonly string[];
  readonly password: string;
  readonly heartbeatSeconds: number;
  /** Each supervisor asks getallqueuestatis this often (ms), the supervisors spread evenly over it. */
  readonly pollMs: number;
}

export type FromSupervisors =
  | { type: 'signed-in'; signedIn: number; failures: string[] }
  /**
   * AgentStatusChangeEvents as the supervisors read them: `keys[i]` is `agent|old|new`,
   * read by supervisor `who[i]` at `times[i]` (monotonic ms, bench/acd/clock.ts).
   */
  | { type: 'status-reads'; keys: string[]; who: number[]; times: number[] }
  | {
      type: 'final';
      /** getallqueuestatis: request written → its response read, and → its GetAllQueueStatisEvent read (ms). */
      responseMs: number[];
      resultMs: number[];
      /** Queries still unanswered when the worker stopped. */
      unanswered: number;
      /** Requests answered with a retCode other than 0. */
      refused: number;
      messages: number;
      bytes: number;
      byType: Record<string, number>;
      closedByServer: number;
      utilisation: number;
    };

/** poll: start asking (the load has begun); stop: stop asking, report, close. */
export type ToSupervisors = { type: 'poll' } | { type: 'stop' };
