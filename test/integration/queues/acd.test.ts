// The ACD end to end: customers call access numbers on the simulator, polylink queues
// them and gives them to agents on real TCP clients; queue events, priorities, timeouts,
// overflow, blacklist, no-answer and the races of the issue, checked on the wire, in the
// agents' states, in the CDRs and in the statistics. The server and the simulator share
// one ManualClock: rings, waits and after-call work pass by moving it, not by sleeping,
// and "nothing else happens" is checked after the fixture's settle() barrier.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import { eventHeader } from '../../../src/simulator/events/switch-event.js';
import { listField, type AgentClient } from '../../helpers/agent-client.js';
import { expectTrail, startCallFixture, type DrivenCallFixture } from '../../helpers/call-fixture.js';
import type { TestServerOptions } from '../../helpers/test-server.js';

let f: DrivenCallFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function fixture(options: TestServerOptions = {}): Promise<DrivenCallFixture> {
  f = await startCallFixture({ ...options, sharedClock: true });
  return f;
}

const BUSY = { initStatus: '6' };
const since = (c: AgentClient) => c.received.length;

function types(c: AgentClient, from: number, wanted: readonly string[]): string[] {
  return c.received
    .slice(from)
    .map((m) => String(m.body['eventType']))
    .filter((t) => wanted.includes(t));
}

const QUEUE_EVENTS = ['AddCustomerToQueueEvent', 'UpdateCustomerOfQueueEvent', 'DelCustomerFromQueueEvent'];

async function waitingIn(c: AgentClient, agentId: string): Promise<string[]> {
  const at = since(c);
  await c.request('getcustomerofmyqueue', agentId);
  const e = await c.event('GetCustomerOfMyQueueEvent', at);
  return listField(e.body['customer_list']).map((x) => x['customer_num']!);
}

/** The one CDR of the test, once it is written. */
async function onlyCdr(f: DrivenCallFixture): Promise<Record<string, unknown>> {
  await f.until(() => f.cdrs().length === 1);
  return f.cdr()!;
}

const relationOf = (callIn: { body: Record<string, unknown> }) => decodeMakeStr(String(callIn.body['makeStr'])).get('relation_uuid')!;

