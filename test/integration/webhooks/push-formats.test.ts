// Every push type of seeds 001 and 003, from real calls on the built-in simulator to
// local receivers: field names as the seeds write them, value formats (statusTime,
// timestamps, status codes), unique event ids, and the signature as a receiver checks it.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';
import { eventually } from '../../helpers/eventually.js';
import { WebhookReceiver, type Received } from '../../helpers/webhook-receiver.js';

const SECRET_001 = 'seed-001-secret-0123';
const SECRET_003 = 'seed-003-secret-0123';

// The fields of each push as the seeds list them (their examples and tables).
const S003_CALL = ['eventUniqueId', 'accountId', 'callUniqueId', 'pushType', 'customerNumber', 'trunkNumber', 'displayNumber', 'statusTime', 'callEvent', 'callType', 'agentNumber', 'agentName', 'extras'];
const S003 = {
  dialoutRing: S003_CALL,
  incomingRing: S003_CALL,
  dialoutHangup: [...S003_CALL, 'groupIdList', 'groupNameList'],
  incomingHangup: [...S003_CALL, 'superUniqueId'],
  callStatus: [...S003_CALL, 'statusName', 'statusNumber'],
  mediaFailreason: ['eventUniqueId', 'accountId', 'callUniqueId', 'pushType', 'agentNumber', 'preMediaFailureReason', 'preMediaCode', 'preMediaKeyWord'],
  login: ['eventUniqueId', 'accountId', 'pushType', 'loginType', 'statusTime', 'agentNumber', 'agentName'],
  logout: ['eventUniqueId', 'accountId', 'pushType', 'logoutType', 'statusTime', 'agentNumber', 'agentName'],
  cdr: [
    'callUniqueId', 'accountId', 'pushType', 'actionId', 'agentAnswerTime', 'agentAreaCode', 'agentCity', 'agentCountry', 'agentCountryCode', 'agentFileUrl',
    'agentNumber', 'agentProvince', 'agentRingDuration', 'agentStartTime', 'agentTelNumber', 'agentTelType', 'applicationId', 'billCalls', 'bridgeDuration',
    'bridgeTime', 'callId', 'callType', 'cdrType', 'createTime', 'customerAnswerTime', 'customerAreaCode', 'customerCity', 'customerCountry',
    'customerCountryCode', 'customerFileUrl', 'customerNumber', 'customerNumberType', 'customerProvince', 'customerRingDuration', 'customerStartTime',
    'displayNumber', 'doubleTrackFileUrl', 'endTime', 'extras', 'gatewayIP', 'hangUpSide', 'hangupTime', 'hotLineNumber', 'ivrId', 'ivrTime',
    'joinQueueTime', 'loginType', 'playNumberDuration', 'queueNumber', 'recordFileUrl', 'recordType', 'recordingDuration', 'satisfyDuration',
    'satisfyEndTime', 'satisfyIvrId', 'satisfyStartTime', 'sipCode', 'startTime', 'status', 'systemAnswerTime', 'taskId', 'totalDuration',
    'trunkNumber', 'virtualNumber', 'waitDuration', 'ivrName', 'queueName', 'agentName', 'agentId', 'matchResult', 'customerId', 'customerName',
    'saveTime', 'groupIdList', 'groupNameList', 'eventUniqueId', 'satisfyKeys', 'voiceMailUrl', 'relativeCallUniqueId', 'failureReason', 'uniqueId', 'id', '_id',
  ],
};
const S003_LINK_CONTENT = ['accountId', 'superUniqueId', 'customerNumber', 'trunkNumber', 'displayNumber', 'statusTime', 'callEvent', 'callType', 'extras', 'agentNumber', 'agentName'];
const S001 = {
  dialbegein: ['event', 'timestamp', 'channel', 'calleridnum', 'destchannel', 'destcalleridnum', 'destuniqueid', 'dialstring', 'uniqueid', 'mac'],
  dialend: ['event', 'timestamp', 'channel', 'calleridnum', 'destchannel', 'destcalleridnum', 'uniqueid', 'dialstatus'],
  hangup: ['event', 'calleridnum', 'calleridname', 'connectedlinenum', 'connectedlinename', 'uniqueid'],
  extensionstatus: ['event', 'exten', 'status', 'statustext'],
  ivr: ['event', 'uuid', 'caller', 'called', 'callType', 'queueCode', 'startTime', 'endTime', 'duration', 'ivrId', 'ivrName', 'ivrDtmf', 'trunkNumber', 'mac'],
  cdr: ['event', 'callerid', 'source', 'destination', 'starttime', 'answertime', 'endtime', 'disposition', 'duration', 'billableseconds', 'calltype', 'recordfile', 'uniqueid'],
  cc_cdr: [
    'event', 'uuid', 'caller', 'called', 'queueCode', 'agentCode', 'callType', 'cdrState', 'hangupSide', 'hangupCause', 'startTime', 'endTime', 'duration',
    'queueTime', 'feedbackTime', 'ivrTime', 'ringTime', 'holdTime', 'pauseTime', 'talkingTime', 'voicemailState', 'ivrId', 'ivrName', 'ivrDtmf', 'fwType',
    'score', 'trunkNumber', 'forwardNumber', 'filePath', 'missCause', 'mac',
  ],
};
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const UNIX = /^\d{10}$/;

