/**
 * "No customer waiting while an eligible agent is idle for longer than one event-loop
 * turn." polylink offers a customer in the very turn in which it arrives or an agent
 * becomes free, so at any point between two turns — where a timer callback runs —
 * there must never be a customer waiting (not being offered) in a queue while one of
 * that queue's members is free to take it. This looks at regular intervals, with the
 * engine's own services, using the ACD's definition of free: signed in, IDLE, bound
 * to a registered extension, in no call, not paused in that queue.
 */
import { AgentStatus } from '../../src/core/agent-status.js';
import type { Engine } from '../../src/engine/engine.js';
import type { SwitchPort } from '../../src/core/ports/switch-port.js';

export interface IdleSighting {
  readonly queueNum: string;
  readonly agentId: string;
  readonly waiting: number;
  /** Seen at the previous look too: the same agent idle beside waiting customers. */
  readonly again: boolean;
}

export class IdleCheck {
  looks = 0;
  /** Looks that found customers in a queue (waiting, or being offered). */
  looksWithQueued = 0;
  /** Most customers in the queues at one look (waiting, or being offered). */
  mostQueued = 0;
  readonly sightings: IdleSighting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private previous = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly port: SwitchPort,
    private readonly queueNums: readonly string[],
  ) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => this.look(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  look(): void {
    this.looks++;
    const seen = new Set<string>();
    let queued = 0;
    for (const queueNum of this.queueNums) {
      const inQueue = this.engine.queues.waitingCount(queueNum);
      if (inQueue === 0) continue;
      queued += inQueue;
      // Cheapest first (the look runs on polylink's thread): is any member free at all?
      // Only then which customers wait rather than being offered, and who exactly is free.
      if (this.freeMembers(queueNum, 1).length === 0) continue;
      const waiting = this.engine.queues.customersOf(queueNum, this.engine.clock.now()).filter((c) => c['customer_status'] === 'waiting').length;
      if (waiting === 0) continue;
      for (const agentId of this.freeMembers(queueNum, Infinity)) {
        const key = `${queueNum}/${agentId}`;
        seen.add(key);
        this.sightings.push({ queueNum, agentId, waiting, again: this.previous.has(key) });
      }
    }
    if (queued > 0) this.looksWithQueued++;
    this.mostQueued = Math.max(this.mostQueued, queued);
    this.previous = seen;
  }

  /** Up to `limit` members of the queue that are free to take its customers now. */
  private freeMembers(queueNum: string, limit: number): string[] {
    const { engine } = this;
    const free: string[] = [];
    for (const m of engine.services.org.membersOfQueue(queueNum)) {
      if (free.length >= limit) break;
      const session = engine.agents.session(m.agentId);
      if (session === undefined || session.machine.status !== AgentStatus.IDLE) continue;
      if (!session.bindExten || session.exten === null) continue;
      if (engine.calls.callOf(m.agentId) !== undefined || engine.queues.isPaused(queueNum, m.agentId)) continue;
      if (!session.extenIsOutbound && !this.port.isRegistered(session.exten)) continue;
      free.push(m.agentId);
    }
    return free;
  }
}