describe('distribution', () => {
  it('longest idle (630): the agent free the longest gets the customer; the queue events reach the queue’s agents and supervisors', async () => {
    const f = await fixture();
    const b = await f.agent('1002');
    await f.tick(20);
    const a = await f.agent('1001');
    const sup = await f.agent('1101', BUSY);
    const [fa, fb, fs] = [since(a), since(b), since(sup)];
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    const callIn = await b.event('CallInEvent', fb);
    expect(callIn.body).toMatchObject({ callerID: '051287654321', callType: 'CTI_CALL_TYPE_COMMON_CALL_IN' });
    await b.event('BridgeEvent', fb);
    await f.until(() => a.events('DelCustomerFromQueueEvent').length === 1 && sup.events('DelCustomerFromQueueEvent').length === 1);
    // Offered on arrival: the customer is announced already ringing (no Update follows), and
    // the chosen agent's CallInEvent leaves before the announcement.
    for (const [c, from] of [[a, fa], [b, fb], [sup, fs]] as const) {
      expect(types(c, from, QUEUE_EVENTS)).toEqual(['AddCustomerToQueueEvent', 'DelCustomerFromQueueEvent']);
    }
    expect(types(b, fb, ['CallInEvent', 'AddCustomerToQueueEvent'])).toEqual(['CallInEvent', 'AddCustomerToQueueEvent']);
    const add = await a.event('AddCustomerToQueueEvent', fa);
    expect(add.body).toMatchObject({ agentID: '1001', customer_num: '051287654321', queue_num: '630', customer_status: 'ringing', queue_customer_amount: '1' });
    expect(add.body['early_queue_enter_time']).toMatch(/^\d{10}$/);
    expect((await sup.event('AddCustomerToQueueEvent', fs)).body).toMatchObject({ agentID: '1101', customer_status: 'ringing' });
    const del = await a.event('DelCustomerFromQueueEvent', fa);
    expect(del.body).toMatchObject({ queue_num: '630', reason: '1', early_queue_enter_time: '' });
    expect(a.events('CallInEvent')).toEqual([]);
  });

  it('a customer who waits is announced waiting, then ringing when an agent frees up (Add, Update, Del)', async () => {
    const f = await fixture();
    const a = await f.agent('1001', BUSY);
    const sup = await f.agent('1101', BUSY);
    const [fa, fs] = [since(a), since(sup)];
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    expect((await sup.event('AddCustomerToQueueEvent', fs)).body['customer_status']).toBe('waiting');
    await a.request('setagentdefinestatus', '1001', { targetStatus: '0' });
    await a.event('BridgeEvent', fa);
    await f.until(() => sup.events('DelCustomerFromQueueEvent').length === 1);
    expect(types(sup, fs, QUEUE_EVENTS)).toEqual(['AddCustomerToQueueEvent', 'UpdateCustomerOfQueueEvent', 'DelCustomerFromQueueEvent']);
    expect((await sup.event('UpdateCustomerOfQueueEvent', fs)).body['customer_status']).toBe('ringing');
  });

  it('skill tiers (632): a level-2 agent gets a call only while no level-1 agent is free', async () => {
    const f = await fixture();
    const second = await f.agent('1021'); // level 2, idle the longest
    await f.tick(20);
    const first = await f.agent('1017'); // level 1
    const [f1, f2] = [since(first), since(second)];
    f.sim.placeCall({ from: '051287654321', to: '02161234567' });
    await first.event('BridgeEvent', f1);
    expect(second.events('CallInEvent')).toEqual([]);
    f.sim.placeCall({ from: '051287650002', to: '02161234567' });
    expect((await second.event('CallInEvent', f2)).body['callerID']).toBe('051287650002');
  });

  it('an agent on an unregistered phone is passed over until the phone registers', async () => {
    const f = await fixture();
    const a = await f.agent('1001');
    f.sim.unregister(f.exten('1001'));
    await f.until(() => f.s.server.switch.port.isRegistered(f.exten('1001')) === false);
    const at = since(a);
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('AddCustomerToQueueEvent', at);
    await f.tick(150);
    expect(a.events('CallInEvent')).toEqual([]);
    f.sim.register(f.exten('1001'));
    await a.event('CallInEvent', at);
  });
});

describe('what a queue gives its customers and agents', () => {
  /** The files played to a channel, in order (PLAYBACK_START as the switch fires it). */
  function playedTo(f: DrivenCallFixture, uuid: string): string[] {
    const paths: string[] = [];
    f.sim.onEvent((e) => {
      if (e.name === 'PLAYBACK_START' && e.uniqueId === uuid) paths.push(eventHeader(e, 'Playback-File-Path') ?? '');
    });
    return paths;
  }

  it('a waiting customer hears the queue’s music on hold', async () => {
    const f = await fixture({ prepare: (db) => db.prepare("UPDATE queues SET music_on_hold = 'local_stream://sales' WHERE queue_num = '630'").run() });
    await f.agent('1001', BUSY);
    const uuid = '00000000-0000-4000-8000-000000000630';
    const played = playedTo(f, uuid);
    f.sim.placeCall({ from: '051287654321', to: '4008001000', uuid });
    await f.until(() => played.length > 0);
    expect(played).toEqual(['local_stream://sales']);
  });

  it('a queue that announces positions plays the customer’s place first, then its music', async () => {
    const f = await fixture({ prepare: (db) => db.prepare("UPDATE queues SET announce_position = 1 WHERE queue_num = '630'").run() });
    const a = await f.agent('1001', BUSY);
    f.sim.placeCall({ from: '051287650001', to: '4008001000' });
    await a.event('AddCustomerToQueueEvent');
    const uuid = '00000000-0000-4000-8000-000000000631';
    const played = playedTo(f, uuid);
    f.sim.placeCall({ from: '051287650002', to: '4008001000', uuid });
    // The simulator plays a prompt file for 3 s, as a short recording would last.
    await f.until(() => played.length === 2);
    expect(played).toEqual([`${f.s.config.acd.positionPromptDir}/position-2.wav`, 'local_stream://moh']);
  });

  it('the queue’s wrap-up time is the after-call work of its calls', async () => {
    const f = await fixture({ prepare: (db) => db.prepare("UPDATE queues SET wrap_up_seconds = 1 WHERE queue_num = '630'").run() });
    const a = await f.agent('1001'); // its own wrapUpSeconds is 15
    const customer = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('BridgeEvent');
    customer.hangup();
    await f.until(() => f.statusOf('1001') === 4);
    const t0 = f.now;
    await f.until(() => f.statusOf('1001') === 0);
    expect(f.now - t0).toBeLessThan(2500);
  });
});

