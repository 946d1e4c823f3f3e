/** Messages between the benchmark and its receivers' worker thread (receiver-worker.ts). */
export type ToReceivers =
  | { readonly type: 'up' }
  | { readonly type: 'down' }
  /** From now on, latencies go into a new window. */
  | { readonly type: 'window' }
  | { readonly type: 'stats' };

export interface LaneStats {
  /** Requests answered 2xx. */
  readonly delivered: number;
  /** First deliveries whose push id was lower than one delivered before (order broken). */
  readonly outOfOrder: number;
  /** Deliveries of a push id seen before (at least once: allowed, same event id). */
  readonly duplicates: number;
  /** Duplicates whose event id differed from the first delivery's (must be 0). */
  readonly idChanged: number;
  /** Fact → 2xx of the pushes delivered in the current window, ms. */
  readonly latencies: number[];
}

export type FromReceivers =
  | { readonly type: 'ports'; readonly ports: Record<string, number> }
  | { readonly type: 'done' }
  | { readonly type: 'stats'; readonly lanes: Record<string, LaneStats> };
