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

/** What the customer lists hold about one number beside the blacklist. */
export interface CustomerEntry {
  /** cust_grade: 0 ordinary, 1 VIP, up to 9. */
  readonly grade: number;
  readonly exclusiveAgent: ExclusiveAgent | null;
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


  /** The numbers with a grade or an exclusive agent, in number order. */
  customersOf(accountId: string): Array<{ readonly number: string } & CustomerEntry> {
    const prefix = `${accountId}|`;
    const numbers = new Set([...this.grades.keys(), ...this.exclusive.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
    return [...numbers].sort().map((number) => ({ number, ...this.customer(accountId, number)! }));
  }

  customer(accountId: string, number: string): CustomerEntry | undefined {
    const k = key(accountId, number);
    const grade = this.grades.get(k);
    const exclusive = this.exclusive.get(k);
    if (grade === undefined && exclusive === undefined) return undefined;
    return { grade: grade ?? 0, exclusiveAgent: exclusive ?? null };
  }

  /** Sets (or with null, removes) what the lists hold about a number; true when that changed anything. */
  setCustomer(accountId: string, number: string, given: CustomerEntry | null): boolean {
    // An ordinary grade and no exclusive agent is what a number not on the lists has.
    const entry = given !== null && (given.grade !== 0 || given.exclusiveAgent !== null) ? given : null;
    const before = this.customer(accountId, number);
    const same = (before === undefined && entry === null) ||
      (before !== undefined && entry !== null && before.grade === entry.grade &&
        before.exclusiveAgent?.agentId === entry.exclusiveAgent?.agentId && before.exclusiveAgent?.fallbackSeconds === entry.exclusiveAgent?.fallbackSeconds);
    if (same) return false;
    const k = key(accountId, number);
    if (entry === null || entry.grade === 0) this.grades.delete(k);
    else this.grades.set(k, entry.grade);
    if (entry === null || entry.exclusiveAgent === null) this.exclusive.delete(k);
    else this.exclusive.set(k, entry.exclusiveAgent);
    return true;
  }

  /** An agent that is gone is no number's exclusive agent any more (SQLite drops its rows by ON DELETE CASCADE). */
  forgetAgent(agentId: string): void {
    for (const [k, e] of this.exclusive) if (e.agentId === agentId) this.exclusive.delete(k);
  }

  exclusiveAgentOf(accountId: string, number: string): ExclusiveAgent | undefined {
    return this.exclusive.get(key(accountId, number));
  }
}