describe('priorities', () => {
  it('a VIP (cust_grade 1) is served before customers who waited longer', async () => {
    const f = await fixture();
    const a = await f.agent('1001', BUSY);
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await f.until(() => a.events('AddCustomerToQueueEvent').length === 1);
    f.sim.placeCall({ from: '13911110000', to: '4008001000' });
    await f.until(() => a.events('AddCustomerToQueueEvent').length === 2);
    expect(a.events('AddCustomerToQueueEvent')[1]!.body).toMatchObject({ customer_num: '13911110000', customer_type: '1' });
    expect(await waitingIn(a, '1001')).toEqual(['13911110000', '051287654321']);
    const at = since(a);
    await a.request('setagentdefinestatus', '1001', { targetStatus: '0' });
    const callIn = await a.event('CallInEvent', at);
    expect(callIn.body['callerID']).toBe('13911110000');
    expect(decodeMakeStr(String(callIn.body['makeStr'])).get('cust_grade')).toBe('1');
  });

  it('an exclusive agent is offered its customer first; after the fallback wait any agent may take it', async () => {
    const f = await fixture({ prepare: (db) => db.prepare("UPDATE exclusive_agents SET fallback_seconds = 1 WHERE number = '051288880000'").run() });
    const other = await f.agent('1001');
    await f.agent('1003', BUSY);
    const at = since(other);
    const t0 = f.now;
    f.sim.placeCall({ from: '051288880000', to: '4008001000' });
    const add = await other.event('AddCustomerToQueueEvent', at);
    expect(add.body).toMatchObject({ exclusive_agent_num: '1003', exclusive_queue_num: '630' });
    const callIn = await other.event('CallInEvent', at);
    expect(callIn.body['callerID']).toBe('051288880000');
    expect(f.now - t0).toBeGreaterThanOrEqual(950);
  });

  it('a free exclusive agent gets its customer even when another agent has been idle longer', async () => {
    const f = await fixture();
    const other = await f.agent('1001');
    await f.tick(20);
    const mine = await f.agent('1003');
    const at = since(mine);
    f.sim.placeCall({ from: '051288880000', to: '4008001000' });
    expect((await mine.event('CallInEvent', at)).body['callerID']).toBe('051288880000');
    expect(other.events('CallInEvent')).toEqual([]);
  });
});

