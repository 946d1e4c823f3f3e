/**
 * Which node every channel lives on (operations on a uuid are sent there), whether
 * the core has been told about it, and which channels ended recently. The recent
 * ends matter because FreeSWITCH's `show channels` is read from a database that the
 * core updates a moment after the events: a channel we just saw hang up can still be
 * listed, and must not be "found" again.
 */
import type { NodeId, PolylinkVars } from '../../core/ports/switch-events.js';

export interface ChannelEntry {
  readonly uuid: string;
  readonly node: NodeId;
  /** reserved: we sent its originate and have seen nothing yet. live: seen on the switch. */
  state: 'reserved' | 'live';
  /** The core was told about it (channel-created or channel-adopted). */
  announced: boolean;
  /** When it became known (clock time). */
  readonly since: number;
  /** Its polylink_* variables as last reported (carried by a synthetic hangup). */
  vars: PolylinkVars;
}

export type Touch = 'new' | 'known' | 'ended';

export type End =
  | { readonly kind: 'ended'; readonly entry: ChannelEntry }
  /** Not known: an event about a channel we never saw (it is remembered as ended all the same). */
  | { readonly kind: 'unknown' }
  /** It had already ended: a second hangup for it must not reach the core. */
  | { readonly kind: 'already-ended' };

const NO_VARS: PolylinkVars = Object.freeze({});

export class ChannelRegistry {
  private readonly channels = new Map<string, ChannelEntry>();
  private readonly ended = new Map<string, number>();
  /**
   * Channels per node, kept as they come and go: node status is read on hot paths (the
   * ACD asks whether the switch is ready for every candidate agent), so counting must
   * not walk every channel.
   */
  private readonly perNode = new Map<NodeId, number>();

  constructor(private readonly rememberEndsMs = 120_000) {}

  get size(): number {
    return this.channels.size;
  }

  get(uuid: string): ChannelEntry | undefined {
    return this.channels.get(uuid);
  }

  nodeOf(uuid: string): NodeId | undefined {
    return this.channels.get(uuid)?.node;
  }

  /** How many channels live (or are reserved) on the node. */
  countOnNode(node: NodeId): number {
    return this.perNode.get(node) ?? 0;
  }

  onNode(node: NodeId): ChannelEntry[] {
    const out: ChannelEntry[] = [];
    for (const entry of this.channels.values()) if (entry.node === node) out.push(entry);
    return out;
  }

  /** An originate is on its way: operations on the new uuid already know its node. */
  reserve(uuid: string, node: NodeId, now: number, vars: PolylinkVars = NO_VARS): void {
    if (!this.channels.has(uuid)) this.add({ uuid, node, state: 'reserved', announced: false, since: now, vars });
  }

  /** The originate failed before the channel was ever seen. */
  release(uuid: string): void {
    const entry = this.channels.get(uuid);
    if (entry?.state === 'reserved') this.remove(entry);
  }

  /**
   * An event about the channel. `ended` when it already hung up (a late event, which
   * must not bring it back); `new` when it was not known.
   */
  touch(uuid: string, node: NodeId, now: number, announce: boolean, vars: PolylinkVars = NO_VARS): Touch {
    if (this.ended.has(uuid)) return 'ended';
    const entry = this.channels.get(uuid);
    if (entry === undefined) {
      this.add({ uuid, node, state: 'live', announced: announce, since: now, vars });
      return 'new';
    }
    entry.state = 'live';
    if (announce) entry.announced = true;
    if (vars !== NO_VARS && Object.keys(vars).length > 0) entry.vars = vars;
    return 'known';
  }

  /**
   * A channel known from before a restart, live since `since` as far as anyone knows: the
   * core knows it (announced), and a reconcile that does not find it ends it.
   */
  follow(uuid: string, node: NodeId, since: number, vars: PolylinkVars): void {
    if (!this.channels.has(uuid) && !this.ended.has(uuid)) this.add({ uuid, node, state: 'live', announced: true, since, vars });
  }

  /** The channel is gone. */
  end(uuid: string, now: number): End {
    if (this.ended.has(uuid)) return { kind: 'already-ended' };
    this.ended.set(uuid, now);
    const entry = this.channels.get(uuid);
    if (entry === undefined) return { kind: 'unknown' };
    this.remove(entry);
    return { kind: 'ended', entry };
  }

  hasEnded(uuid: string): boolean {
    return this.ended.has(uuid);
  }

  private add(entry: ChannelEntry): void {
    this.channels.set(entry.uuid, entry);
    this.perNode.set(entry.node, this.countOnNode(entry.node) + 1);
  }

  private remove(entry: ChannelEntry): void {
    this.channels.delete(entry.uuid);
    const left = this.countOnNode(entry.node) - 1;
    if (left > 0) this.perNode.set(entry.node, left);
    else this.perNode.delete(entry.node);
  }

  /** Forgets ends older than the memory span. */
  prune(now: number): void {
    for (const [uuid, at] of this.ended) {
      if (now - at >= this.rememberEndsMs) this.ended.delete(uuid);
    }
  }
}
