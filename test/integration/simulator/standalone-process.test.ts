/**
 * `polylink simulator`: the simulator as a switch box of its own, started from a build
 * with its command line, furnished from the organisation in the database, reached over a
 * real event socket and driven through its HTTP controls (docs/simulator.md, "A simulator
 * of its own").
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { wallMicroseconds } from '../../../src/simulator/core/wall-clock.js';
import { EslTestClient } from '../../helpers/esl-test-client.js';
import { buildPolylink, runPolylink, spawnPolylink, type Build, type PolylinkProcess } from '../../helpers/polylink-process.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const tempDir = tempDirs('polylink-sim-process-');
let build: Build | undefined;
let sim: PolylinkProcess | undefined;
let config = '';
let eslPort = 0;
let controlPort = 0;

const control = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`http://127.0.0.1:${controlPort}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  build = await buildPolylink();
  const dir = tempDir();
  const db = join(dir, 'polylink.db');
  copyFileSync(inject('exampleDatabase'), db);
  config = join(dir, 'polylink.yaml');
  writeFileSync(config, `database:\n  path: ${db}\nsimulator:\n  maxSessions: 50\n`);
  sim = spawnPolylink([process.execPath, build.cli, 'simulator', '--config', config, '--port', '0', '--control-port', '0', '--password', 'S3cret'], { cwd: build.dir });
  const up = await sim.waitForLog((l) => l['msg'] === 'simulator is up', 30_000);
  eslPort = Number(up['eslPort']);
  controlPort = Number(up['controlPort']);
}, 60_000);

afterAll(async () => {
  sim?.kill();
  build?.remove();
});

describe('polylink simulator', () => {
  it("registers a phone for every agent extension of the database's organisation and answers on its event socket", async () => {
    const status = await control('GET', '/simulator/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ eslPort, channels: 0 });
    expect(status.body['users']).toBeGreaterThan(0);
    expect(Object.keys(status.body['process'] as object).sort()).toEqual(['loopDelayMaxMs', 'loopDelayP99Ms', 'loopUtilisation']);
    const esl = await EslTestClient.authed(eslPort, 'S3cret');
    try {
      expect(await esl.api('status')).toMatch(/^UP /);
      const registrations = await esl.api('show registrations as json');
      expect((JSON.parse(registrations) as { row_count: number }).row_count).toBe(status.body['users']);
    } finally {
      esl.close();
    }
  });

  it('stamps events with the wall clock in microseconds, as FreeSWITCH does', async () => {
    const esl = await EslTestClient.authed(eslPort, 'S3cret');
    try {
      await esl.command('event plain CHANNEL_PARK CHANNEL_HANGUP_COMPLETE');
      const stamps: number[] = [];
      for (let i = 0; i < 5; i++) {
        const before = wallMicroseconds();
        const placed = await control('POST', '/simulator/calls', { to: '4008001000', from: `1380000000${i}` });
        expect(placed.status).toBe(201);
        const park = await esl.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === placed.body['uuid']);
        const after = wallMicroseconds();
        const stamp = Number(park.headers['Event-Date-Timestamp']);
        expect(stamp).toBeGreaterThanOrEqual(before);
        expect(stamp).toBeLessThanOrEqual(after);
        stamps.push(stamp);
        await control('DELETE', `/simulator/calls/${String(placed.body['uuid'])}`);
      }
      // Microseconds, not milliseconds × 1000: at most a chance in 10^15 that all five end in 000.
      expect(stamps.some((s) => s % 1000 !== 0)).toBe(true);
    } finally {
      esl.close();
    }
  });

  it('sets every phone at once and refuses what it cannot do with a reason', async () => {
    const set = await control('PUT', '/simulator/phones', { behaviour: { kind: 'answer', afterMs: 100, afterMsMax: 300 } });
    expect(set.status).toBe(200);
    const users = set.body['extensions'] as number;
    expect(set.body['registered']).toBe(users);
    const first = await control('PUT', '/simulator/phones', { extensions: ['8001'], registered: false });
    expect(first.body).toEqual({ extensions: 1, registered: users - 1 });
    expect((await control('PUT', '/simulator/phones', { extensions: ['8001'], registered: true })).body).toEqual({ extensions: 1, registered: users });
    expect(await control('PUT', '/simulator/phones', { extensions: ['99999999'] })).toEqual({ status: 404, body: { error: "no user 99999999 in the simulator's directory" } });
    expect(await control('PUT', '/simulator/phones', { extensions: ['12a'] })).toEqual({ status: 400, body: { error: 'extensions must be a list of extensions (digits only)' } });
    expect(await control('PUT', '/simulator/phones', { behaviour: { kind: 'answer', afterMs: 300, afterMsMax: 100 } })).toEqual({ status: 400, body: { error: 'afterMsMax must not be less than afterMs' } });
    expect(await control('PUT', '/simulator/phones', { registered: 'yes' })).toEqual({ status: 400, body: { error: 'registered must be true or false' } });
  });

  it('places customers at a rate, keeps their switch times, and hangs them up on DELETE', async () => {
    expect((await control('GET', '/simulator/load')).status).toBe(404);
    expect(await control('POST', '/simulator/load', { callsPerSecond: 0, seconds: 1, accessNumbers: ['4008001000'], talkMs: [1, 2] })).toEqual({
      status: 400,
      body: { error: 'callsPerSecond must be a number above 0, at most 10000' },
    });
    expect(await control('POST', '/simulator/load', { callsPerSecond: 5, seconds: 1, accessNumbers: ['4000999999'], talkMs: [1, 2] })).toEqual({
      status: 404,
      body: { error: '4000999999 is not a number the simulator routes' },
    });
    expect((await control('POST', '/simulator/load', { callsPerSecond: 5, seconds: 1, accessNumbers: ['4008001000'], talkMs: [2, 1] })).status).toBe(400);
    const started = await control('POST', '/simulator/load', { callsPerSecond: 20, seconds: 0.5, accessNumbers: ['4008001000'], talkMs: [1000, 1000], talkFrom: 'bridge', callerPrefix: '1391' });
    expect(started).toEqual({ status: 202, body: { started: true } });
    expect((await control('POST', '/simulator/load', { callsPerSecond: 1, seconds: 1, accessNumbers: ['4008001000'], talkMs: [1, 2] })).status).toBe(409);
    let state = (await control('GET', '/simulator/load')).body;
    for (let i = 0; i < 50 && state['arriving'] === true; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await control('GET', '/simulator/load')).body;
    }
    // Nobody answers these customers (no polylink): they wait, parked.
    expect(state).toMatchObject({ arriving: false, placed: 10, live: 10, bridged: 0 });
    const { body } = await control('GET', '/simulator/load/customers');
    const customers = body['customers'] as Array<{ caller: string; parkUs: number; placedUs: number; bridgeUs?: number }>;
    expect(customers.map((c) => c.caller)).toEqual(Array.from({ length: 10 }, (_, i) => `1391${String(i).padStart(7, '0')}`));
    for (const c of customers) expect(c.parkUs).toBeGreaterThanOrEqual(c.placedUs);
    expect(await control('DELETE', '/simulator/load')).toEqual({ status: 200, body: { stopped: true, hungUp: 10 } });
    expect((await control('GET', '/simulator/load')).body).toMatchObject({ live: 0, ended: 10, unserved: 10 });
  });

  it('refuses a bad port and a database that does not exist, in one line each', async () => {
    const port = await runPolylink([process.execPath, build!.cli, 'simulator', '--port', '70000'], { cwd: build!.dir });
    expect(port.code).toBe(2);
    expect(port.stderr).toBe('polylink simulator: --port must be a port number, 0 … 65535 (0: any free port)\n');
    const missing = join(tempDir(), 'none.db');
    const db = await runPolylink([process.execPath, build!.cli, 'simulator'], { cwd: build!.dir, env: { POLYLINK_DATABASE_PATH: missing } });
    expect(db.code).toBe(1);
    expect(db.stderr).toBe(`polylink simulator: no database at ${missing}; import an organisation first (polylink import FILE)\n`);
  });

  it('shuts down as FreeSWITCH does on SIGTERM', async () => {
    const esl = await EslTestClient.authed(eslPort, 'S3cret');
    await esl.command('event plain SHUTDOWN');
    sim!.child.kill('SIGTERM');
    await esl.waitEvent((e) => e.name === 'SHUTDOWN');
    await esl.closed;
    expect((await sim!.exited).code).toBe(0);
  });
});