describe('the blacklist', () => {
  it('a blacklisted caller hears the message and is released; the hit is counted; no agent is bothered', async () => {
    const f = await fixture();
    const a = await f.agent('1001');
    const customer = f.sim.placeCall({ from: '13800000000', to: '4008001000' });
    expect(await f.drive(customer.ended)).toBe('CALL_REJECTED');
    expect(await onlyCdr(f)).toMatchObject({ customer_number: '13800000000', status: 'QUEUE_ABANDON', failure_reason: 'forbidden', join_queue_time: null, agent_id: null, hangup_side: 'system' });
    expect(f.s.server.db.prepare("SELECT hits FROM blacklist WHERE number = '13800000000'").get()).toEqual({ hits: 1 });
    expect(types(a, 0, ['CallInEvent', ...QUEUE_EVENTS])).toEqual([]);
    expect(f.statusOf('1001')).toBe(0);
  });

  it('a message the switch cannot play does not keep the blacklisted caller on the line', async () => {
    // Not a path polylink would ever pass on (the config check refuses it): the command is refused.
    const f = await fixture({ config: { acd: { blacklistPrompt: 'silence_stream://300' } } });
    const customer = f.sim.placeCall({ from: '13800000000', to: '4008001000' });
    expect(await f.drive(customer.ended)).toBe('CALL_REJECTED');
  });
});

describe('no answer', () => {
  it('the agent goes BUSY with NoAnswerCallAlarmlEvent and a count; the customer goes back to the head of the queue', async () => {
    const f = await fixture({ prepare: (db) => db.prepare("UPDATE queues SET ring_timeout_seconds = 1 WHERE queue_num = '630'").run() });
    f.phone('1001', { kind: 'no-answer' });
    const a = await f.agent('1001');
    const b = await f.agent('1002', BUSY);
    const [fa, fb] = [since(a), since(b)];
    f.sim.placeCall({ from: '051287650001', to: '4008001000' });
    expect((await a.event('CallInEvent', fa)).body['callerID']).toBe('051287650001');
    f.sim.placeCall({ from: '051287650002', to: '4008001000' });
    await a.event('NoAnswerCallAlarmlEvent', fa);
    await f.until(() => f.statusOf('1001') === 6);
    await expectTrail(a, '1001', fa, ['0>1', '1>6']);
    expect(f.stats('1001').noanswernums).toBe(1);
    // The first customer keeps its place ahead of the one that came later.
    expect(await waitingIn(b, '1002')).toEqual(['051287650001', '051287650002']);
    await b.request('setagentdefinestatus', '1002', { targetStatus: '0' });
    expect((await b.event('CallInEvent', fb)).body['callerID']).toBe('051287650001');
  });

  it('acd.noAnswerStatus chooses where the agent goes (here the custom status 100)', async () => {
    const f = await fixture({
      config: { acd: { noAnswerStatus: 100 } },
      prepare: (db) => db.prepare("UPDATE queues SET ring_timeout_seconds = 1 WHERE queue_num = '630'").run(),
    });
    f.phone('1001', { kind: 'no-answer' });
    const a = await f.agent('1001');
    f.sim.placeCall({ from: '051287650001', to: '4008001000' });
    await a.event('NoAnswerCallAlarmlEvent');
    await f.until(() => f.statusOf('1001') === 100);
  });

  it('a phone that rejects the call counts as not answered too', async () => {
    const f = await fixture();
    f.phone('1001', { kind: 'reject', afterMs: 30 });
    const a = await f.agent('1001');
    f.sim.placeCall({ from: '051287650001', to: '4008001000' });
    await a.event('NoAnswerCallAlarmlEvent');
    await f.until(() => f.statusOf('1001') === 6);
    expect(f.stats('1001').noanswernums).toBe(1);
  });
});

