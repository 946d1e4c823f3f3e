/**
 * The switch polylink runs on: the FreeSWITCH nodes of the configuration, or — when
 * there are none — the built-in simulator, started in-process and reached over a real
 * ESL socket like any FreeSWITCH.
 */
import { randomBytes } from 'node:crypto';
import { SystemClock, type Clock } from '../clock.js';
import type { Config } from '../config/config-schema.js';
import { musicOf } from '../core/calls/consult.js';
import type { Organisation } from '../core/organisation.js';
import type { Logger } from '../log.js';
import type { SwitchPort } from '../core/ports/switch-port.js';
import { furnish } from '../simulator/furnish.js';
import { SwitchSimulator } from '../simulator/switch-simulator.js';
import { FreeSwitchSwitch } from '../switch/freeswitch/freeswitch-switch.js';
import { simulatorSetupOf } from './simulator-setup.js';

export interface RunningSwitch {
  readonly port: SwitchPort;
  /** The phones registered on the switch now (seed 001's extension status). */
  registered(): ReadonlyArray<{ readonly user: string; readonly realm: string; readonly contact: string }>;
  /** Set when polylink runs on the built-in simulator. */
  readonly simulator: SwitchSimulator | undefined;
  stop(): Promise<void>;
}

export interface SwitchClocks {
  /**
   * The link to the switch keeps real time (liveness probes, reconnect backoff, originate
   * timeouts) even when the core runs on a test's ManualClock: moving the core's time
   * must not make a healthy ESL connection look dead.
   */
  readonly link?: Clock;
  /** The built-in simulator's time; a test shares the core's ManualClock with it. Default: the system clock. */
  readonly simulatorClock?: Clock | undefined;
}

export async function startSwitch(config: Config, org: Organisation, log: Logger, clocks: SwitchClocks = {}): Promise<RunningSwitch> {
  const clock = clocks.link ?? new SystemClock();
  // What every switch port is built with, whichever nodes it drives.
  const shared = {
    clock,
    log,
    client: { eventFormat: config.freeswitch.eventFormat },
    holdMusicStreams: localStreamsPlayed(config, org),
    behind: config.freeswitch.overload,
    backlogLimit: config.freeswitch.backlogLimit,
  };
  if (config.freeswitch.nodes.length > 0) {
    const port = new FreeSwitchSwitch({ ...shared, nodes: config.freeswitch.nodes });
    port.start();
    log.info({ nodes: config.freeswitch.nodes.map((n) => `${n.id} (${n.host}:${n.port})`) }, 'connecting to FreeSWITCH');
    return { port, simulator: undefined, registered: () => port.registered(), stop: () => port.stop() };
  }

  log.warn(
    'no FreeSWITCH configured (freeswitch.nodes is empty): running on the built-in FreeSWITCH simulator — phones, customers and trunks are simulated',
  );
  // A fresh secret per run: the simulator listens on loopback only, but nothing else should drive it.
  const password = randomBytes(18).toString('base64url');
  const simulator = new SwitchSimulator({
    port: config.simulator.port,
    host: '127.0.0.1',
    password,
    maxSessions: config.simulator.maxSessions,
    logger: log,
    ...(clocks.simulatorClock !== undefined ? { clock: clocks.simulatorClock } : {}),
  });
  const setup = simulatorSetupOf(org);
  furnish(simulator, setup, config.simulator);
  const extensions = setup.phones;
  const simPort = await simulator.start();
  const port = new FreeSwitchSwitch({ ...shared, nodes: [{ id: 'simulator', host: '127.0.0.1', port: simPort, password }] });
  port.start();
  await untilReady(port, extensions[0]);
  log.info({ eslPort: simPort, extensionsRegistered: extensions.length }, 'simulator up; polylink is connected to it over ESL');
  return {
    port,
    simulator,
    registered: () => port.registered(),
    async stop() {
      await port.stop();
      await simulator.stop();
    },
  };
}

/** The local_stream names polylink plays: calls.holdMusic and every queue's musicOnHold. */
function localStreamsPlayed(config: Config, org: Organisation): string[] {
  const sources = [config.calls.holdMusic, ...[...org.allTenants()].flatMap((t) => org.queuesOf(t.accountId).map((q) => q.musicOnHold))];
  return [...new Set(sources.map(musicOf).flatMap((m) => (m.kind === 'local-stream' ? [m.name] : [])))];
}

/**
 * Waits (up to 5 s of real time, whatever clock the server runs on) until the node is
 * connected and its registrations are known, so sign-in can check them at once.
 */
async function untilReady(port: SwitchPort, probe: string | undefined): Promise<void> {
  const start = Date.now();
  for (;;) {
    const ready = port.nodes().every((n) => n.state === 'ready') && (probe === undefined || port.isRegistered(probe));
    if (ready || Date.now() - start > 5000) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
