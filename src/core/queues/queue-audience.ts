/**
 * Who receives a queue's events (queueRecipients), kept per queue rather than worked out
 * again for each event: a list holds while the queue's members are the same (the
 * organisation gives a new member list on every membership change and every reload) and
 * the agents' audience version has not moved (a sign-in or sign-out, a bar asking for
 * queues, a change of supervisors: AgentService.audienceVersion).
 */
import type { AgentService } from '../agent-service.js';
import type { Organisation, QueueMember } from '../organisation.js';
import { queueRecipients } from './queue-events.js';

interface Kept {
  readonly members: readonly QueueMember[];
  readonly version: number;
  readonly to: readonly string[];
}

export class QueueAudience {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly org: Organisation,
    private readonly agents: AgentService,
    private readonly askedOnly: boolean,
  ) {}

  of(queueNum: string): readonly string[] {
    const members = this.org.membersOfQueue(queueNum);
    const version = this.agents.audienceVersion();
    const kept = this.kept.get(queueNum);
    if (kept !== undefined && kept.members === members && kept.version === version) return kept.to;
    const to = queueRecipients(this.org, this.agents, queueNum, this.askedOnly);
    this.kept.set(queueNum, { members, version, to });
    return to;
  }
}
