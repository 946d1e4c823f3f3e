/**
 * A supervisor's bar, as a team leader's wallboard: signed in without an extension, it
 * receives the AgentStatusChangeEvents of its group and the queue events of its queue
 * (docs/protocol.md, "Events pushed to supervisors"), keeps each agent's status as those
 * events tell it (checking each starts where the previous one for that agent ended), and
 * asks for its queue's figures (getqueuestatis) or every queue's (getallqueuestatis, timed
 * from the request written to its GetAllQueueStatisEvent read) now and then.
 */
import { wallMicroseconds } from '../../../src/simulator/core/wall-clock.js';
import { QUEUE_EVENTS } from './agent-bar.js';
import { Bar, type BarContext } from './bar.js';
import type { BarSupervisor } from './messages.js';

export class SupervisorBar extends Bar {
  /** Agent → the status the supervisor's events say it is in. */
  readonly view = new Map<string, number>();
  private queryTimer: NodeJS.Timeout | undefined;
  /** The getallqueuestatis in flight: when it was written (µs). */
  private asked: number | undefined;

  constructor(
    readonly supervisor: BarSupervisor,
    ctx: BarContext,
  ) {
    super(supervisor.id, supervisor.transport, ctx);
  }

  protected signInFields(): Record<string, string> {
    return { bindExten: 'no', initStatus: '0' };
  }

  /** Asks for the queue's figures every `everyMs` (getqueuestatis), until stopQueries. */
  startQueries(everyMs: number): void {
    if (everyMs <= 0) return;
    // Spread over the interval, so that the supervisors do not all ask in the same tick.
    const first = Math.random() * everyMs;
    this.queryTimer = setTimeout(() => {
      this.query();
      this.queryTimer = setInterval(() => this.query(), everyMs);
    }, first);
  }

  stopQueries(): void {
    clearTimeout(this.queryTimer);
    clearInterval(this.queryTimer);
  }

  override close(): void {
    this.stopQueries();
    super.close();
  }

  private query(): void {
    if (this.ctx.supervisorQueryCmd !== 'getallqueuestatis') {
      this.send({ cmdType: 'getqueuestatis', queue_num: this.supervisor.queue });
      return;
    }
    // A query still unanswered is not asked again (a slow server is not piled on), but counted.
    if (this.asked !== undefined) {
      this.ctx.recorder.querySkipped();
      return;
    }
    const asked = wallMicroseconds();
    const reply = this.send({ cmdType: 'getallqueuestatis' });
    if (reply === undefined) return;
    this.asked = asked;
    // Refused (or the connection closed): no GetAllQueueStatisEvent follows.
    void reply.then((r) => {
      if (this.code(r) !== 0 && this.asked === asked) this.asked = undefined;
    });
  }

  protected event(type: string, text: string, at: number): void {
    const rec = this.ctx.recorder;
    if (type === 'AgentStatusChangeEvent') {
      const agent = this.field(text, 'agent_num') ?? '';
      if (agent === this.id) return;
      const old = Number(this.field(text, 'old_status'));
      const now = Number(this.field(text, 'new_status'));
      rec.supervisorRead(agent, `S${old}>${now}`, this.id, at);
      const held = this.view.get(agent);
      if (rec.recording && held !== undefined && old !== held) rec.odd('supervisor-chain', `supervisor ${this.id} held ${held} for agent ${agent}, read ${old}→${now}`);
      this.view.set(agent, now);
      return;
    }
    if (type === 'GetAllQueueStatisEvent' && this.asked !== undefined) {
      rec.queryResult((at - this.asked) / 1000);
      this.asked = undefined;
    } else if (QUEUE_EVENTS.has(type)) rec.queueEvent(type, this.field(text, 'customer_uuid') ?? '', at, this.field(text, 'reason'));
    else if (type === 'KickOutEvent') rec.odd('kicked', `supervisor ${this.id}`);
  }
}