describe('a phone that cannot be reached', () => {
  it('is not the agent’s fault: no alarm, no count, the customer goes on at once; the agent sits out acd.unreachableRetrySeconds', async () => {
    const f = await fixture({ config: { acd: { unreachableRetrySeconds: 1 } } });
    f.phone('1001', { kind: 'unreachable' });
    const a = await f.agent('1001');
    await f.tick(20);
    const b = await f.agent('1002');
    const [fa, fb] = [since(a), since(b)];
    f.sim.placeCall({ from: '051287650001', to: '4008001000' });
    // Offered to 1001 first (idle the longest); its phone is not there, so on to 1002.
    expect((await a.event('CallInEvent', fa)).body['callerID']).toBe('051287650001');
    expect((await b.event('CallInEvent', fb)).body['callerID']).toBe('051287650001');
    await f.until(() => f.statusOf('1001') === 0);
    expect(a.events('NoAnswerCallAlarmlEvent')).toEqual([]);
    expect(f.stats('1001').noanswernums).toBe(0);
    expect(f.s.server.engine.queues.isSittingOut('1001')).toBe(true);
    // IDLE but sitting out: the next customer waits rather than ring a phone that is not there.
    await b.event('BridgeEvent', fb);
    f.phone('1001', { kind: 'answer', afterMs: 30 });
    const t0 = f.now;
    f.sim.placeCall({ from: '051287650002', to: '4008001000' });
    await f.until(() => a.events('CallInEvent').some((e) => e.body['callerID'] === '051287650002'));
    expect(f.now - t0).toBeGreaterThan(500);
    await a.event('BridgeEvent', fa);
  });
});

