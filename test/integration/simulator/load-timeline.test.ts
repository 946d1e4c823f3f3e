/**
 * The simulator's load generator as a load harness uses it: talk time counted from the
 * customer's bridge to its agent, and each customer's switch-side times taken from the
 * events' own Event-Date-Timestamp (microseconds, from the simulator's `microseconds`
 * source). The test plays polylink's part over a real event socket: it originates the
 * agent leg (marked polylink_agent) and bridges it to the parked customer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LoadGenerator } from '../../../src/simulator/index.js';
import { startFixture, type Fixture } from '../../helpers/sim-fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

/** The simulator's event times: its ManualClock in µs plus 123 µs, so that they show where they come from. */
const OFFSET_US = 123;

describe('LoadGenerator with a timeline', () => {
  it('stamps events with the microsecond source, times each customer from park to hangup, and talks from the bridge', async () => {
    f = await startFixture({ microseconds: () => f!.clock.now() * 1000 + OFFSET_US }, 'event plain CHANNEL_PARK CHANNEL_BRIDGE CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE');
    const { sim, client: c, clock, tick } = f;
    sim.addAccessNumber('4000');
    sim.addUser('1001');
    sim.register('1001');
    sim.setPhoneBehaviour('1001', { kind: 'answer', afterMs: 200 });
    const load = new LoadGenerator(sim, { callsPerSecond: 10, durationMs: 100, accessNumbers: ['4000'], talkMs: [500, 500], talkFrom: 'bridge', timeline: true, callerPrefix: '1390' });
    let done = false;
    void load.run().then(() => (done = true));

    await tick(100);
    const park = await c.waitEvent((e) => e.name === 'CHANNEL_PARK');
    const customer = park.headers['Unique-ID']!;
    expect(Number(park.headers['Event-Date-Timestamp'])).toBe(clock.now() * 1000 + OFFSET_US);
    // polylink answers the customer at park: the talk time must not start here.
    await c.api(`uuid_answer ${customer}`);
    await tick(1000);
    expect(sim.channel(customer)).toBeDefined();

    const agentLeg = '6a0b4e2c-0000-4000-8000-00000000a001';
    await c.command(`bgapi originate {origination_uuid=${agentLeg},polylink_agent=10001}user/1001 &park()\nJob-UUID: job-a`);
    await tick(200);
    await c.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === agentLeg);
    await c.api(`uuid_bridge ${customer} ${agentLeg}`);
    const bridgedAt = clock.now();
    await tick(499);
    expect(sim.channel(customer), 'the customer talks 500 ms from the bridge').toBeDefined();
    await tick(1);
    await c.waitEvent((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.headers['Unique-ID'] === agentLeg);
    await tick(0);

    const [record] = load.timeline!.customers();
    expect(record).toMatchObject({ uuid: customer, caller: '13900000000', to: '4000', agentLeg, agentId: '10001', cause: 'NORMAL_CLEARING' });
    const answer = c.events().find((e) => e.name === 'CHANNEL_ANSWER' && e.headers['Unique-ID'] === agentLeg)!;
    expect(record!.parkUs).toBe(Number(park.headers['Event-Date-Timestamp']));
    expect(record!.agentAnswerUs).toBe(Number(answer.headers['Event-Date-Timestamp']));
    expect(record!.bridgeUs).toBe(bridgedAt * 1000 + OFFSET_US);
    expect(record!.hangupUs).toBe((bridgedAt + 500) * 1000 + OFFSET_US);
    expect(record!.agentHangupUs).toBeGreaterThanOrEqual(record!.hangupUs!);
    expect(load.stats).toMatchObject({ placed: 1, bridged: 1, ended: 1, unserved: 0 });
    expect(done).toBe(true);
  });

  it('with talkFrom bridge, a customer answered but never bridged gives up after its patience', async () => {
    f = await startFixture({}, 'event plain CHANNEL_PARK');
    const { sim, client: c, tick } = f;
    sim.addAccessNumber('4000');
    const load = new LoadGenerator(sim, { callsPerSecond: 10, durationMs: 100, accessNumbers: ['4000'], talkMs: [500, 500], talkFrom: 'bridge', patienceMs: 3000, timeline: true });
    void load.run();
    await tick(100);
    const park = await c.waitEvent((e) => e.name === 'CHANNEL_PARK');
    // Answered at once, as polylink does: the patience still runs until a bridge.
    await c.api(`uuid_answer ${park.headers['Unique-ID']!}`);
    // Placed at 100 ms: it gives up at 3,100 ms.
    await tick(2999);
    expect(load.activeCalls).toBe(1);
    await tick(1);
    expect(load.activeCalls).toBe(0);
    expect(load.stats).toMatchObject({ placed: 1, answered: 1, bridged: 0, ended: 1, abandoned: 1, unserved: 1 });
    expect(load.timeline!.customers()[0]!.cause).toBe('NORMAL_CLEARING');
  });

  it('counts a customer that hangs up unserved, and hangupAll ends the arrivals and every call', async () => {
    f = await startFixture({}, 'event plain CHANNEL_PARK');
    const { sim, tick } = f;
    sim.addAccessNumber('4000');
    const load = new LoadGenerator(sim, { callsPerSecond: 10, durationMs: 60_000, accessNumbers: ['4000'], talkMs: [500, 500], talkFrom: 'bridge', timeline: true });
    void load.run();
    await tick(300);
    expect(load.stats.placed).toBe(3);
    expect(load.arriving).toBe(true);
    load.hangupAll();
    await tick(0);
    expect(load.arriving).toBe(false);
    expect(load.activeCalls).toBe(0);
    expect(load.stats).toMatchObject({ placed: 3, bridged: 0, ended: 3, unserved: 3 });
    expect(load.timeline!.customers().map((c) => c.cause)).toEqual(['ORIGINATOR_CANCEL', 'ORIGINATOR_CANCEL', 'ORIGINATOR_CANCEL']);
  });
});
