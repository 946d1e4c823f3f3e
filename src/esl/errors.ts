/**
 * Why a command did not get its answer. These are values handed back to the caller
 * (never thrown): a transport problem is not the same thing as FreeSWITCH answering
 * `-ERR`, which is a reply (see reply.ts).
 */
export type EslError =
  /** No authenticated connection right now; nothing was sent. */
  | { readonly kind: 'not-connected'; readonly node: string; readonly message: string }
  /** The connection dropped while the command waited for its reply. */
  | { readonly kind: 'disconnected'; readonly node: string; readonly message: string }
  /** No reply within the command's time limit (the connection itself may be fine). */
  | { readonly kind: 'timeout'; readonly node: string; readonly message: string; readonly afterMs: number }
  /** The text could not be sent safely (a line break would start a second command). */
  | { readonly kind: 'unsafe-command'; readonly node: string; readonly message: string };
