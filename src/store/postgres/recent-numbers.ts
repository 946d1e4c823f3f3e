/**
 * The numbers each agent dialled lately, newest first (GetAccessNumberEvent's callHistory),
 * kept in memory for the PostgreSQL store: read once at start, then kept as callouts are
 * logged. The same answer as OperationLog.recentCalledNumbers's query on SQLite.
 */
export class RecentNumbers {
  private readonly byAgent = new Map<string, string[]>();

  constructor(private readonly limit = 20) {}

  /** The start: every (agent, number, last dialled) pair, in any order. */
  fill(rows: readonly { agentId: string; target: string; at: number }[]): void {
    for (const r of [...rows].sort((a, b) => a.at - b.at)) this.dialled(r.agentId, r.target);
  }

  dialled(agentId: string, number: string): void {
    const list = this.byAgent.get(agentId) ?? [];
    const at = list.indexOf(number);
    if (at >= 0) list.splice(at, 1);
    list.unshift(number);
    if (list.length > this.limit) list.length = this.limit;
    this.byAgent.set(agentId, list);
  }

  of(agentId: string): string[] {
    return [...(this.byAgent.get(agentId) ?? [])];
  }
}
