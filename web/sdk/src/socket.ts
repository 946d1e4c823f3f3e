/**
 * The WebSocket the client talks through: the browser's own, or one handed in (Node 20 has
 * no global WebSocket; pass the `ws` package's). Only the part of the API both have is used.
 */

/**
 * The event handler slots take `never`: the browser types them with DOM events and `ws` with
 * its own, and a handler reading only what both carry (`data`, `code`, `reason`) fits either.
 */
export interface WebSocketLike {
  readonly readyState: number;
  /** The subprotocol the server chose. */
  readonly protocol: string;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** What a message event carries: text for a text frame. */
export interface MessageLike {
  readonly data: unknown;
}

export interface CloseLike {
  readonly code: number;
  readonly reason: string;
}

/** WebSocket.OPEN in both APIs. */
export const OPEN = 1;

/** The WebSocket to use: the one handed in, else the global one (browsers, Node ≥ 22). */
export function webSocketConstructor(given: WebSocketConstructor | undefined): WebSocketConstructor {
  const found = given ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (found === undefined) {
    throw new TypeError('No WebSocket here: pass one in the options, e.g. new AgentBar({ WebSocket }) with `import WebSocket from "ws"` in Node');
  }
  return found;
}
