/**
 * Two ESL client libraries people use against FreeSWITCH, used against the simulator:
 * connect, auth, a command, an originate through bgapi and its BACKGROUND_JOB,
 * channel events. esl-lite has no `api` (its replies come from bgapi by design), so it
 * runs `status` through bgapi.
 */
import { createRequire } from 'node:module';
import { FreeSwitchClient } from 'esl-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.js';
import { SwitchSimulator } from '../../../src/simulator/index.js';

interface ModeslEvent {
  getHeader(name: string): string | undefined;
  getBody(): string;
  getType(): string;
}
interface ModeslConnection {
  api(command: string, cb: (res: ModeslEvent) => void): void;
  bgapi(command: string, cb: (res: ModeslEvent) => void): void;
  events(type: string, events: string, cb: () => void): void;
  on(name: string, cb: (e: ModeslEvent) => void): void;
  disconnect(): void;
}
const modesl = createRequire(import.meta.url)('modesl') as {
  Connection: new (host: string, port: number, password: string, ready: () => void) => ModeslConnection;
};

let sim: SwitchSimulator;
afterEach(async () => {
  await sim.stop();
});

async function started(): Promise<number> {
  sim = new SwitchSimulator({ port: 0, heartbeatMs: 0 });
  return sim.start();
}

describe('modesl 1.2.1', () => {
  it('authenticates, runs api status, originates with bgapi and receives BACKGROUND_JOB and channel events', async () => {
    const port = await started();
    const conn = await new Promise<ModeslConnection>((resolve) => {
      const c: ModeslConnection = new modesl.Connection('127.0.0.1', port, 'ClueCon', () => resolve(c));
    });
    const status = await new Promise<string>((resolve) => conn.api('status', (res) => resolve(res.getBody())));
    expect(status).toMatch(/^UP 0 years/);
    await new Promise<void>((resolve) => conn.events('plain', 'CHANNEL_CREATE CHANNEL_PARK', resolve));
    const created: string[] = [];
    conn.on('esl::event::CHANNEL_CREATE::*', (e) => created.push(e.getHeader('Channel-Name') ?? ''));
    const parked = new Promise<string>((resolve) => conn.on('esl::event::CHANNEL_PARK::*', (e) => resolve(e.getHeader('Unique-ID') ?? '')));
    const job = await new Promise<ModeslEvent>((resolve) => conn.bgapi('originate loopback/9196 &park()', resolve));
    const uuid = /^\+OK ([0-9a-f-]{36})\n$/.exec(job.getBody())?.[1];
    expect(uuid).toBeDefined();
    expect(await parked).toBe(uuid);
    expect(created).toEqual(['loopback/9196-a', 'loopback/9196-b']);
    conn.disconnect();
  });
});

describe('esl-lite 3.2.0', () => {
  it('authenticates, runs status and an originate through bgapi, receives channel events', async () => {
    const port = await started();
    const client = new FreeSwitchClient({ host: '127.0.0.1', port, password: 'ClueCon', logger: silentLogger() });
    const parked = new Promise<string | undefined>((resolve) => client.on('CHANNEL_PARK', (msg) => resolve(msg.body.uniqueID)));
    const created: string[] = [];
    client.on('CHANNEL_CREATE', (msg) => created.push(String(msg.body.data['Channel-Name'])));
    const status = await client.bgapi('status', 2000);
    expect(status instanceof Error ? status.message : status.body.response).toMatch(/^UP 0 years/);
    const job = await client.bgapi('originate loopback/9196 &park()', 2000);
    if (job instanceof Error) throw job;
    const uuid = /^\+OK ([0-9a-f-]{36})\n$/.exec(String(job.body.response))?.[1];
    expect(uuid).toBeDefined();
    expect(await parked).toBe(uuid);
    expect(created).toContain('loopback/9196-a');
    client.end();
  });
});