let f: CallFixture;
let r001: WebhookReceiver;
let r003: WebhookReceiver;
const calls: Record<string, string> = {};

async function untilQuiet(): Promise<void> {
  // Pushes arrive shortly after the facts; wait until both receivers stop hearing more.
  let last = -1;
  for (;;) {
    const n = r001.received.length + r003.received.length;
    if (n === last && f.s.server.outbound!.health().webhooks.backlog === 0) return;
    last = n;
    await new Promise((res) => setTimeout(res, 200));
  }
}

beforeAll(async () => {
  r001 = await WebhookReceiver.start();
  r003 = await WebhookReceiver.start();
  f = await startCallFixture({
    config: {
      webhooks: {
        mac: '68:69:2e:03:8b:3e',
        targets: [
          { id: 'legacy', url: r001.url, format: 'seed001', events: 'all', secret: SECRET_001, timeoutMs: 2000 },
          { id: 'crm', url: r003.url, format: 'seed003', events: 'all', secret: SECRET_003, timeoutMs: 2000 },
        ],
      },
    },
  });
  const a = await f.agent('1001');
  // An inbound call through the IVR 610 (key 1: the sales queue 630), answered by 1001, the customer hangs up.
  let at = a.received.length;
  const customer = f.sim.placeCall({ from: '051287654321', to: '610', dtmf: { digits: '1', afterMs: 50 } });
  const callIn = await a.event('CallInEvent', at, 10_000);
  calls['inbound'] = decodeMakeStr(String(callIn.body['makeStr'])).get('relation_uuid')!;
  await a.event('BridgeEvent', at);
  customer.hangup();
  await a.event('HangupEvent', at);
  await eventually(() => f.statusOf('1001') === 4);
  await a.request('setagentdefinestatus', '1001', { targetStatus: '0' });
  await eventually(() => f.statusOf('1001') === 0);
  // A callout the customer answers; the agent hangs up.
  at = a.received.length;
  await a.request('callout', '1001', { calledID: '13900139000' });
  await a.event('BridgeEvent', at);
  await a.request('hangup', '1001');
  await eventually(() => f.cdrs().length === 2);
  await a.request('setagentdefinestatus', '1001', { targetStatus: '0' });
  await eventually(() => f.statusOf('1001') === 0);
  // A callout to a busy number.
  f.trunk('13900139055', { kind: 'busy', afterMs: 50 });
  at = a.received.length;
  await a.request('callout', '1001', { calledID: '13900139055' });
  await a.event('HangupEvent', at, 10_000);
  await eventually(() => f.cdrs().length === 3);
  await a.request('signout', '1001');
  await eventually(() => f.statusOf('1001') === -1);
  await untilQuiet();
}, 60_000);

afterAll(async () => {
  await f?.close();
  await r001?.close();
  await r003?.close();
});

function one(r: WebhookReceiver, name: string, where: (x: Received) => boolean = () => true): Record<string, unknown> {
  const found = r.of(name).filter(where);
  expect(found.length, `${name} pushes`).toBeGreaterThan(0);
  return found[0]!.body;
}