describe('timeouts and overflow', () => {
  it('maximum wait: the customer leaves 631 (reason 4) for the overflow queue 632 and an agent there', async () => {
    const f = await fixture({ prepare: (db) => db.prepare("UPDATE queues SET max_wait_seconds = 1 WHERE queue_num = '631'").run() });
    const service = await f.agent('1009', BUSY);
    const support = await f.agent('1017');
    const [fs, fp] = [since(service), since(support)];
    f.sim.placeCall({ from: '051287654321', to: '4008002000' });
    const del = await service.event('DelCustomerFromQueueEvent', fs);
    expect(del.body).toMatchObject({ queue_num: '631', reason: '4' });
    const callIn = await support.event('CallInEvent', fp);
    await support.event('BridgeEvent', fp);
    const id = relationOf(callIn);
    await support.request('hangup', '1017');
    await f.until(() => f.cdr(id) !== undefined);
    expect(f.cdr(id)).toMatchObject({ queue_num: '632', queue_entry: 'direct', status: 'ANSWER', agent_id: '1017' });
  });

  it('maximum length: a caller beyond it is turned away (reason 5) and the overflow (hang up) applies', async () => {
    const f = await fixture({ prepare: (db) => db.prepare("UPDATE queues SET max_length = 1 WHERE queue_num = '630'").run() });
    const a = await f.agent('1001', BUSY);
    f.sim.placeCall({ from: '051287650001', to: '4008001000' });
    await f.until(() => a.events('AddCustomerToQueueEvent').length === 1);
    const turnedAway = f.sim.placeCall({ from: '051287650002', to: '4008001000' });
    await f.drive(turnedAway.ended);
    const del = await a.event('DelCustomerFromQueueEvent');
    expect(del.body).toMatchObject({ customer_uuid: turnedAway.uuid, reason: '5' });
    expect(await onlyCdr(f)).toMatchObject({ customer_number: '051287650002', status: 'QUEUE_ABANDON', failure_reason: 'queue overflow', hangup_side: 'system' });
    expect(await waitingIn(a, '1001')).toEqual(['051287650001']);
  });

  it('a full queue whose overflow is to wait releases the caller (it cannot wait there)', async () => {
    const f = await fixture({ prepare: (db) => db.prepare("UPDATE queues SET max_length = 0, timeout_action = 'wait' WHERE queue_num = '630'").run() });
    await f.agent('1001', BUSY);
    const customer = f.sim.placeCall({ from: '051287650001', to: '4008001000' });
    await f.drive(customer.ended);
    expect(await onlyCdr(f)).toMatchObject({ status: 'QUEUE_ABANDON', failure_reason: 'queue overflow' });
  });

  it('full queues that overflow into each other hand the caller round a few times, then release it', async () => {
    const f = await fixture({
      prepare: (db) => {
        db.prepare("UPDATE queues SET max_length = 0, timeout_action = 'queue', timeout_target = '631' WHERE queue_num = '630'").run();
        db.prepare("UPDATE queues SET max_length = 0, timeout_action = 'queue', timeout_target = '630' WHERE queue_num = '631'").run();
      },
    });
    const a = await f.agent('1001', BUSY);
    const customer = f.sim.placeCall({ from: '051287650001', to: '4008001000' });
    await f.drive(customer.ended);
    expect(await onlyCdr(f)).toMatchObject({ status: 'QUEUE_ABANDON', failure_reason: 'queue overflow' });
    // Turned away by 630 each time it came round (reason 5), a bounded number of times.
    const turnedAway = a.events('DelCustomerFromQueueEvent').filter((e) => e.body['reason'] === '5').length;
    expect(turnedAway).toBeGreaterThan(1);
    expect(turnedAway).toBeLessThan(10);
    expect((await a.request('heartbeat', '1001')).body['retCode']).toBe('0');
  });

  it('the outside number a queue overflows to does not answer: the caller is released', async () => {
    const f = await fixture({
      prepare: (db) => db.prepare("UPDATE queues SET no_agent_action = 'number', no_agent_target = '13700000000' WHERE queue_num = '632'").run(),
    });
    f.trunk('13700000000', { kind: 'busy', afterMs: 30 });
    const customer = f.sim.placeCall({ from: '051287654321', to: '02161234567' });
    await f.drive(customer.ended);
    expect(await onlyCdr(f)).toMatchObject({ status: 'QUEUE_ABANDON', failure_reason: 'overflow number did not answer' });
  });

  it('nobody signed in: the queue sends the caller to an outside number and tells its supervisors (QueueTransferBoundEvent)', async () => {
    const f = await fixture({
      prepare: (db) => db.prepare("UPDATE queues SET no_agent_action = 'number', no_agent_target = '13700000000' WHERE queue_num = '632'").run(),
    });
    const admin = await f.agent('1901', BUSY); // monitors every group, member of no queue
    const customer = f.sim.placeCall({ from: '051287654321', to: '02161234567' });
    const bound = await admin.event('QueueTransferBoundEvent');
    expect(bound.body).toMatchObject({ agentID: '1901', customer_num: '051287654321', queue_num: '632', transfee_num: '13700000000', access_num: '02161234567' });
    await f.until(() => f.sim.channels().some((c) => c.variables['sip_to_user'] === '13700000000' || c.name.includes('13700000000')));
    customer.hangup();
    expect(await onlyCdr(f)).toMatchObject({ status: 'CALL_TRANSFER', queue_num: '632' });
  });

  it('nobody signed in: the queue sends the caller to an IVR', async () => {
    const f = await fixture({ prepare: (db) => db.prepare("UPDATE queues SET no_agent_action = 'ivr', no_agent_target = '610' WHERE queue_num = '631'").run() });
    const customer = f.sim.placeCall({ from: '051287654321', to: '4008002000' });
    await f.until(() => f.sim.channels().some((c) => c.uuid === customer.uuid && c.variables['polylink_queue'] === '631'));
    customer.hangup();
    expect(await onlyCdr(f)).toMatchObject({ status: 'IVR', cdr_state: 'ivr', ivr_num: '610' });
  });
});

describe('customers who press the leave key', () => {
  it('leave the queue (reason 3) for where its timeout would send them', async () => {
    const f = await fixture({ config: { acd: { leaveKey: '#' } } });
    const service = await f.agent('1009', BUSY);
    const support = await f.agent('1017');
    const customer = f.sim.placeCall({ from: '051287654321', to: '4008002000' });
    await service.event('AddCustomerToQueueEvent');
    customer.pressDtmf('5'); // not the leave key: nothing happens
    customer.pressDtmf('#');
    const del = await service.event('DelCustomerFromQueueEvent');
    expect(del.body).toMatchObject({ queue_num: '631', reason: '3' });
    // 631's timeout goes to 632, where 1017 is free.
    expect((await support.event('CallInEvent')).body['callerID']).toBe('051287654321');
    expect(service.events('DelCustomerFromQueueEvent')).toHaveLength(1);
  });

  it('no leave key configured (the default): keys change nothing', async () => {
    const f = await fixture();
    const a = await f.agent('1001', BUSY);
    const customer = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('AddCustomerToQueueEvent');
    customer.pressDtmf('#');
    await f.tick(150);
    expect(a.events('DelCustomerFromQueueEvent')).toEqual([]);
    expect(await waitingIn(a, '1001')).toEqual(['051287654321']);
  });
});

