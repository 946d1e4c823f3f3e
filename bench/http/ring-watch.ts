/**
 * When the switch rang each phone: a second event-socket client of a simulator node (as
 * a FreeSWITCH box serves several ESL clients at once) subscribed to CHANNEL_PROGRESS,
 * which mod_sofia fires when the phone answers the INVITE with 180 Ringing
 * (src/simulator/channels/media.ts markRingReady). Each event's time is the switch's own
 * stamp, Event-Date-Timestamp (µs since the epoch, src/simulator/core/wall-clock.ts), so
 * it compares with a time another process of the machine took the same way.
 */
import { SystemClock } from '../../src/clock.js';
import { EslClient } from '../../src/esl/client.js';
import { silentLogger } from '../../src/log.js';
import { ESL_PASSWORD, type SwitchNode } from '../load/switch-nodes.js';

export class RingWatch {
  /** Destination number (the phone rung) → when each ring began, ms since the epoch. */
  readonly rungAt = new Map<string, number[]>();
  private readonly client: EslClient;

  private constructor(node: SwitchNode, phones: ReadonlySet<string>) {
    this.client = new EslClient({
      node: { id: `${node.id}-ring-watch`, host: '127.0.0.1', port: node.eslPort, password: ESL_PASSWORD },
      clock: new SystemClock(),
      log: silentLogger(),
      events: ['CHANNEL_PROGRESS'],
      liveness: false,
    });
    this.client.onEvent.add((event) => {
      const exten = event.headers['Caller-Destination-Number'];
      if (event.name !== 'CHANNEL_PROGRESS' || exten === undefined || !phones.has(exten)) return;
      const list = this.rungAt.get(exten) ?? [];
      list.push(Number(event.headers['Event-Date-Timestamp']) / 1000);
      this.rungAt.set(exten, list);
    });
  }

  /** Connected and subscribed, or an error after 10 s. */
  static async start(node: SwitchNode, phones: ReadonlySet<string>): Promise<RingWatch> {
    const watch = new RingWatch(node, phones);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no event socket session with ${node.id} within 10 s`)), 10_000);
      watch.client.onReady.add(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    watch.client.start();
    try {
      await ready;
    } catch (err) {
      await watch.client.stop();
      throw err;
    }
    return watch;
  }

  stop(): Promise<void> {
    return this.client.stop();
  }
}
