/**
 * The clients under test, each connected to the stream server and counting the
 * events it hands to the application. Every client also checks each event against
 * the stream (Event-Sequence and Unique-ID), so a desynchronised parser shows up as
 * lost or mangled events rather than as speed.
 */
import { createRequire } from 'node:module';
import { FreeSwitchClient } from 'esl-lite';
import { pino } from 'pino';
import { SystemClock } from '../src/clock.js';
import { EslClient } from '../src/esl/client.js';
import type { Format } from './event-stream.js';

export type ClientName = 'polylink' | 'modesl' | 'esl-lite';

export interface Tally {
  /** Events handed to the application, duplicates included. */
  delivered: number;
  /** Distinct events of the stream delivered with the right Event-Sequence and Unique-ID. */
  intact: number;
  /** Events delivered a second time (after a reconnect replayed the stream). */
  duplicates: number;
  firstAt: number;
  lastAt: number;
}

export interface RunningClient {
  readonly tally: Tally;
  stop(): Promise<void>;
}

type Check = (sequence: string | undefined, uuid: string | undefined) => void;

function tally(uuids: ReadonlyArray<string>): { tally: Tally; check: Check } {
  const t: Tally = { delivered: 0, intact: 0, duplicates: 0, firstAt: 0, lastAt: 0 };
  const seen = new Uint8Array(uuids.length);
  const check: Check = (sequence, uuid) => {
    const now = performance.now();
    if (t.delivered === 0) t.firstAt = now;
    t.lastAt = now;
    t.delivered++;
    const index = Number(sequence) - 1;
    if (uuids[index] !== uuid) return;
    if (seen[index] === 1) t.duplicates++;
    else {
      seen[index] = 1;
      t.intact++;
    }
  };
  return { tally: t, check };
}

export function startClient(name: ClientName, format: Format, port: number, uuids: ReadonlyArray<string>): RunningClient {
  const { tally: t, check } = tally(uuids);
  switch (name) {
    case 'polylink': {
      const client = new EslClient({
        node: { id: 'bench', host: '127.0.0.1', port, password: 'ClueCon' },
        clock: new SystemClock(),
        log: pino({ level: 'silent' }),
        eventFormat: format,
        events: ['ALL'],
        liveness: false,
      });
      client.onEvent.add((event) => check(event.headers['Event-Sequence'], event.headers['Unique-ID']));
      client.start();
      return { tally: t, stop: () => client.stop() };
    }
    case 'modesl': {
      const esl = createRequire(import.meta.url)('modesl') as ModeslModule;
      const connection = new esl.Connection('127.0.0.1', port, 'ClueCon', () => connection.events(format, 'ALL'));
      connection.on('esl::event::**', (event: ModeslEvent) => {
        const sequence = event.getHeader('Event-Sequence');
        if (sequence !== undefined && sequence !== null) check(String(sequence), event.getHeader('Unique-ID') ?? undefined);
      });
      connection.on('error', () => undefined);
      return {
        tally: t,
        stop: async () => {
          connection.socket?.destroy();
        },
      };
    }
    case 'esl-lite': {
      if (format !== 'json') throw new Error('esl-lite only speaks event json');
      const client = new FreeSwitchClient({ host: '127.0.0.1', port, password: 'ClueCon', logger: pino({ level: 'silent' }) });
      client.on('ALL', (event) => {
        const data = event.body.data as Record<string, unknown>;
        check(data['Event-Sequence'] as string | undefined, data['Unique-ID'] as string | undefined);
      });
      return {
        tally: t,
        stop: async () => {
          client.end();
        },
      };
    }
  }
}

interface ModeslEvent {
  getHeader(name: string): string | null | undefined;
}

interface ModeslConnection {
  socket: { destroy(): void } | null;
  events(format: string, events: string, cb?: () => void): void;
  on(name: string, listener: (event: ModeslEvent) => void): void;
}

interface ModeslModule {
  Connection: new (host: string, port: number, password: string, ready: () => void) => ModeslConnection;
}