describe('customers who hang up', () => {
  it('while waiting: they leave the queue (reason 2); the CDR says abandoned', async () => {
    const f = await fixture();
    const a = await f.agent('1001', BUSY);
    const customer = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('AddCustomerToQueueEvent');
    customer.hangup();
    expect((await a.event('DelCustomerFromQueueEvent')).body['reason']).toBe('2');
    expect(await onlyCdr(f)).toMatchObject({ status: 'QUEUE_ABANDON', cdr_state: 'queue', hangup_side: 'customer' });
    expect(f.cdr()!['join_queue_time']).not.toBeNull();
  });

  it('at the moment of assignment: the ringing agent is released at once, without a no-answer', async () => {
    const f = await fixture();
    f.phone('1001', { kind: 'no-answer' });
    const a = await f.agent('1001');
    const customer = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('CallInEvent');
    customer.hangup();
    await f.until(() => f.statusOf('1001') === 0);
    expect(f.s.server.engine.calls.callOf('1001')).toBeUndefined();
    expect(f.stats('1001').noanswernums).toBe(0);
    expect(await onlyCdr(f)).toMatchObject({ status: 'AGENT_NO_ANSWER', hangup_side: 'customer', agent_id: '1001' });
    expect(a.events('NoAnswerCallAlarmlEvent')).toEqual([]);
  });
});

describe('agents who refuse', () => {
  it('hangup while rung refuses the call: NoAnswerCallAlarmlEvent, a count, and the customer goes to the next agent at once', async () => {
    const f = await fixture();
    f.phone('1001', { kind: 'no-answer' });
    const a = await f.agent('1001');
    await f.tick(20);
    const b = await f.agent('1002');
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('CallInEvent');
    expect((await a.request('hangup', '1001')).body['retCode']).toBe('0');
    await a.event('NoAnswerCallAlarmlEvent');
    expect((await b.event('CallInEvent')).body['callerID']).toBe('051287654321');
    await f.until(() => f.statusOf('1001') === 6);
    expect(f.stats('1001').noanswernums).toBe(1);
  });

  it('a blind transfer to an outside number that does not answer brings the customer back to the head of its queue', async () => {
    const f = await fixture();
    f.trunk('13700000000', { kind: 'no-answer' });
    const a = await f.agent('1001');
    const callIn = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    void callIn;
    await a.event('BridgeEvent');
    const b = await f.agent('1002');
    const fb = since(b);
    expect((await a.request('transferagent', '1001', { destAgentID: '13700000000', strOutBoundFlag: 'yes' })).body['retCode']).toBe('0');
    // calls.agentRingSeconds (2 s in these tests) later, the next free agent gets the customer.
    expect((await b.event('CallInEvent', fb)).body['callerID']).toBe('051287654321');
    await b.event('BridgeEvent', fb);
  });
});

