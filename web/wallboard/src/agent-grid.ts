/**
 * The wallboard's agents: one tile per agent of the groups the supervisor's role monitors,
 * its state and since when, kept from getagentsmonitorinfo (agents outside the role's scope
 * read flag -99 there and are left out) and then from the AgentStatusChangeEvent pushes the
 * server sends a supervisor for its groups. Pure: times are the page's clock in ms.
 */
import { AgentStatus } from '../../sdk/src/index.js';
import { serverSecondsBetween } from '../../shared/durations.js';

export interface AgentTile {
  readonly agentNum: string;
  readonly name: string;
  readonly group: string;
  /** Agent_Status, as the protocol writes it. */
  readonly status: string;
  /** When the agent entered its state, on the page's clock. */
  readonly since: number;
  readonly exten: string;
}

export type Tiles = ReadonlyMap<string, AgentTile>;

/** What a tile's colour says: the states grouped as a floor manager reads them. */
export type StateClass = 'ring' | 'talk' | 'hold' | 'out' | 'acw' | 'idle' | 'busy' | 'leave' | 'offline';

export const STATE_CLASSES: readonly StateClass[] = ['ring', 'talk', 'hold', 'out', 'acw', 'idle', 'busy', 'leave', 'offline'];

export function stateClass(status: string): StateClass {
  switch (Number(status)) {
    case AgentStatus.RING:
    case AgentStatus.CAMP_ON:
      return 'ring';
    case AgentStatus.TALKING:
    case AgentStatus.MUTE:
      return 'talk';
    case AgentStatus.HOLD:
      return 'hold';
    case AgentStatus.CALL_OUT:
    case AgentStatus.CALLING_OUT:
      return 'out';
    case AgentStatus.ACW:
      return 'acw';
    case AgentStatus.IDLE:
      return 'idle';
    case AgentStatus.LEAVE:
      return 'leave';
    case AgentStatus.OFFLINE:
    case AgentStatus.UNKNOWN:
      return 'offline';
    default:
      // BUSY and the deployment's own not-ready states (100 …).
      return 'busy';
  }
}

/** The fields of Agent_Online_Struct the grid reads. */
export interface MonitoredAgent {
  readonly agentNum: string;
  readonly agentName: string;
  readonly agentgroup_name: string;
  readonly agentStatus: string;
  readonly flag: string;
  readonly status_change_time: string;
  /** polylink's: the extension the agent is signed in with. */
  readonly agentExten: string;
}

/** The tiles of getagentsmonitorinfo's answer; `currentTime` is its current_time, `now` the page's clock then. */
export function tilesFrom(agents: readonly MonitoredAgent[], currentTime: string, now: number): Map<string, AgentTile> {
  const tiles = new Map<string, AgentTile>();
  for (const a of agents) {
    // -99: outside the role's scope (or unknown): not the supervisor's to watch.
    if (a.flag === '-99') continue;
    const offline = a.flag !== '0';
    const inState = offline ? undefined : serverSecondsBetween(a.status_change_time, currentTime);
    tiles.set(a.agentNum, {
      agentNum: a.agentNum,
      name: a.agentName,
      group: a.agentgroup_name,
      status: offline ? String(AgentStatus.OFFLINE) : a.agentStatus,
      since: inState === undefined ? now : now - inState * 1000,
      exten: offline ? '' : a.agentExten,
    });
  }
  return tiles;
}

/** An AgentStatusChangeEvent: a tile in scope moves; the same state again (a resumed session) keeps its time. */
export function withStatus(tiles: Tiles, change: { readonly agent_num: string; readonly new_status: string }, now: number): Tiles {
  const tile = tiles.get(change.agent_num);
  if (tile === undefined || tile.status === change.new_status) return tiles;
  const next = new Map(tiles);
  next.set(change.agent_num, { ...tile, status: change.new_status, since: now });
  return next;
}

/** The tiles in the grid's order: by state (ringing first, offline last), then the longest in its state first. */
export function inGridOrder(tiles: Tiles): AgentTile[] {
  const rank = (t: AgentTile) => STATE_CLASSES.indexOf(stateClass(t.status));
  return [...tiles.values()].sort((a, b) => rank(a) - rank(b) || a.since - b.since || a.agentNum.localeCompare(b.agentNum));
}

/** How many agents are in each colour. */
export function countByClass(tiles: Tiles): Record<StateClass, number> {
  const counts = Object.fromEntries(STATE_CLASSES.map((c) => [c, 0])) as Record<StateClass, number>;
  for (const t of tiles.values()) counts[stateClass(t.status)]++;
  return counts;
}

/** What a supervisor can do to an agent in this state: step into its call, or force its state. */
export function onCall(status: string): boolean {
  const c = stateClass(status);
  return c === 'talk' || c === 'hold';
}
