/**
 * Who is registered where, so sign-in can ask "is extension 1001 registered?" and an
 * originate to an extension goes to the node its phone is registered on.
 *
 * The table follows mod_sofia's rule for the profile the phone registered on
 * (registration-rules.ts; sofia_reg.c sofia_reg_handle_register_token):
 * - per-user (FreeSWITCH's default): a REGISTER replaces the user's registration
 *   whatever its Call-ID, with no event for the one replaced; a REGISTER with
 *   Expires: 0 removes it whatever Call-ID it carries (its sofia::unregister names only
 *   its own). Phones do both when they reboot (capture k). A user whose directory entry
 *   says `sip-allow-multiple-registrations=false` (the event carries it) is per-user on
 *   any profile.
 * - per-call-id / per-contact: one registration per Call-ID / per Contact; an
 *   unregister removes the one it names.
 * sofia::expire is fired once per lapsed registration with its Call-ID
 * (sofia_reg_del_callback) and removes that one.
 *
 * The table is filled from `show registrations as json` at connect and on every
 * reconcile, and kept by the events in between. FreeSWITCH writes the table that
 * snapshot reads through its SQL queue, after firing the event (switch_core_sqldb.c
 * switch_core_add_registration → switch_sql_queue_manager_push): a snapshot requested
 * just after a sofia::register can still lack that registration. So what events said
 * about a user wins over any snapshot requested less than SNAPSHOT_LAG_MS after the
 * user's last event; later snapshots correct what events missed.
 */
import type { NodeId } from '../../core/ports/switch-events.js';
import { DEFAULT_RULE, type RegistrationRule } from './registration-rules.js';
import type { RegistrationRow } from './show-json.js';

export interface RegistrationChange {
  readonly change: 'register' | 'unregister' | 'expire';
  readonly user: string;
  readonly realm: string;
  /** The SIP profile (`profile-name`); '' when unknown. */
  readonly profile?: string;
  readonly callId?: string;
  readonly contact?: string;
  /** The user's directory forbids several registrations (sip-allow-multiple-registrations=false). */
  readonly singleForUser?: boolean;
}

interface Binding {
  readonly callId: string;
  readonly contact: string;
}

interface UserEntry {
  readonly node: NodeId;
  readonly profile: string;
  readonly user: string;
  readonly realm: string;
  bindings: Binding[];
  /** When an event last changed this user (our clock); undefined when only snapshots did. */
  changedAt: number | undefined;
}

/** How long after a user's last event a snapshot may still predate it in FreeSWITCH's table. */
export const SNAPSHOT_LAG_MS = 10_000;

export class RegistrationTracker {
  private readonly users = new Map<string, UserEntry>();
  private readonly rules = new Map<NodeId, ReadonlyMap<string, RegistrationRule>>();

  /** The rules of a node's profiles, as read from its configuration. */
  setRules(node: NodeId, rules: ReadonlyMap<string, RegistrationRule>): void {
    this.rules.set(node, rules);
  }

  ruleOf(node: NodeId, profile: string): RegistrationRule {
    return this.rules.get(node)?.get(profile) ?? DEFAULT_RULE;
  }

  /** Applies an event; returns whether the user is still registered on that node. */
  apply(node: NodeId, change: RegistrationChange, now: number): boolean {
    const entry = this.entry(node, change.profile ?? '', change.user, change.realm);
    const rule = change.singleForUser === true ? 'per-user' : this.ruleOf(node, entry.profile);
    const callId = change.callId ?? '';
    const contact = change.contact ?? '';
    const same = (b: Binding) => (rule === 'per-contact' && contact !== '' ? b.contact === contact : b.callId === callId);
    switch (change.change) {
      case 'register':
        entry.bindings = rule === 'per-user' ? [{ callId, contact }] : [...entry.bindings.filter((b) => !same(b)), { callId, contact }];
        break;
      case 'unregister':
        entry.bindings = rule === 'per-user' || callId === '' ? [] : entry.bindings.filter((b) => !same(b));
        break;
      case 'expire':
        // One event per lapsed registration, naming its Call-ID; without one, all of them.
        entry.bindings = callId === '' ? [] : entry.bindings.filter((b) => b.callId !== callId);
        break;
    }
    entry.changedAt = now;
    return this.isRegisteredOn(node, change.user, entry.realm);
  }

