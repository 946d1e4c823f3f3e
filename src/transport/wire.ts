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
  /** address:port, for the log. */
  readonly remote: string | null;
  /** The peer's IP address, for the per-address limits. */
  readonly address: string | undefined;
  /**
   * The messages of one event-loop turn, in order, handed to the kernel in one write (each
   * its own frame on WebSocket): one write per message was a fifth of polylink's busy time.
   */
  send(texts: readonly string[]): void;
  /** Bytes queued for the peer but not yet written: grows when the peer stops reading. */
  buffered(): number;
  /** Asks the peer for a sign of life its software gives without being told (WebSocket ping; TCP has none). */
  ping?(): void;
  close(kind: CloseKind, reason: string): void;
}
