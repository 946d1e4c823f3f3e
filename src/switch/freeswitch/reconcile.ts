/**
 * Reconciling what we believe with what a node says is up, on every (re)connect, on
 * a timer, and when events were lost (sequence-monitor.ts) or a channel we never
 * heard of shows up.
 *
 * `show channels as json` is read from FreeSWITCH's core database, which is written
 * a moment after the events, so the list can be slightly behind the event stream in
 * both directions. Hence:
 * - a channel missing from the list is only a candidate: `uuid_exists` (which looks
 *   at the live session table) must say `false` before it gets its one synthetic
 *   hangup; channels first seen after the list was requested are not candidates;
 * - a listed channel we do not know is adopted only if it did not just end, and its
 *   `uuid_dump` (which fails for a channel that is gone) gives its variables and
 *   state; `show calls as json` gives the leg it is bridged to.
 * Registrations are refreshed from `show registrations as json` in the same pass. Last,
 * the core is given the listed channels it already knows (`channels-listed`) to end or
 * adopt those that belong to none of its calls.
 */
import type { Clock } from '../../clock.js';
import * as cmd from '../../esl/commands.js';
import type { EslCommand } from '../../esl/commands.js';
import type { EslError } from '../../esl/errors.js';
import type { Result } from '../../esl/result.js';
import type { Logger } from '../../log.js';
import type { ListedChannel, NodeId, SwitchEvent } from '../../core/ports/switch-events.js';
import type { ChannelEntry, ChannelRegistry } from './channel-registry.js';
import { adoptedChannel } from './event-mapper.js';
import type { RegistrationTracker } from './registration-tracker.js';
import { bridgePartners, channelRow, parseShowJson, registrationRows, type Row } from './show-json.js';

export interface ChannelDiff {
  /** Known, live, and not listed: gone unless uuid_exists says otherwise. */
  readonly vanished: string[];
  /** Listed, not ended, and never announced to the core. */
  readonly appeared: string[];
}

/** Pure: compares a node's known channels with the uuids it lists. */
export function diffChannels(input: {
  readonly known: ReadonlyArray<ChannelEntry>;
  readonly listed: ReadonlySet<string>;
  /** When the list was requested: channels known only since then may be missing from it. */
  readonly requestedAt: number;
  hasEnded(uuid: string): boolean;
}): ChannelDiff {
  const byUuid = new Map(input.known.map((e) => [e.uuid, e]));
  const vanished = input.known
    .filter((e) => e.state === 'live' && e.since < input.requestedAt && !input.listed.has(e.uuid))
    .map((e) => e.uuid);
  const appeared = [...input.listed].filter((uuid) => !input.hasEnded(uuid) && byUuid.get(uuid)?.announced !== true);
  return { vanished, appeared };
}

/** The cause given to a channel that vanished without its hangup being seen (Q.850 31). */
export const VANISHED_CAUSE = 'NORMAL_UNSPECIFIED';

export interface ReconcilerDeps {
  readonly node: NodeId;
  readonly clock: Clock;
  readonly log: Logger;
  readonly registry: ChannelRegistry;
  readonly registrations: RegistrationTracker;
  api(command: EslCommand): Promise<Result<string, EslError>>;
  emit(event: SwitchEvent): void;
}

export interface ReconcileStats {
  readonly passes: number;
  readonly vanished: number;
  readonly adopted: number;
}

