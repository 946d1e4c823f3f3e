/**
 * The customers waiting in one queue, kept in the order they are served (servedBefore: VIPs
 * first, then who has waited longest). A customer is put in its place when it enters, so
 * nothing re-sorts the line on each event: the first customer not ringing an agent is found
 * from the front, and the earliest enter time is read from the first customer of each grade
 * (within a grade the line is in enter-time order), not from every customer.
 */
import { servedBefore, type WaitingCustomer } from './waiting-customer.js';

export class WaitingLine {
  private readonly list: WaitingCustomer[] = [];
  /** Those with an exclusive agent: a dispatch that has run out of free agents looks only at these. */
  private readonly exclusive = new Set<WaitingCustomer>();

  get length(): number {
    return this.list.length;
  }

  /** The customers in served order (the line itself: read, never changed by the caller). */
  inOrder(): readonly WaitingCustomer[] {
    return this.list;
  }

  add(w: WaitingCustomer): void {
    const at = this.placeOf(w);
    // Most customers enter last: push rather than splice at the end.
    if (at === this.list.length) this.list.push(w);
    else this.list.splice(at, 0, w);
    if (w.exclusiveAgent !== undefined) this.exclusive.add(w);
  }

  /** Takes the customer out; false when it is not in this line. */
  remove(w: WaitingCustomer): boolean {
    const at = this.placeOf(w);
    if (this.list[at] !== w) return false;
    this.list.splice(at, 1);
    this.exclusive.delete(w);
    return true;
  }

  /** The customer served next that is not ringing an agent now. */
  head(): WaitingCustomer | undefined {
    for (const w of this.list) if (w.offering.size === 0) return w;
    return undefined;
  }

  /** Customers with an exclusive agent served after `w`, in served order. */
  exclusiveAfter(w: WaitingCustomer): WaitingCustomer[] {
    if (this.exclusive.size === 0) return [];
    return [...this.exclusive].filter((x) => servedBefore(w, x) < 0).sort(servedBefore);
  }

  /** The earliest enter time of the customers waiting here. */
  earliestEnter(): number | undefined {
    const list = this.list;
    let min: number | undefined;
    let i = 0;
    while (i < list.length) {
      const first = list[i]!;
      if (min === undefined || first.enteredAt < min) min = first.enteredAt;
      i = this.gradeEnd(i, first.grade);
    }
    return min;
  }

  /** The index where `w` is, or would be put (servedBefore is a total order: seq is unique). */
  private placeOf(w: WaitingCustomer): number {
    const list = this.list;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (servedBefore(list[mid]!, w) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index after `from` whose grade is lower than `grade` (grades fall along the line). */
  private gradeEnd(from: number, grade: number): number {
    const list = this.list;
    let lo = from + 1;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.grade >= grade) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
