/**
 * One ManualClock for polylink's core and its built-in simulator, moved by the test
 * instead of sleeping. Time moves only when the whole system has settled, and then only
 * to the next timer that falls due (a phone that answers, a ring timeout, the end of
 * after-call work), so a test runs the same way every time and waits no real seconds.
 *
 * Settled is a barrier, not a pause. One round of it:
 * 1. an `api status` round trip on each ESL link: the simulator answers a connection's
 *    commands in order and writes a reply after the events it fired before, so every
 *    command polylink sent before has been run and answered, and every event fired so far
 *    has been read by polylink (a turn of the event loop lets the answers be handled);
 * 2. polylink's delivery queue of switch events is empty: the core has taken each of them;
 * 3. a heartbeat round trip on each agent connection (AgentClient.sync): the server
 *    answers after what it pushed before, so every event sent to a bar has arrived.
 * Rounds repeat until one changes nothing — no switch event fired (the API event of every
 * command polylink sends counts; the barrier's own `status` does not), no message
 * received, no command of polylink's waiting for its answer — and the timers due at the
 * present moment (0 ms) have fired. An originate waiting for its callee is not a command
 * waiting: its answer came, its result follows the callee, in clock time.
 */
import type { ManualClock } from '../../src/clock.js';
import { eventHeader } from '../../src/simulator/events/switch-event.js';
import type { SwitchSimulator } from '../../src/simulator/switch-simulator.js';
import type { FreeSwitchSwitch } from '../../src/switch/freeswitch/freeswitch-switch.js';
import type { AgentClient } from './agent-client.js';

export interface DrivenSystem {
  readonly clock: ManualClock;
  readonly port: FreeSwitchSwitch;
  readonly sim: SwitchSimulator;
  /** The bars to sync, each with the agent it signed in as. */
  clients(): ReadonlyArray<{ readonly client: AgentClient; readonly agentId: string }>;
}

/** How far one wait may move the clock before it fails: beyond any timeout the tests configure. */
const DRIVE_LIMIT_MS = 120_000;
/** Rounds of settling beyond which the system is declared restless (a loop of events). */
const MAX_ROUNDS = 1000;

export class ClockDriver {
  private simEvents = 0;
  /** One step (settle, then move) at a time, whoever waits. */
  private turn: Promise<void> = Promise.resolve();
  private readonly stopObserving: () => void;

  constructor(private readonly system: DrivenSystem) {
    this.stopObserving = system.sim.onEvent((e) => {
      // The barrier's own probe (and the link's liveness probe) change nothing.
      if (e.name !== 'API' || eventHeader(e, 'API-Command') !== 'status') this.simEvents++;
    });
  }

  stop(): void {
    this.stopObserving();
  }

  /** Resolves when nothing more happens without time moving (see above). */
  settle(): Promise<void> {
    return this.inTurn(() => this.settleNow());
  }

  /** Moves time forward by `ms`, one due timer at a time, settling after each. */
  tick(ms: number): Promise<void> {
    return this.inTurn(async () => {
      const { clock } = this.system;
      const target = clock.now() + ms;
      for (;;) {
        await this.settleNow();
        const next = clock.nextDue;
        if (next === undefined || next > target) break;
        clock.advance(next - clock.now());
      }
      clock.advance(target - clock.now());
      await this.settleNow();
    });
  }

  /** Moves time (as real time would pass) until `waiting` settles; fails if it has not within `limitMs` of clock time. */
  async drive<T>(waiting: Promise<T>, limitMs = DRIVE_LIMIT_MS): Promise<T> {
    let done = false;
    const watched = waiting.finally(() => (done = true));
    // A rejection is the caller's to see (through the await below), never unhandled.
    watched.catch(() => undefined);
    await this.until(() => done, limitMs, 'the awaited message or end').catch((err: unknown) => {
      if (!done) throw err;
    });
    return watched;
  }

  /** Moves time until `check` holds; fails if it does not within `limitMs` of clock time. */
  async until(check: () => boolean, limitMs = DRIVE_LIMIT_MS, what = 'the condition'): Promise<void> {
    const { clock } = this.system;
    const until = clock.now() + limitMs;
    for (;;) {
      if (check()) return;
      const step = await this.inTurn(async (): Promise<'moved' | 'link-down' | 'stuck'> => {
        await this.settleNow();
        if (check()) return 'moved';
        // The link to the switch reconnects in real time: the clock waits for it.
        if (this.system.port.nodes().some((n) => n.state !== 'ready')) return 'link-down';
        const next = clock.nextDue;
        if (next === undefined || next > until) return 'stuck';
        clock.advance(next - clock.now());
        return 'moved';
      });
      if (step === 'stuck' && !check()) throw new Error(`${what} did not come within ${limitMs} ms of clock time (at ${clock.now() - (until - limitMs)} ms)`);
      if (step === 'link-down') await new Promise((r) => setTimeout(r, 5));
    }
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private marker(): number {
    return this.simEvents + this.system.clients().reduce((n, c) => n + c.client.received.length, 0);
  }

  private async settleNow(): Promise<void> {
    const { clock } = this.system;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const before = this.marker();
      await this.round();
      if (this.marker() !== before || this.commandsWaiting()) continue;
      const next = clock.nextDue;
      if (next === undefined || next > clock.now()) return;
      // Timers due now are part of the present.
      clock.advance(0);
    }
    throw new Error(`the system did not settle within ${MAX_ROUNDS} rounds`);
  }

  private commandsWaiting(): boolean {
    const { port } = this.system;
    return port.nodes().some((status) => (port.node(status.id)?.client.stats.pendingReplies ?? 0) > 0);
  }

  private async round(): Promise<void> {
    const { port } = this.system;
    for (const status of port.nodes()) {
      const node = port.node(status.id);
      if (node !== undefined && status.state === 'ready') await node.client.api('status');
    }
    // The answers that came before the probe's are handled in the turn they arrived in.
    await new Promise((r) => setImmediate(r));
    while (port.backlog().waiting > 0) await new Promise((r) => setImmediate(r));
    await Promise.all(this.system.clients().map(({ client, agentId }) => client.sync(agentId)));
  }
}
