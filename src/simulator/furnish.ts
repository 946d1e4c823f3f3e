/**
 * Gives the built-in simulator what a real FreeSWITCH deployment would have (the
 * freeswitch-conf/ directory does the same for a real one): registered phones, access
 * numbers parked for polylink, IVRs, and the gateways outbound calls leave through. The
 * setup is plain data: the simulator knows nothing of polylink's organisation (the
 * composition root maps it, src/app/simulator-setup.ts).
 */
import type { SwitchSimulator } from './switch-simulator.js';

export interface SimulatorSetup {
  /** Extensions with a phone that registers at once. */
  readonly phones: readonly string[];
  /** Numbers the dialplan parks for polylink, with the queue the IVR-less path names. */
  readonly accessNumbers: ReadonlyArray<{ readonly number: string; readonly queue?: string }>;
  /** IVRs: the access number they park to, and the queue each key chooses. */
  readonly ivrs: ReadonlyArray<{ readonly num: string; readonly accessNumber: string; readonly queues: Readonly<Record<string, string>> }>;
  readonly gateways: readonly string[];
}

export interface FurnishOptions {
  readonly phoneAnswerAfterMs: number;
  readonly customerAnswerAfterMs: number;
}

export function furnish(sim: SwitchSimulator, setup: SimulatorSetup, options: FurnishOptions): void {
  for (const exten of setup.phones) {
    // Phones answer by themselves after a moment: a newcomer can place calls with no one at the desk.
    sim.addUser(exten, { behaviour: { kind: 'answer', afterMs: options.phoneAnswerAfterMs } });
    sim.register(exten);
  }
  for (const n of setup.accessNumbers) sim.addAccessNumber(n.number, n.queue === undefined ? {} : { queue: n.queue });
  for (const ivr of setup.ivrs) sim.addIvr(ivr.num, { accessNumber: ivr.accessNumber, queues: ivr.queues });
  for (const name of setup.gateways) {
    sim.addGateway({ name, capacity: 30, defaultBehaviour: { kind: 'answer', afterMs: options.customerAnswerAfterMs } });
  }
}
