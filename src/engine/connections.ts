/**
 * The agent connections the engine can reach by id (TCP and WebSocket alike): where a
 * `send` effect goes, and what a shutdown waits for.
 */
import type { AgentEvent } from '../core/agent-event.js';

/** What the engine needs of an agent connection (TCP or WebSocket alike). */
export interface EngineConnection {
  readonly id: string;
  sendEvent(event: AgentEvent): void;
  /** Closes after what was already sent to it has been written. */
  close(reason: string): void;
  /** Server shutdown: closes as close() does, telling the peer the server goes away; resolves once the transport is closed. */
  goAway(reason: string): Promise<void>;
  /** Server shutdown: takes no new request; resolves once those it has received are answered. */
  finishRequests(): Promise<void>;
  /** Its agent was signed out: it is no longer signed in. */
  unbind(): void;
}

export class ConnectionRegistry {
  private readonly connections = new Map<string, EngineConnection>();

  attach(conn: EngineConnection): void {
    this.connections.set(conn.id, conn);
  }

  detach(conn: EngineConnection): void {
    this.connections.delete(conn.id);
  }

  get(id: string | undefined): EngineConnection | undefined {
    return id === undefined ? undefined : this.connections.get(id);
  }

  /** Shutdown: connections take no new request; resolves when each has answered what it received, or after `timeoutMs`. */
  finishRequests(timeoutMs: number): Promise<void> {
    return withinTime(Promise.all([...this.connections.values()].map((c) => c.finishRequests())), timeoutMs);
  }

  /** Shutdown: every connection closed, going away (WebSocket 1001), waited for up to `timeoutMs`. */
  closeAll(reason: string, timeoutMs: number): Promise<void> {
    return withinTime(Promise.all([...this.connections.values()].map((c) => c.goAway(reason))), timeoutMs);
  }
}

/** Waits for `work`, but no longer than `ms` (shutdown must end in bounded time). */
export async function withinTime(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
