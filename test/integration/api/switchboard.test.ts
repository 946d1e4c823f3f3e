// Seed 001's switchboard end to end over real HTTP: click-number, hangup and transfer drive
// calls on the built-in simulator (reached over ESL) as an agent's bar would; current-calls,
// extension-status and extension-hints-status read the calls and phones live.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { expectTrail, received, startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';
import { HttpApi } from '../../helpers/http-api.js';

let f: CallFixture;
let api: HttpApi;
beforeEach(async () => {
  f = await startCallFixture();
  api = HttpApi.on(f.s.server.httpPort);
});
afterEach(() => f.close());

const CLICK = '/coocenter-api/extensions/click-number';
const HANGUP = '/coocenter-api/extensions/hangup';
const TRANSFER = '/coocenter-api/extensions/transfer';
const SPY = '/coocenter-api/extensions/extenSpy';

/** Waits until an answer the server gives over HTTP is the one expected. */
async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The hint status code of an extension, as extension-hints-status says it now. */
async function hint(exten: string): Promise<string | undefined> {
  const r = await fetch(`${api.base}/coocenter-api/extensions/extension-hints-status`);
  const list = (await r.json()) as { extension: string; status: string }[];
  return list.find((x) => x.extension === exten)?.status;
}

describe('click-number', () => {
  it('from an agent’s extension: the agent’s phone rings, then the number; the agent is CALLING_OUT then TALKING, and the CDR and statistics count a callout', async () => {
    const a = await f.agent('1001');
    const from = a.received.length;
    const r = await api.form('POST', CLICK, { src: '8001', dst: '051287654321' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'success', message: 'click number success', src: '8001', dst: '051287654321' });
    const callId = String(r.body['callId']);
    await a.event('CallOutRingEvent', from);
    await a.event('BridgeEvent', from);
    await expectTrail(a, '1001', from, ['0>10', '10>2']);
    expect(await hint('8001')).toBe('1');
    const calls = await api.form('POST', '/coocenter-api/extensions/current-calls', {});
    expect(calls.body['message']).toBe('Channels will follow');
    expect(calls.body['data']).toEqual([
      expect.objectContaining({
        calleridnum: '8001',
        calleridname: 'Zhang Wei',
        connectedlinenum: '051287654321',
        channelstate: '6',
        channelstatedesc: 'Up',
        duration: expect.stringMatching(/^00:00:0\d$/),
        uuid: callId,
        kind: 'outbound',
        agent: '1001',
      }),
    ]);
    // The business system hangs the call up: the agent hung up, as with its bar's hangup.
    const hung = await api.form('POST', HANGUP, { extension: '8001' });
    expect(hung.body).toEqual({ status: 'success', message: 'hangup extension success', extension: '8001' });
    await a.event('HangupEvent', from);
    await eventually(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ call_type: 'dialout', status: 'ANSWER', customer_number: '051287654321', display_number: '4008001000', agent_id: '1001', agent_exten: '8001', hangup_side: 'agent' });
    expect(f.stats('1001')).toMatchObject({ calloutnums: 1, agentrelease: 1 });
    expect(received(a, from)).toContain('CallOutRingEvent');
    const log = f.s.server.db.prepare("SELECT operation, target FROM agent_operation_log WHERE agent_id = '1001' AND operation = 'click-to-dial' AND target IS NOT NULL").all();
    expect(log).toEqual([{ operation: 'click-to-dial', target: '051287654321' }]);
  });

  it('between two phones no agent is on (the seed’s 808 → 809): both ring, are bridged, show in the lists, and hang up', async () => {
    const r = await api.form('POST', CLICK, { src: '8005', dst: '8006' });
    expect(r.status).toBe(200);
    const callId = String(r.body['callId']);
    await until(async () => (await hint('8006')) === '1');
    expect(await hint('8005')).toBe('1');
    expect(await hint('8007')).toBe('0');
    const calls = await api.form('POST', '/coocenter-api/extensions/current-calls', {});
    expect(calls.body['data']).toEqual([expect.objectContaining({ calleridnum: '8005', connectedlinenum: '8006', channelstate: '6', kind: 'outbound', agent: '' })]);
    // The dialled phone shows the calling extension, not an access number.
    const dst = f.sim.channels().find((c) => c.name.includes('8006'));
    expect(dst?.variables['origination_caller_id_number']).toBe('8005');
    expect((await api.form('POST', HANGUP, { extension: '8006' })).status).toBe(200);
    await eventually(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ status: 'ANSWER', customer_number: '8006', agent_id: null });
    await until(async () => (await hint('8005')) === '0');
    expect(f.sim.channels()).toEqual([]);
  });

  it('refuses what cannot be dialled, with a reason, and places no call', async () => {
    await f.agent('1002');
    f.sim.unregister('8009');
    const cases: [Record<string, string>, number, string][] = [
      [{ src: '8001', dst: '8001' }, 400, 'src and dst are the same number'],
      [{ src: '7777', dst: '8002' }, 404, 'no phone 7777'],
      [{ src: '8009', dst: '8002' }, 409, 'extension 8009 is not registered'],
      [{ src: '8001', dst: '8001; hangup' }, 400, 'dst must be an extension or phone number'],
      [{ src: '8001' }, 400, 'dst is required'],
    ];
    for (const [fields, status, reason] of cases) {
      const r = await api.form('POST', CLICK, fields);
      expect([r.status, r.body['status']], JSON.stringify(fields)).toEqual([status, 'error']);
      expect(String(r.body['message'])).toContain(reason);
    }
    expect(f.sim.channels()).toEqual([]);
  });

  it('an agent that is not free is busy (409), and stays as it was', async () => {
    await f.agent('1003', { initStatus: '6' });
    const r = await api.form('POST', CLICK, { src: '8003', dst: '051287654321' });
    expect([r.status, r.body['message']]).toEqual([409, '8003 is busy: it is in a call, or its agent is not free']);
    expect(f.statusOf('1003')).toBe(6);
  });
});

