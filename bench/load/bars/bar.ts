/**
 * What every bar does, agent or supervisor: connect, sign in (timed from the first
 * connection attempt), beat its heart, time each command's round trip, notice a
 * connection polylink closed. Subclasses read the events.
 */
import { wallMicroseconds } from '../../../src/simulator/core/wall-clock.js';
import { Connection, retCode, type Reply, type Transport } from './connection.js';
import type { Recorder } from './recorder.js';
import { field } from './wire.js';

export interface BarContext {
  readonly ports: { readonly tcp: number; readonly http: number };
  readonly password: string;
  readonly recorder: Recorder;
  /** What supervisors ask now and then (BarsSetup.supervisorQueryCmd). */
  readonly supervisorQueryCmd?: 'getqueuestatis' | 'getallqueuestatis';
}

export interface SignInOutcome {
  readonly code: number | undefined;
  readonly error: string | undefined;
  readonly resumed: boolean;
  /** The sign-in presented the guid of the bar's last one (a session token). */
  readonly withToken: boolean;
  readonly latencyMs: number;
  readonly requestMs: number;
}

export abstract class Bar {
  protected conn: Connection | undefined;
  /** The server is expected to close the connection (a restart, the end): not an anomaly. */
  expectClose = false;

  constructor(
    readonly id: string,
    readonly transport: Transport,
    protected readonly ctx: BarContext,
  ) {}

  /** The session token of the last sign-in. */
  private guid: string | undefined;

  /** The session token of the last sign-in that succeeded, while still connected. */
  get sessionToken(): string | undefined {
    return this.connected ? this.guid : undefined;
  }

  get connected(): boolean {
    return this.conn !== undefined && !this.conn.closed;
  }

  protected abstract event(type: string, text: string, at: number): void;

  /** The signin request's own fields (extension, initial status). */
  protected abstract signInFields(): Record<string, string>;

  async signIn(): Promise<SignInOutcome> {
    const began = wallMicroseconds();
    let conn: Connection;
    try {
      conn = await Connection.open(this.transport, this.ctx.ports, {
        onEvent: (text, at) => {
          const type = field(conn.format, text, 'eventType') ?? '?';
          this.ctx.recorder.count(type);
          this.event(type, text, at);
        },
        onReply: (cmdType, reply) => this.reply(conn, cmdType, reply),
        onBytes: (n) => this.ctx.recorder.bytes(n),
        onClose: (byServer, unanswered) => this.closed(byServer, unanswered),
      });
    } catch (err) {
      return { code: undefined, error: `connect: ${(err as Error).message}`, resumed: false, withToken: this.guid !== undefined, latencyMs: Number.NaN, requestMs: Number.NaN };
    }
    this.conn = conn;
    this.expectClose = false;
    // As the SDK does (web/sdk/src/session.ts): a sign-in again presents the last one's guid.
    const token: { guid?: string } = this.guid === undefined ? {} : { guid: this.guid };
    const reply = await conn.send({ cmdType: 'signin', agentID: this.id, agentPwd: this.ctx.password, ...this.signInFields(), ...token });
    const code = retCode(conn.format, reply);
    if (code === 0) this.guid = field(conn.format, reply.text, 'guid');
    if (code !== 0) {
      this.expectClose = true;
      conn.close();
    }
    return {
      code,
      error: reply.text === '' ? 'connection closed before the answer' : undefined,
      resumed: field(conn.format, reply.text, 'resumed') === 'yes',
      withToken: token.guid !== undefined,
      latencyMs: (reply.readUs - began) / 1000,
      requestMs: (reply.readUs - reply.sentUs) / 1000,
    };
  }

  heartbeat(): void {
    this.send({ cmdType: 'heartbeat' });
  }

  /** Sends a request of this bar (agentID added); undefined when not connected. */
  protected send(fields: Readonly<Record<string, string>>): Promise<Reply> | undefined {
    if (!this.connected) return undefined;
    return this.conn!.send({ cmdType: fields['cmdType'] ?? '', agentID: this.id, ...fields });
  }

  protected code(reply: Reply): number | undefined {
    return this.conn === undefined ? undefined : retCode(this.conn.format, reply);
  }

  protected field(text: string, name: string): string | undefined {
    return field(this.conn!.format, text, name);
  }

  close(): void {
    this.expectClose = true;
    this.conn?.close();
  }

  private reply(conn: Connection, cmdType: string, reply: Reply): void {
    const rec = this.ctx.recorder;
    rec.count('(response)');
    if (cmdType !== 'signin') rec.rtt(cmdType, (reply.readUs - reply.sentUs) / 1000);
    const code = retCode(conn.format, reply);
    if (code !== 0 && cmdType !== 'signin') rec.refused(cmdType, code);
  }

  protected closed(byServer: boolean, unanswered: number): void {
    const rec = this.ctx.recorder;
    if (this.expectClose) return;
    rec.unanswered(unanswered);
    if (byServer) rec.closedByServer(this.id);
  }
}