export class Reconciler {
  private running = false;
  private again = false;
  private stats = { passes: 0, vanished: 0, adopted: 0 };
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: ReconcilerDeps) {}

  get counters(): ReconcileStats {
    return { ...this.stats };
  }

  /** Asks for a pass; requests made while one runs are folded into one more pass. */
  request(reason: string): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop(reason);
  }

  /** Resolves when no pass is running (for shutdown and tests). */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async loop(reason: string): Promise<void> {
    try {
      let why = reason;
      do {
        this.again = false;
        await this.pass(why);
        why = 'requested during the previous pass';
      } while (this.again);
    } catch (err) {
      this.deps.log.error({ err }, 'reconcile pass failed');
    } finally {
      this.running = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async pass(reason: string): Promise<void> {
    const { clock, registry, node, log } = this.deps;
    this.stats.passes++;
    const requestedAt = clock.now();
    const listed = await this.rows(cmd.showChannels(), 'show channels');
    if (listed === undefined) return;
    const diff = diffChannels({
      known: registry.onNode(node),
      listed: new Set(listed.map((r) => r['uuid'] ?? '').filter((u) => u !== '')),
      requestedAt,
      hasEnded: (uuid) => registry.hasEnded(uuid),
    });

    let vanished = 0;
    for (const uuid of diff.vanished) if (await this.closeIfGone(uuid)) vanished++;
    const adopted = diff.appeared.length > 0 ? await this.adopt(diff.appeared) : new Set<string>();
    await this.refreshRegistrations();
    const present = this.stillUp(listed, adopted);
    if (present.length > 0) this.deps.emit({ type: 'channels-listed', node, at: clock.now(), channels: present });
    registry.prune(clock.now());
    if (vanished > 0 || adopted.size > 0) log.info({ reason, listed: listed.length, vanished, adopted: adopted.size }, 'reconciled');
    else log.debug({ reason, listed: listed.length }, 'reconciled');
  }

  /**
   * The listed channels with polylink_* variables that the core was told about before
   * this pass and that are still up now: the core checks them against its calls and ends
   * or adopts the ones that belong to none (a leg it gave up with a lost node, or one it
   * ended while the channel stayed up). Read when the event is emitted, so a channel
   * whose hangup arrived during the pass is not among them.
   */
  private stillUp(rows: ReadonlyArray<Row>, adoptedNow: ReadonlySet<string>): ListedChannel[] {
    const { registry } = this.deps;
    const out: ListedChannel[] = [];
    for (const raw of rows) {
      const row = channelRow(raw);
      if (row === undefined || adoptedNow.has(row.uuid) || registry.hasEnded(row.uuid)) continue;
      const entry = registry.get(row.uuid);
      if (entry === undefined || entry.state !== 'live' || !entry.announced) continue;
      if (entry.vars.call === undefined && entry.vars.accessNumber === undefined) continue; // not polylink's
      out.push({ ...row, vars: entry.vars });
    }
    return out;
  }

  private async closeIfGone(uuid: string): Promise<boolean> {
    const built = cmd.uuidExists(uuid);
    if (!built.ok) return false;
    const exists = await this.deps.api(built.value);
    if (!exists.ok || exists.value.trim() !== 'false') return false;
    const now = this.deps.clock.now();
    const ended = this.deps.registry.end(uuid, now);
    if (ended.kind !== 'ended') return false; // its real hangup arrived meanwhile
    this.stats.vanished++;
    if (ended.entry.announced) {
      this.deps.emit({
        type: 'channel-hangup',
        node: this.deps.node,
        at: now,
        uuid,
        vars: ended.entry.vars,
        cause: VANISHED_CAUSE,
        synthetic: true,
      });
    }
    return true;
  }

  private async adopt(candidates: ReadonlyArray<string>): Promise<Set<string>> {
    const { registry, node, clock } = this.deps;
    const calls = await this.rows(cmd.showCalls(), 'show calls');
    const partners = calls === undefined ? new Map<string, string>() : bridgePartners(calls);
    const adopted = new Set<string>();
    for (const uuid of candidates) {
      if (registry.hasEnded(uuid) || registry.get(uuid)?.announced === true) continue;
      const built = cmd.uuidDump(uuid);
      if (!built.ok) continue;
      const dumped = await this.deps.api(built.value);
      if (!dumped.ok || dumped.value.startsWith('-')) continue; // gone meanwhile
      const headers = dumpHeaders(dumped.value);
      if (headers === undefined) continue;
      const now = clock.now();
      const event = adoptedChannel(headers, { node, now }, partners.get(uuid));
      // Events may have announced or ended it while we waited for the dump.
      if (event === undefined || registry.hasEnded(uuid) || registry.get(uuid)?.announced === true) continue;
      registry.touch(uuid, node, now, true, event.vars);
      this.stats.adopted++;
      adopted.add(uuid);
      this.deps.emit(event);
    }
    return adopted;
  }

  private async refreshRegistrations(): Promise<void> {
    const requestedAt = this.deps.clock.now();
    const rows = await this.rows(cmd.showRegistrations(), 'show registrations');
    if (rows !== undefined) this.deps.registrations.replaceNode(this.deps.node, registrationRows(rows), requestedAt);
  }

  private async rows(command: EslCommand, what: string) {
    const reply = await this.deps.api(command);
    if (!reply.ok) {
      this.deps.log.warn({ error: reply.error.kind, message: reply.error.message }, `${what} failed; reconcile skipped`);
      return undefined;
    }
    const parsed = parseShowJson(reply.value);
    if (!parsed.ok) {
      this.deps.log.warn({ reply: parsed.error }, `${what}: unreadable reply`);
      return undefined;
    }
    return parsed.value;
  }
}

/** `uuid_dump <uuid> json`: the channel's CHANNEL_DATA event as one JSON object. */
function dumpHeaders(text: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return headers;
}
