/** What the benchmark's threads tell each other (bench/attacks.ts and its workers). */

export interface Ports {
  readonly tcpPort: number;
  readonly httpPort: number;
}

/** Main thread → attacker. */
export type Command =
  | { readonly cmd: 'attacks'; readonly repeat: number }
  | { readonly cmd: 'signin-flood'; readonly connections: number; readonly guesses: number }
  | { readonly cmd: 'slow-readers'; readonly readers: number }
  | { readonly cmd: 'stop-slow-readers' }
  /** The main thread has collected garbage and started measuring: the next attack may go. */
  | { readonly cmd: 'go' };

/** One attack sent once over one transport, as the attacker saw it. */
export interface AttackRun {
  readonly name: string;
  readonly transport: 'tcp' | 'ws-xml' | 'ws-json';
  /** From the first byte written to the answer read (WebSocket over its size: to the close), ms. */
  readonly ms: number;
  /** The answer's retCode, or the WebSocket close code for a frame refused by size. */
  readonly outcome: string;
  readonly closed: boolean;
}

export interface SigninFlood {
  readonly connections: number;
  readonly accepted: number;
  readonly refused88: number;
  readonly guesses: number;
  readonly wrongPassword53: number;
  readonly throttled89: number;
  readonly other: readonly string[];
  readonly guessesMs: number;
  /** The right password from another address right after: its code and time. */
  readonly rightPassword: { readonly code: string; readonly ms: number };
}

/** Attacker → main thread. */
export type Report =
  /** Connected, about to send: the main thread answers 'go' once it measures. */
  | { readonly kind: 'attack-ready'; readonly name: string; readonly transport: AttackRun['transport'] }
  /** The answer (or the close) arrived: the main thread stops measuring. */
  | { readonly kind: 'attack-answered' }
  | { readonly kind: 'attack-end'; readonly run: AttackRun }
  | { readonly kind: 'attacks-done' }
  | { readonly kind: 'signin-flood'; readonly result: SigninFlood }
  | { readonly kind: 'slow-readers-waiting'; readonly signedIn: number }
  | { readonly kind: 'slow-readers-done' };

/** Bystanders → main thread: round trips of the signed-in agents' heartbeats, ms. */
export type BystanderReport = { readonly kind: 'ready' } | { readonly kind: 'latencies'; readonly ms: readonly number[]; readonly failures: number };