describe('seed 003 pushes', () => {
  it('every pushType arrives with the seed’s fields', () => {
    for (const [type, keys] of Object.entries(S003)) expect(Object.keys(one(r003, type)), type).toEqual(expect.arrayContaining(keys));
    const link = one(r003, 'link');
    expect(Object.keys(link['content'] as object)).toEqual(expect.arrayContaining(S003_LINK_CONTENT));
    expect(link['uniqueId']).toBe(link['eventUniqueId']);
  });

  it('every push has its own eventUniqueId (32 hex digits), and is signed with the target’s secret', () => {
    const ids = r003.received.map((x) => x.body['eventUniqueId']);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const x of r003.received) {
      const expected = 'sha256=' + createHmac('sha256', SECRET_003).update(x.raw).digest('hex');
      expect(x.headers['x-polylink-signature']).toBe(expected);
      expect(x.headers['x-polylink-event-id']).toBe(x.body['eventUniqueId']);
    }
  });

  it('an inbound call: incomingRing, link, incomingHangup and its cdr, with the seed’s value formats', () => {
    const inbound = (x: Received) => x.body['callUniqueId'] === calls['inbound'] || (x.body['content'] as Record<string, unknown> | undefined)?.['callUniqueId'] === calls['inbound'];
    expect(one(r003, 'incomingRing', inbound)).toMatchObject({ accountId: '20000153', customerNumber: '051287654321', trunkNumber: '4008001000', callEvent: 'ring', callType: 'incoming', agentNumber: '1001', agentName: 'Zhang Wei' });
    expect(one(r003, 'incomingRing', inbound)['statusTime']).toMatch(UNIX);
    expect((one(r003, 'link', inbound)['content'] as Record<string, unknown>)).toMatchObject({ callEvent: 'link', callType: 'incoming', agentNumber: '1001' });
    expect(one(r003, 'incomingHangup', inbound)).toMatchObject({ callEvent: 'hangup', callType: 'incoming', superUniqueId: calls['inbound'] });
    const cdr = one(r003, 'cdr', inbound);
    expect(cdr).toMatchObject({ callType: 'incoming', status: 'ANSWER', customerNumber: '051287654321', trunkNumber: '4008001000', hangUpSide: 'CUSTOMER', queueNumber: '630', ivrId: '610', sipCode: 200, agentNumber: '1001' });
    for (const k of ['startTime', 'bridgeTime', 'hangupTime', 'endTime', 'createTime', 'saveTime', 'agentAnswerTime']) expect(cdr[k], k).toMatch(DATETIME);
    for (const k of ['bridgeDuration', 'totalDuration', 'agentRingDuration', 'waitDuration']) expect(typeof cdr[k], k).toBe('number');
  });

  it('callStatus follows the agent: statusNumber/statusName of the seed, callEvent with the call; login and logout', () => {
    const states = r003.of('callStatus').map((x) => `${String(x.body['statusNumber'])} ${String(x.body['statusName'])} ${String(x.body['callEvent'])}`);
    expect(states.slice(0, 4)).toEqual(['0 空闲 ', '3 振铃 ring', '4 通话中 link', '5 整理 hangup']);
    expect(states.at(-1)).toBe('8 未连接 ');
    const ringing = r003.of('callStatus').find((x) => x.body['statusNumber'] === '3')!.body;
    expect(ringing).toMatchObject({ callUniqueId: calls['inbound'], customerNumber: '051287654321', callType: 'incoming' });
    expect(ringing['statusTime']).toMatch(UNIX);
    expect(one(r003, 'login')).toMatchObject({ pushType: 'login', loginType: 'SIP', agentNumber: '1001', agentName: 'Zhang Wei', accountId: '20000153' });
    expect(one(r003, 'login')['statusTime']).toMatch(DATETIME);
    expect(one(r003, 'logout')).toMatchObject({ pushType: 'logout', logoutType: 'normal', agentNumber: '1001' });
  });

  it('a callout: dialoutRing, dialoutHangup; a busy number: mediaFailreason with the switch’s cause', () => {
    expect(one(r003, 'dialoutRing')).toMatchObject({ callEvent: 'ring', callType: 'dialout', customerNumber: '13900139000', agentNumber: '1001' });
    expect(one(r003, 'dialoutHangup', (x) => x.body['customerNumber'] === '13900139000')).toMatchObject({ callEvent: 'hangup', callType: 'dialout', groupIdList: [''], groupNameList: [''] });
    expect(one(r003, 'mediaFailreason')).toMatchObject({ accountId: '20000153', agentNumber: '1001', preMediaFailureReason: 'onThePhone', preMediaCode: 17, preMediaKeyWord: '正在通话' });
    expect(one(r003, 'cdr', (x) => x.body['customerNumber'] === '13900139055')).toMatchObject({ status: 'CUSTOMER_NO_ANSWER', sipCode: 486, failureReason: 'USER_BUSY' });
  });
});

