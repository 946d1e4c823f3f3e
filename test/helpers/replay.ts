/**
 * Runs a capture's scenario against the simulator: the box the captures were made on
 * (its dialplan, its users), a ManualClock so that ringing, sleeps and timeouts take
 * no real time, and the structural comparison with the capture.
 */
import { decodeFrame } from '../../src/esl/event.js';
import { EslFramer } from '../../src/esl/framer.js';
import { ManualClock } from '../../src/clock.js';
import { SwitchSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import type { EslMessage } from '../../src/esl/event.js';
import { compare, renumber, structure, type Comparison } from './capture-compare.js';
import { readCapture } from './esl-captures.js';
import { EslTestClient } from './esl-test-client.js';

export interface ReplayContext {
  readonly sim: SwitchSimulator;
  readonly clock: ManualClock;
  readonly client: EslTestClient;
  /** Moves simulated time and lets the sockets deliver what it caused. */
  tick(ms: number): Promise<void>;
  /** Waits (real time) until the simulator's state satisfies `pred`: a command sent has been processed. */
  until(pred: () => boolean): Promise<void>;
}

/** The capture box's dialplan and directory (INDEX.txt): 85xx park, 86xx answer+park, 8800 answer then hang up after 2 s, 9196 echo. */
export function captureBox(sim: SwitchSimulator): void {
  // 85xx and 86xx are patterns there: their regex captures the number (DP_MATCH).
  sim.addRoute('85xx', [{ app: 'set', data: 'cti_queue=${destination_number}' }, { app: 'park' }]);
  sim.addRoute('86xx', [{ app: 'set', data: 'cti_queue=${destination_number}' }, { app: 'answer' }, { app: 'park' }]);
  sim.addRoute('8800', [{ app: 'answer' }, { app: 'sleep', data: '2000' }]);
  for (let ext = 1000; ext <= 1019; ext++) sim.addUser(String(ext));
}

export function sipp(port: number): { port: number; subject: string } {
  return { port, subject: 'CTI test' };
}

export interface ReplayOptions {
  /** Compare only up to (and including) the first message matching this, on both sides (a3: its json part). */
  readonly upTo?: (m: EslMessage) => boolean;
  /**
   * Simulator messages to leave out, by label prefix and stream: states the real switch
   * happened to skip in that run (a state changed twice before its thread looked).
   */
  readonly skipSimulator?: ReadonlyArray<{ readonly stream: string; readonly label: string }>;
  /** How the capture's box was configured where it differs from the first box (k: freeswitch-conf/'s SIP profile). */
  readonly simulator?: Pick<SimulatorOptions, 'sipProfile'>;
}

function cut(messages: readonly EslMessage[], upTo: ReplayOptions['upTo']): readonly EslMessage[] {
  if (upTo === undefined) return messages;
  const i = messages.findIndex(upTo);
  return i === -1 ? messages : messages.slice(0, i + 1);
}

export async function replay(
  name: string,
  scenario: (ctx: ReplayContext) => Promise<void>,
  options: ReplayOptions = {},
): Promise<Comparison> {
  const clock = new ManualClock();
  const sim = new SwitchSimulator({ port: 0, clock, heartbeatMs: 0, identity: { hostname: 'vm' }, ...options.simulator });
  captureBox(sim);
  const port = await sim.start();
  const client = await EslTestClient.connect(port);
  await client.waitFor((m) => m.kind === 'auth-request');
  const tick = async (ms: number) => {
    clock.advance(ms);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  };
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 2));
    if (!pred()) throw new Error('simulator never reached the expected state');
  };
  try {
    await scenario({ sim, clock, client, tick, until });
    if (client.isOpen) {
      await client.command('exit');
      await client.closed;
    }
  } finally {
    client.close();
    await sim.stop();
  }
  const captured = new EslFramer().pushAll(readCapture(name)).map(decodeFrame);
  let simulated = structure(cut(client.messages, options.upTo));
  for (const skip of options.skipSimulator ?? []) {
    const i = simulated.findIndex((it) => it.stream === skip.stream && it.label.startsWith(skip.label));
    if (i !== -1) simulated = renumber([...simulated.slice(0, i), ...simulated.slice(i + 1)]);
  }
  return compare(structure(cut(captured, options.upTo)), simulated);
}
