/**
 * What the ACD knows about customer numbers: who is blacklisted, who is a VIP (cust_grade
 * 1), who has an exclusive agent. In memory, loaded from SQLite at start; the HTTP API
 * changes it here and in the store.
 */

export interface ExclusiveAgent {
  readonly agentId: string;
  readonly fallbackSeconds: number;
}

export interface CustomerListsData {
  blacklist: { accountId: string; number: string }[];
  grades: { accountId: string; number: string; grade: number }[];
  exclusive: { accountId: string; number: string; agentId: string; fallbackSeconds: number }[];
}

const key = (accountId: string, number: string): string => `${accountId}|${number}`;

export class CustomerLists {
  private readonly blacklisted = new Set<string>();
  private readonly grades = new Map<string, number>();
  private readonly exclusive = new Map<string, ExclusiveAgent>();

  constructor(data: CustomerListsData) {
    for (const b of data.blacklist) this.blacklisted.add(key(b.accountId, b.number));
    for (const g of data.grades) this.grades.set(key(g.accountId, g.number), g.grade);
    for (const e of data.exclusive) this.exclusive.set(key(e.accountId, e.number), { agentId: e.agentId, fallbackSeconds: e.fallbackSeconds });
  }

  isBlacklisted(accountId: string, number: string): boolean {
    return this.blacklisted.has(key(accountId, number));
  }

  blacklistOf(accountId: string): string[] {
    const prefix = `${accountId}|`;
    return [...this.blacklisted].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).sort();
  }

  setBlacklisted(accountId: string, number: string, on: boolean): boolean {
    const k = key(accountId, number);
    const had = this.blacklisted.has(k);
    if (on) this.blacklisted.add(k);
    else this.blacklisted.delete(k);
    return had !== on;
  }

  /** cust_grade: 0 ordinary, 1 VIP. */
  gradeOf(accountId: string, number: string): number {
    return this.grades.get(key(accountId, number)) ?? 0;
  }

  setGrade(accountId: string, number: string, grade: number): void {
    if (grade === 0) this.grades.delete(key(accountId, number));
    else this.grades.set(key(accountId, number), grade);
  }

  exclusiveAgentOf(accountId: string, number: string): ExclusiveAgent | undefined {
    return this.exclusive.get(key(accountId, number));
  }

  setExclusiveAgent(accountId: string, number: string, agent: ExclusiveAgent | undefined): void {
    if (agent === undefined) this.exclusive.delete(key(accountId, number));
    else this.exclusive.set(key(accountId, number), agent);
  }
}