  /**
   * Lays a node's snapshot, requested at `requestedAt`, over the table: users an event
   * changed less than SNAPSHOT_LAG_MS before the request keep what the event said.
   */
  replaceNode(node: NodeId, rows: ReadonlyArray<RegistrationRow>, requestedAt: number): void {
    const listed = new Map<string, { row: RegistrationRow; bindings: Binding[] }>();
    for (const row of rows) {
      const key = userKey(node, row.profile, row.user, row.realm.toLowerCase());
      const seen = listed.get(key);
      if (seen === undefined) listed.set(key, { row, bindings: [{ callId: row.callId, contact: row.contact }] });
      else seen.bindings.push({ callId: row.callId, contact: row.contact });
    }
    const recent = (e: UserEntry) => e.changedAt !== undefined && e.changedAt > requestedAt - SNAPSHOT_LAG_MS;
    for (const [key, entry] of this.users) {
      if (entry.node !== node || recent(entry)) continue;
      entry.bindings = listed.get(key)?.bindings ?? [];
      if (entry.bindings.length === 0) this.users.delete(key);
    }
    for (const [key, { row, bindings }] of listed) {
      if (this.users.has(key)) continue;
      this.users.set(key, { node, profile: row.profile, user: row.user, realm: row.realm.toLowerCase(), bindings, changedAt: undefined });
    }
  }

  /** The node restarted: what events said before it no longer outweighs the next snapshot. */
  restarted(node: NodeId): void {
    for (const e of this.users.values()) if (e.node === node) e.changedAt = undefined;
  }

  isRegistered(user: string, realm?: string): boolean {
    return this.nodesOf(user, realm).length > 0;
  }

  /** Nodes where the user has a registration, in no particular order. */
  nodesOf(user: string, realm?: string): NodeId[] {
    const wanted = realm?.toLowerCase();
    const nodes = new Set<NodeId>();
    for (const e of this.users.values()) {
      if (e.user === user && e.bindings.length > 0 && (wanted === undefined || e.realm === wanted)) nodes.add(e.node);
    }
    return [...nodes];
  }

  /** Every registered user (one entry per node, profile and realm), with the contact of its latest registration. */
  list(): Array<{ readonly node: NodeId; readonly user: string; readonly realm: string; readonly contact: string }> {
    const out: Array<{ node: NodeId; user: string; realm: string; contact: string }> = [];
    for (const e of this.users.values()) {
      const latest = e.bindings.at(-1);
      if (latest !== undefined) out.push({ node: e.node, user: e.user, realm: e.realm, contact: latest.contact });
    }
    return out;
  }

  /** The Call-IDs a user has on a node (diagnostics and tests). */
  callIdsOf(node: NodeId, user: string): string[] {
    const out: string[] = [];
    for (const e of this.users.values()) if (e.node === node && e.user === user) out.push(...e.bindings.map((b) => b.callId));
    return out;
  }

  private isRegisteredOn(node: NodeId, user: string, realm: string): boolean {
    for (const e of this.users.values()) if (e.node === node && e.user === user && e.realm === realm && e.bindings.length > 0) return true;
    return false;
  }

  private entry(node: NodeId, profile: string, user: string, realmAsGiven: string): UserEntry {
    const realm = realmAsGiven.toLowerCase();
    const key = userKey(node, profile, user, realm);
    let entry = this.users.get(key);
    if (entry === undefined) this.users.set(key, (entry = { node, profile, user, realm, bindings: [], changedAt: undefined }));
    return entry;
  }
}

function userKey(node: NodeId, profile: string, user: string, realm: string): string {
  return `${node}\u0000${profile}\u0000${user}\u0000${realm}`;
}
