/**
 * An agent's bar: signs in bound to its extension, takes a break now and then (BUSY, then
 * IDLE again), and keeps what it reads — its own status (checking that each
 * AgentStatusChangeEvent starts where the previous one ended: a break in that chain is a
 * lost or duplicated event), its calls' events tagged with the customer of the current
 * CallInEvent, and the queue events of its queue.
 */
import { Bar, type BarContext } from './bar.js';
import type { BarAgent, Breaks } from './messages.js';

export const IDLE = 0;
export const BUSY = 6;

export const QUEUE_EVENTS = new Set(['AddCustomerToQueueEvent', 'DelCustomerFromQueueEvent', 'UpdateCustomerOfQueueEvent']);

export class AgentBar extends Bar {
  /** The status the bar holds; NaN while it does not know (not signed in). */
  status = Number.NaN;
  private caller = '';
  private breakTimer: NodeJS.Timeout | undefined;
  private onBreak = false;
  private breaking = false;
  private statusWaiter: { target: number; resolve: (at: number) => void } | undefined;
  private onlineWaiter: ((status: number) => void) | undefined;

  constructor(
    readonly agent: BarAgent,
    ctx: BarContext,
  ) {
    super(agent.id, agent.transport, ctx);
  }

  protected signInFields(): Record<string, string> {
    return { bindExten: 'yes', agentExten: this.agent.exten, initStatus: String(IDLE) };
  }

  /** Takes breaks at random (exponential gaps) until stopBreaks. */
  startBreaks(breaks: Breaks): void {
    if (breaks.perAgentPerHour <= 0) return;
    this.breaking = true;
    const gap = (): number => -Math.log(1 - Math.random()) * (3_600_000 / breaks.perAgentPerHour);
    const next = (delayMs: number): void => {
      this.breakTimer = setTimeout(() => {
        if (!this.breaking) return;
        if (this.status !== IDLE || !this.connected) return next(5000);
        this.onBreak = true;
        void this.setStatus(BUSY);
        this.breakTimer = setTimeout(
          () => {
            void this.endBreak();
            if (this.breaking) next(gap());
          },
          breaks.minMs + Math.random() * (breaks.maxMs - breaks.minMs),
        );
      }, delayMs);
    };
    next(gap());
  }

  /** No more breaks; an agent on one goes back to IDLE now. */
  async stopBreaks(): Promise<void> {
    this.breaking = false;
    clearTimeout(this.breakTimer);
    await this.endBreak();
  }

  private async endBreak(): Promise<void> {
    if (!this.onBreak) return;
    this.onBreak = false;
    // Asked during a call, BUSY waits for the call's end (docs/protocol.md): IDLE replaces it then.
    if (this.status !== IDLE) await this.setStatus(IDLE);
  }

  private setStatus(target: number): ReturnType<Bar['send']> {
    return this.send({ cmdType: 'setagentdefinestatus', targetStatus: String(target) });
  }

  /** setagentdefinestatus to `target`: the response, and when the AgentStatusChangeEvent to it was read. */
  async changeStatus(target: number, timeoutMs: number): Promise<{ code: number | undefined; rttMs: number; eventMs: number | undefined }> {
    let timer: NodeJS.Timeout | undefined;
    const event = new Promise<number | undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.statusWaiter = { target, resolve };
    });
    const reply = await this.setStatus(target);
    const code = reply === undefined ? undefined : this.code(reply);
    if (reply === undefined || code !== 0) {
      clearTimeout(timer);
      this.statusWaiter = undefined;
      return { code, rttMs: reply === undefined ? Number.NaN : (reply.readUs - reply.sentUs) / 1000, eventMs: undefined };
    }
    const at = await event;
    clearTimeout(timer);
    return { code, rttMs: (reply.readUs - reply.sentUs) / 1000, eventMs: at === undefined ? undefined : (at - reply.sentUs) / 1000 };
  }

  /** What polylink says this agent's status is (getonlineagent for itself); NaN without an answer. */
  async askStatus(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const online = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(Number.NaN), timeoutMs);
      this.onlineWaiter = resolve;
    });
    const reply = await this.send({ cmdType: 'getonlineagent', numType: '1', specificNum: this.id });
    if (reply === undefined || this.code(reply) !== 0) {
      clearTimeout(timer);
      return Number.NaN;
    }
    const status = await online;
    clearTimeout(timer);
    return status;
  }

  override close(): void {
    this.breaking = false;
    clearTimeout(this.breakTimer);
    super.close();
  }

  protected event(type: string, text: string, at: number): void {
    const rec = this.ctx.recorder;
    switch (type) {
      case 'AgentStatusChangeEvent': {
        const old = Number(this.field(text, 'old_status'));
        const now = Number(this.field(text, 'new_status'));
        // A resume repeats the current status (old = new); anything else must start where the last ended.
        if (rec.recording && !Number.isNaN(this.status) && old !== this.status) rec.odd('status-chain', `agent ${this.id} held ${this.status}, read ${old}→${now}`);
        this.status = now;
        rec.own(this.id, `S${old}>${now}`, this.caller, at);
        if (this.statusWaiter !== undefined && now === this.statusWaiter.target) {
          const w = this.statusWaiter;
          this.statusWaiter = undefined;
          w.resolve(at);
        }
        return;
      }
      case 'CallInEvent':
        this.caller = this.field(text, 'callerID') ?? '';
        rec.own(this.id, type, this.caller, at);
        return;
      case 'BridgeEvent':
      case 'HangupEvent':
        rec.own(this.id, type, this.caller, at);
        return;
      case 'GetAgentOnlineEvent': {
        const w = this.onlineWaiter;
        this.onlineWaiter = undefined;
        w?.(Number(this.field(text, 'agentStatus') ?? Number.NaN));
        return;
      }
      case 'KickOutEvent':
        rec.odd('kicked', `agent ${this.id}`);
        return;
      default:
        if (QUEUE_EVENTS.has(type)) rec.queueEvent(type, this.field(text, 'customer_uuid') ?? '', at, this.field(text, 'reason'));
    }
  }

  protected override closed(byServer: boolean, unanswered: number): void {
    this.status = Number.NaN;
    super.closed(byServer, unanswered);
  }
}
