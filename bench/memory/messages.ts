/**
 * The memory benchmark's threads and what they say to each other: the agents' bars and the
 * switch each run in a worker thread of their own, so that their objects live in other V8
 * heaps than polylink's (the main thread's), which is the heap the snapshots read.
 */
import type { Transport } from '../load/bars/connection.js';

export interface BarsSetup {
  readonly ports: { readonly tcp: number; readonly http: number };
  readonly password: string;
  readonly heartbeatSeconds: number;
}

export interface BarAgent {
  readonly id: string;
  readonly exten: string;
  readonly transport: Transport;
}

export interface SwitchSetup {
  readonly dbPath: string;
  readonly password: string;
  readonly maxSessions: number;
}

/** A request to a worker; it answers with the same id. */
export type ToBars =
  | { readonly id: number; readonly op: 'sign-in'; readonly agents: readonly BarAgent[]; readonly window: number }
  | { readonly id: number; readonly op: 'status'; readonly ids: readonly string[]; readonly target: number }
  | { readonly id: number; readonly op: 'close' };

export type ToSwitch =
  | { readonly id: number; readonly op: 'phones'; readonly extens: readonly string[]; readonly answerAfterMs: number }
  | { readonly id: number; readonly op: 'place'; readonly count: number; readonly accessNumbers: readonly string[]; readonly callerPrefix: string }
  | { readonly id: number; readonly op: 'hangup-all' }
  | { readonly id: number; readonly op: 'stop' };

export interface Answer {
  readonly id: number;
  readonly error?: string;
  readonly value?: unknown;
}