describe('transfer', () => {
  it('hands the customer the agent on src talks to over to the agent on dst (blind); src is freed at once', async () => {
    const a = await f.agent('1001');
    const b = await f.agent('1002', { initStatus: '8' });
    const from = a.received.length;
    const fromB = b.received.length;
    // A customer calls the sales line (queue 630): 1001 is its only free member (1002 takes no queue calls in CALL_OUT).
    f.sim.placeCall({ from: '13700137000', to: '4008001000' });
    await a.event('BridgeEvent', from);
    // 1002 must be IDLE to take a transfer.
    await b.request('setagentdefinestatus', '1002', { targetStatus: '0' });
    await eventually(() => f.statusOf('1002') === 0);
    const r = await api.form('POST', TRANSFER, { src: '8001', dst: '8002' });
    expect(r.body).toEqual({ status: 'success', message: 'tansfer extension success', src: '8001', dst: '8002' });
    await b.event('TransferBlindCallInEvent', fromB);
    await b.event('BridgeEvent', fromB);
    expect(f.statusOf('1002')).toBe(2);
    expect((await a.event('HangupEvent', from)).body['hangupReason']).toBe('NO_ROUTE_DESTINATION');
    expect(f.stats('1001').transfernums).toBe(1);
    const calls = await api.form('POST', '/coocenter-api/extensions/current-calls', {});
    expect(calls.body['data']).toEqual([expect.objectContaining({ calleridnum: '13700137000', connectedlinenum: '8002', kind: 'inbound', agent: '1002', queue: '630' })]);
  });

  it('refuses an extension that is not talking to a customer (409) and a dst the same as src (400)', async () => {
    await f.agent('1001');
    expect((await api.form('POST', TRANSFER, { src: '8001', dst: '8002' })).body).toEqual({
      status: 'error',
      message: 'extension 8001 is not talking to a customer that could be transferred',
    });
    expect((await api.form('POST', TRANSFER, { src: '8001', dst: '8001' })).status).toBe(400);
    expect((await api.form('POST', HANGUP, { extension: '8001' })).body).toEqual({ status: 'error', message: 'extension 8001 is in no call' });
  });
});