describe('seed 001 pushes', () => {
  it('every event arrives with the seed’s fields (dialbegein spelt as the seed spells it) and the mac setting', () => {
    for (const [event, keys] of Object.entries(S001)) expect(Object.keys(one(r001, event)), event).toEqual(expect.arrayContaining(keys));
    for (const event of ['dialbegein', 'ivr', 'cc_cdr']) expect(one(r001, event)['mac']).toBe('68:69:2e:03:8b:3e');
    for (const x of r001.received) expect(x.headers['x-polylink-signature']).toBe('sha256=' + createHmac('sha256', SECRET_001).update(x.raw).digest('hex'));
  });

  it('the inbound call: the IVR it came through, the dial to the agent’s phone and its end, hangup, cdr and cc_cdr', () => {
    const ivr = one(r001, 'ivr');
    expect(ivr).toMatchObject({ uuid: calls['inbound'], caller: '051287654321', callType: 'IN', queueCode: '630', ivrId: '610', ivrName: 'Main menu 主菜单', ivrDtmf: '1', trunkNumber: '4008001000' });
    expect(ivr['startTime']).toMatch(DATETIME);
    const begin = one(r001, 'dialbegein', (x) => x.body['uniqueid'] === calls['inbound']);
    expect(begin).toMatchObject({ channel: 'inbound/051287654321', destchannel: 'user/8001', destcalleridnum: '8001', dialstring: 'user/8001' });
    expect(begin['timestamp']).toMatch(/^\d{10}\.\d{6}$/);
    expect(one(r001, 'dialend', (x) => x.body['uniqueid'] === calls['inbound'])).toMatchObject({ destcalleridnum: '8001', dialstatus: 'hangup' });
    expect(one(r001, 'hangup', (x) => x.body['uniqueid'] === calls['inbound'])).toMatchObject({ calleridnum: '051287654321', connectedlinenum: '8001', connectedlinename: 'Zhang Wei' });
    const cdr = one(r001, 'cdr', (x) => x.body['uniqueid'] === calls['inbound']);
    expect(cdr).toMatchObject({ callerid: '"051287654321" <051287654321>', source: '051287654321', destination: '8001', disposition: 'ANSWERED', calltype: 'inbound' });
    expect(cdr['answertime']).toMatch(DATETIME);
    const cc = one(r001, 'cc_cdr', (x) => x.body['uuid'] === calls['inbound']);
    expect(cc).toMatchObject({ caller: '051287654321', called: '8001', queueCode: '630', agentCode: '8001', callType: 'incoming', cdrState: 'bridged', hangupSide: 'caller', ivrId: '610', ivrDtmf: '1', missCause: '', voicemailState: '0' });
    expect(typeof cc['holdTime']).toBe('number');
    expect(typeof cc['duration']).toBe('string');
  });

  it('extensionstatus follows the agent’s phone: 0 idle, 8 ringing, 1 in use, 2 busy (ACW), 4 unavailable', () => {
    const codes = r001.of('extensionstatus').map((x) => `${String(x.body['status'])} ${String(x.body['statustext'])}`);
    expect(codes.slice(0, 4)).toEqual(['0 Idle', '8 Ringing', '1 InUse', '2 Busy']);
    expect(codes.at(-1)).toBe('4 Unavailable');
    for (const x of r001.of('extensionstatus')) expect(x.body['exten']).toBe('8001');
  });

  it('a callout dials the customer through the gateway; the busy number ends its dial as busy', () => {
    expect(one(r001, 'dialbegein', (x) => x.body['destcalleridnum'] === '13900139000')).toMatchObject({ channel: 'user/8001', dialstring: 'sofia/gateway/trunk/13900139000' });
    expect(one(r001, 'dialend', (x) => x.body['destcalleridnum'] === '13900139055')).toMatchObject({ dialstatus: 'busy' });
    expect(one(r001, 'cdr', (x) => x.body['destination'] === '13900139055')).toMatchObject({ disposition: 'BUSY', calltype: 'outbound', source: '8001' });
  });
});
