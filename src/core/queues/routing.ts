/**
 * Choosing the agent for a waiting customer: pure functions over candidates, so every
 * strategy and tiering rule is tested with plain data and a deterministic clock.
 *
 * Skill tiers: a membership `level` (1 first). Lower tiers are tried only when no agent
 * of a higher tier is idle; `penalty` orders agents within a tier. Every strategy applies
 * the tiers the same way; `skill` is tiers with longest-idle inside.
 */

export type Strategy = 'longest-idle' | 'round-robin' | 'fewest-calls' | 'least-talk-time' | 'ring-all' | 'random' | 'top-down' | 'skill';

export interface Candidate {
  readonly agentId: string;
  /** When the agent became free (IDLE) last. */
  readonly idleSince: number;
  /** Position in the queue's member list (top-down). */
  readonly position: number;
  readonly level: number;
  readonly penalty: number;
  /** Calls answered today (fewest-calls). */
  readonly callsToday: number;
  /** Seconds talked today (least-talk-time). */
  readonly talkToday: number;
}

export interface RoutingState {
  /** Member position of the agent the last round-robin offer went to. */
  lastPosition: number | undefined;
}

/**
 * The agents to offer the call to: one, or for ring-all every agent of the best tier.
 * Empty when there is no candidate.
 */
export function chooseAgents(strategy: Strategy, candidates: readonly Candidate[], state: RoutingState, random: () => number): Candidate[] {
  if (candidates.length === 0) return [];
  const best = Math.min(...candidates.map((c) => c.level));
  const tier = candidates.filter((c) => c.level === best);
  const byPenalty = (a: Candidate, b: Candidate) => a.penalty - b.penalty;
  const ties = (a: Candidate, b: Candidate) => a.position - b.position || (a.agentId < b.agentId ? -1 : 1);
  switch (strategy) {
    case 'ring-all':
      return [...tier].sort((a, b) => byPenalty(a, b) || ties(a, b));
    case 'random': {
      const lowest = Math.min(...tier.map((c) => c.penalty));
      const pool = tier.filter((c) => c.penalty === lowest).sort(ties);
      return [pool[Math.min(pool.length - 1, Math.floor(random() * pool.length))]!];
    }
    case 'top-down':
      return [[...tier].sort((a, b) => a.position - b.position || byPenalty(a, b) || ties(a, b))[0]!];
    case 'round-robin': {
      // The next member after the one offered last (free or not), wrapping round.
      const ordered = [...tier].sort((a, b) => a.position - b.position || ties(a, b));
      const last = state.lastPosition ?? -Infinity;
      return [ordered.find((c) => c.position > last) ?? ordered[0]!];
    }
    case 'fewest-calls':
      return [[...tier].sort((a, b) => a.callsToday - b.callsToday || byPenalty(a, b) || a.idleSince - b.idleSince || ties(a, b))[0]!];
    case 'least-talk-time':
      return [[...tier].sort((a, b) => a.talkToday - b.talkToday || byPenalty(a, b) || a.idleSince - b.idleSince || ties(a, b))[0]!];
    case 'longest-idle':
    case 'skill':
      return [[...tier].sort((a, b) => byPenalty(a, b) || a.idleSince - b.idleSince || ties(a, b))[0]!];
  }
}