describe('races', () => {
  it('two customers and one agent freeing up: one customer to the agent, the other keeps waiting', async () => {
    const f = await fixture();
    const a = await f.agent('1001', BUSY);
    f.sim.placeCall({ from: '051287650001', to: '4008001000' });
    f.sim.placeCall({ from: '051287650002', to: '4008001000' });
    await f.until(() => a.events('AddCustomerToQueueEvent').length === 2);
    await a.request('setagentdefinestatus', '1001', { targetStatus: '0' });
    await a.event('BridgeEvent');
    await f.tick(100);
    expect(a.events('CallInEvent').map((e) => e.body['callerID'])).toEqual(['051287650001']);
    expect(await waitingIn(a, '1001')).toEqual(['051287650002']);
  });

  it('an agent signing out while rung: the ringing stops and the customer goes to the next agent at once', async () => {
    const f = await fixture();
    f.phone('1001', { kind: 'no-answer' });
    const a = await f.agent('1001');
    await f.tick(20);
    const b = await f.agent('1002');
    const fb = since(b);
    const t0 = f.now;
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('CallInEvent');
    expect((await a.request('signout', '1001')).body['retCode']).toBe('0');
    await a.event('SignOutEvent');
    expect((await b.event('CallInEvent', fb)).body['callerID']).toBe('051287654321');
    await b.event('BridgeEvent', fb);
    expect(f.now - t0).toBeLessThan(5000); // far less than the 20 s ring timeout
    expect(f.s.server.engine.agents.session('1001')).toBeUndefined();
    await f.until(() => f.sim.channels().filter((c) => c.name.includes(f.exten('1001'))).length === 0);
    expect(f.stats('1001').noanswernums).toBe(0);
  });

  it('a supervisor signing out a ringing agent does the same', async () => {
    const f = await fixture();
    f.phone('1001', { kind: 'no-answer' });
    const a = await f.agent('1001');
    await f.tick(20);
    const b = await f.agent('1002');
    const sup = await f.agent('1101', BUSY);
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('CallInEvent');
    expect((await sup.request('forcechangestatus', '1101', { strAgentID: '1001', status: '-1' })).body['retCode']).toBe('0');
    await a.event('WarnAgentForceChangeStatusEvent');
    await b.event('BridgeEvent');
  });

  it('an agent on a call cannot sign out (-24) and nothing changes', async () => {
    const f = await fixture();
    const a = await f.agent('1001');
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('BridgeEvent');
    expect((await a.request('signout', '1001')).body['retCode']).toBe('-24');
    expect(f.statusOf('1001')).toBe(2);
  });
});

describe('an agent whose connection drops while rung', () => {
  it('after the resume grace the offer is taken back and the customer served by another agent', async () => {
    const f = await fixture({ config: { agent: { resumeGraceSeconds: 1 } } });
    f.phone('1001', { kind: 'no-answer' });
    const a = await f.agent('1001');
    await f.tick(20);
    const b = await f.agent('1002');
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('CallInEvent');
    a.close();
    await b.event('BridgeEvent');
    expect(f.s.server.engine.agents.session('1001')).toBeUndefined();
  });
});

describe('the queues and the switch agree again after the link comes back', () => {
  it('a waiting customer who hung up while the link was down leaves the queue (reason 2) and gets its CDR', async () => {
    const f = await fixture();
    const a = await f.agent('1001', BUSY);
    const gone = f.sim.placeCall({ from: '051287650001', to: '4008001000' });
    f.sim.placeCall({ from: '051287650002', to: '4008001000' });
    await f.until(() => a.events('AddCustomerToQueueEvent').length === 2);
    await f.sim.cutNetwork();
    await f.until(() => f.s.server.switch.port.nodes()[0]!.state !== 'ready');
    gone.hangup();
    await f.drive(gone.ended);
    await f.sim.restoreNetwork();
    const del = await a.event('DelCustomerFromQueueEvent', 0, 10_000);
    expect(del.body).toMatchObject({ customer_uuid: gone.uuid, reason: '2' });
    expect(await onlyCdr(f)).toMatchObject({ customer_number: '051287650001', status: 'QUEUE_ABANDON' });
    // The one still on the line is served as usual.
    expect(await waitingIn(a, '1001')).toEqual(['051287650002']);
    await a.request('setagentdefinestatus', '1001', { targetStatus: '0' });
    expect((await a.event('CallInEvent')).body['callerID']).toBe('051287650002');
  });
});
