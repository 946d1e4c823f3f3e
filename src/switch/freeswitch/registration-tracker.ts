/**
 * Who is registered where, so sign-in can ask "is extension 1001 registered?" and an
 * originate to an extension goes to the node its phone is registered on.
 *
 * A user can register several devices (one SIP Call-ID each); the user counts as
 * registered while at least one remains. The table is filled from `show
 * registrations as json` at connect, then kept by sofia::register / unregister /
 * expire events. FreeSWITCH writes its registrations table a moment after firing the
 * event, so a snapshot can be older than an event we already applied: what changed
 * after the snapshot was requested is kept, whatever the snapshot says.
 */
import type { NodeId } from '../switch-events.js';
import type { RegistrationRow } from './show-json.js';

export interface RegistrationChange {
  readonly user: string;
  readonly realm: string;
  readonly registered: boolean;
  readonly callId?: string;
}

interface Contact {
  readonly node: NodeId;
  readonly user: string;
  readonly realm: string;
  readonly callId: string;
  readonly at: number;
}

/** How long a removal is remembered against a snapshot that still lists it. */
const REMOVAL_MEMORY_MS = 60_000;

export class RegistrationTracker {
  private readonly contacts = new Map<string, Contact>();
  private readonly removed = new Map<string, number>();

  /** Applies an event; returns whether the user is still registered on that node. */
  apply(node: NodeId, change: RegistrationChange, now: number): boolean {
    const realm = change.realm.toLowerCase();
    const callId = change.callId ?? '';
    if (change.registered) {
      const key = contactKey(node, change.user, realm, callId);
      this.contacts.set(key, { node, user: change.user, realm, callId, at: now });
      this.removed.delete(key);
    } else {
      for (const [key, contact] of this.contacts) {
        // Without a Call-ID (some expiries) every device of the user on that node goes.
        if (contact.node === node && contact.user === change.user && contact.realm === realm && (callId === '' || contact.callId === callId)) {
          this.contacts.delete(key);
          this.removed.set(key, now);
        }
      }
      this.removed.set(contactKey(node, change.user, realm, callId), now);
    }
    return this.isRegisteredOn(node, change.user, realm);
  }

  /** Replaces a node's table with a snapshot requested at `requestedAt`. */
  replaceNode(node: NodeId, rows: ReadonlyArray<RegistrationRow>, requestedAt: number): void {
    for (const [key, contact] of this.contacts) {
      if (contact.node === node && contact.at < requestedAt) this.contacts.delete(key);
    }
    for (const row of rows) {
      const realm = row.realm.toLowerCase();
      const key = contactKey(node, row.user, realm, row.callId);
      const removedAt = this.removed.get(key);
      if (removedAt !== undefined && removedAt >= requestedAt) continue;
      if (!this.contacts.has(key)) this.contacts.set(key, { node, user: row.user, realm, callId: row.callId, at: requestedAt });
    }
    for (const [key, at] of this.removed) if (requestedAt - at > REMOVAL_MEMORY_MS) this.removed.delete(key);
  }

  isRegistered(user: string, realm?: string): boolean {
    return this.nodesOf(user, realm).length > 0;
  }

  /** Nodes where the user has a registration, in no particular order. */
  nodesOf(user: string, realm?: string): NodeId[] {
    const wanted = realm?.toLowerCase();
    const nodes = new Set<NodeId>();
    for (const c of this.contacts.values()) {
      if (c.user === user && (wanted === undefined || c.realm === wanted)) nodes.add(c.node);
    }
    return [...nodes];
  }

  private isRegisteredOn(node: NodeId, user: string, realm: string): boolean {
    for (const c of this.contacts.values()) if (c.node === node && c.user === user && c.realm === realm) return true;
    return false;
  }
}

function contactKey(node: NodeId, user: string, realm: string, callId: string): string {
  return `${node}\u0000${user}\u0000${realm}\u0000${callId}`;
}
