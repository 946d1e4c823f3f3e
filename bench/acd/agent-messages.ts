/** What the benchmark and its agents' worker thread (agent-worker.ts) tell each other. */

export interface AgentWorkerSetup {
  readonly port: number;
  readonly agents: ReadonlyArray<{ readonly id: string; readonly exten: string }>;
  readonly password: string;
  readonly heartbeatSeconds: number;
  /** Sign-ins in flight at once (each costs polylink one scrypt on its thread pool). */
  readonly window: number;
}

export type FromWorker =
  | { type: 'signed-in'; signedIn: number; failures: string[]; ms: number }
  | { type: 'callins'; callers: string[]; times: number[] }
  | {
      type: 'final';
      messages: number;
      bytes: number;
      byType: Record<string, number>;
      closedByServer: number;
      /** The worker's event-loop utilisation since 'mark' (0–1). */
      utilisation: number;
      /** The worker's V8 heap when it stopped (part of the process's RSS). */
      heapUsedMB: number;
      heapTotalMB: number;
    };

/** mark: the load starts (utilisation is measured from here); stop: close every connection and report. */
export type ToWorker = { type: 'mark' } | { type: 'stop' };
