/** What a session needs of its transport: write a message, see the backlog, close. */

export type CloseKind =
  /** An orderly close (sign-in timeout, dead connection, kick, the peer finished sending). */
  | 'normal'
  /** The peer broke the rules (flood, slow reader). WebSocket 1008. */
  | 'policy'
  /** A message over agent.maxMessageBytes. WebSocket 1009. */
  | 'too-big'
  /** The server is shutting down. WebSocket 1001. */
  | 'going-away';

export interface Wire {
  readonly transport: 'tcp' | 'ws';
  readonly remote: string | null;
  send(text: string): void;
  /** Bytes queued for the peer but not yet written: grows when the peer stops reading. */
  buffered(): number;
  close(kind: CloseKind, reason: string): void;
}