describe('the extension lists', () => {
  it('extension-status: each extension with the address of its registration, UNKNOWN when it has none', async () => {
    f.sim.unregister('8004');
    await eventually(() => !f.s.server.switch.port.isRegistered('8004'));
    const r = await api.get('/coocenter-api/extensions/extension-status');
    expect(r.body['message']).toBe('Peer status list will follow');
    const data = r.body['data'] as { Exten: string; Type: string; IPAddr: string; Status: string }[];
    expect(data.find((x) => x.Exten === '8004')).toEqual({ Exten: '8004', Type: 'SIP', IPAddr: '-none-', Status: 'UNKNOWN' });
    const registered = data.find((x) => x.Exten === '8001')!;
    expect(registered).toMatchObject({ Type: 'SIP', Status: 'OK' });
    expect(registered.IPAddr).toMatch(/^[0-9.]+$|^[0-9a-f:]+$/);
    // Every agent's extension is listed, in order.
    expect(data.map((x) => x.Exten).slice(0, 3)).toEqual(['8001', '8002', '8003']);
  });

  it('extension-hints-status: the seed’s bare list, 0 idle, 2 busy (a not-ready agent), 4 offline, 8 ringing', async () => {
    await f.agent('1002', { initStatus: '6' });
    f.sim.unregister('8004');
    f.phone('1005', { kind: 'no-answer' });
    await api.form('POST', CLICK, { src: '8005', dst: '8006' });
    await until(async () => (await hint('8005')) === '8');
    const list = (await (await fetch(`${api.base}/coocenter-api/extensions/extension-hints-status`)).json()) as Record<string, string>[];
    const byExten = new Map(list.map((x) => [x['extension'], x]));
    expect(byExten.get('8001')).toEqual({ agentName: 'Zhang Wei', extension: '8001', extenType: 'SIP', status: '0', statustext: 'Idle' });
    expect(byExten.get('8002')).toMatchObject({ status: '2', statustext: 'Busy' });
    expect(byExten.get('8004')).toMatchObject({ status: '4', statustext: 'Unavailable' });
    expect(byExten.get('8005')).toMatchObject({ status: '8', statustext: 'Ringing' });
  });
});

describe('extenSpy', () => {
  it('the seed’s 801 listens to 806: src rings, then hears both sides and is heard by neither; every refusal has its reason', async () => {
    const a = await f.agent('1001');
    const at = a.received.length;
    const customer = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('BridgeEvent', at);
    const refusals: [Record<string, string>, number, string][] = [
      [{ src: '8005', dst: '8005' }, 400, 'src and dst are the same number'],
      [{ src: '8005', dst: '8002' }, 404, 'no agent of the tenant is signed in on extension 8002'],
      [{ src: '8005', dst: '8001; hangup' }, 400, 'dst must be an extension or phone number'],
      [{ src: '8005 &bgapi', dst: '8001' }, 400, 'src must be an extension or phone number'],
      [{ dst: '8001' }, 400, 'src is required'],
    ];
    for (const [fields, status, reason] of refusals) {
      const r = await api.form('POST', SPY, fields);
      expect([r.status, r.body['status']], JSON.stringify(fields)).toEqual([status, 'error']);
      expect(String(r.body['message'])).toContain(reason);
    }
    const r = await api.form('POST', SPY, { src: '8005', dst: '8001' });
    expect([r.status, r.body]).toEqual([200, { status: 'success', message: 'spy extension success', src: '8005', dst: '8001' }]);
    const spyLeg = () => f.sim.channels().find((c) => c.variables['polylink_leg'] === 'monitor');
    await eventually(() => spyLeg()?.answered === true);
    const agentLeg = f.sim.channel(customer.uuid)!.bridgedTo!;
    expect(f.sim.media.heardBy(spyLeg()!.uuid)).toEqual([customer.uuid, agentLeg].sort());
    expect(f.sim.media.hears(customer.uuid, spyLeg()!.uuid)).toBe(false);
    expect(f.sim.media.hears(agentLeg, spyLeg()!.uuid)).toBe(false);
    // The listened-to agent is not disturbed: still talking.
    expect(f.statusOf('1001')).toBe(2);
    customer.hangup();
    await eventually(() => f.sim.channels().length === 0);
  });
});
