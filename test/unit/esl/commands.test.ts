import { describe, expect, it } from 'vitest';
import * as cmd from '../../../src/esl/commands.js';
import type { OriginateSpec } from '../../../src/esl/commands.js';
import { encodeCommand } from '../../../src/esl/wire.js';

const A = '845e647f-8d99-4a07-a9e4-fbb846308c08';
const B = '57315b9f-ef87-4e38-8aaf-460bf624b880';
const CALL = '0ff4f46d-a87c-4a2b-8cc5-1d871fca259f';

const base: OriginateSpec = {
  uuid: B,
  endpoint: { kind: 'user', extension: '1001' },
  application: { kind: 'park' },
  callerIdNumber: '8500',
  callerIdName: 'Customer Service',
  timeoutSeconds: 30,
  call: CALL,
  leg: 'agent',
  agent: '1001',
};

function text(built: cmd.Built): string {
  expect(built.ok).toBe(true);
  return built.ok ? built.value.text : '';
}

describe('command forms of docs/esl-commands.md', () => {
  it('originates to a registered extension with polylink tags, quoting a name with a space', () => {
    const built = cmd.originate(base);
    expect(built.ok && built.value.kind).toBe('bgapi');
    expect(text(built)).toBe(
      `originate {origination_uuid=${B},origination_caller_id_number=8500,origination_caller_id_name='Customer Service',` +
        `originate_timeout=30,polylink_call=${CALL},polylink_leg=agent,polylink_agent=1001}user/1001 &park()`,
    );
  });

  it('originates through a gateway, to a dialplan number, and with every application', () => {
    expect(text(cmd.originate({ ...base, endpoint: { kind: 'gateway', gateway: 'carrier-1', number: '+8613800000000' } }))).toContain(
      '}sofia/gateway/carrier-1/+8613800000000 &park()',
    );
    expect(text(cmd.originate({ ...base, endpoint: { kind: 'loopback', number: '9196', context: 'default' }, application: { kind: 'echo' } }))).toContain(
      '}loopback/9196/default &echo()',
    );
    expect(text(cmd.originate({ ...base, endpoint: { kind: 'user', extension: '1001', domain: 'cc.example.com' } }))).toContain('}user/1001@cc.example.com &park()');
    expect(text(cmd.originate({ ...base, leg: 'threeway', application: { kind: 'conference', name: 'cti3way' } }))).toMatch(/polylink_leg=threeway,.*&conference\(cti3way@default\)$/);
  });

  it('originates an eavesdrop leg that reads DTMF, its first mode set by the whisper variables', () => {
    const eavesdrop = (mode: cmd.EavesdropMode) =>
      text(cmd.originate({ ...base, leg: 'monitor', callerIdNumber: '13800138000', callerIdName: 'Listen 1001', application: { kind: 'eavesdrop', uuid: A, mode } }));
    expect(eavesdrop('listen')).toBe(
      `originate {origination_uuid=${B},origination_caller_id_number=13800138000,origination_caller_id_name='Listen 1001',originate_timeout=30,` +
        `polylink_call=${CALL},polylink_leg=monitor,polylink_agent=1001,eavesdrop_enable_dtmf=true}user/1001 &eavesdrop(${A})`,
    );
    // whisper_bleg = ED_MUX_WRITE (the eavesdropped leg hears), whisper_aleg = ED_MUX_READ (its partner hears).
    expect(eavesdrop('whisper')).toContain(',eavesdrop_enable_dtmf=true,eavesdrop_whisper_bleg=true}');
    expect(eavesdrop('whisper-partner')).toContain(',eavesdrop_enable_dtmf=true,eavesdrop_whisper_aleg=true}');
    expect(eavesdrop('barge')).toContain(',eavesdrop_enable_dtmf=true,eavesdrop_whisper_aleg=true,eavesdrop_whisper_bleg=true}');
  });

  it('moves a running eavesdrop leg between modes with uuid_recv_dtmf 0-3, and injects other digits', () => {
    expect(text(cmd.setEavesdropMode(A, 'listen'))).toBe(`uuid_recv_dtmf ${A} 0`);
    expect(text(cmd.setEavesdropMode(A, 'whisper-partner'))).toBe(`uuid_recv_dtmf ${A} 1`);
    expect(text(cmd.setEavesdropMode(A, 'whisper'))).toBe(`uuid_recv_dtmf ${A} 2`);
    expect(cmd.setEavesdropMode(A, 'barge')).toEqual({ ok: true, value: { kind: 'api', text: `uuid_recv_dtmf ${A} 3` } });
    expect(text(cmd.receiveDtmf(A, '12#*ABCD'))).toBe(`uuid_recv_dtmf ${A} 12#*ABCD`);
  });

  it('sends the agent keypad\'s DTMF out on a leg with uuid_send_dtmf', () => {
    expect(cmd.sendDtmf(A, '0123456789*#ABCD')).toEqual({ ok: true, value: { kind: 'api', text: `uuid_send_dtmf ${A} 0123456789*#ABCD` } });
  });

  it('originates an intercepting leg', () => {
    expect(text(cmd.originate({ ...base, leg: 'agent', application: { kind: 'intercept', uuid: A } }))).toMatch(
      new RegExp(`polylink_leg=agent,polylink_agent=1001}user/1001 &intercept\\(${A}\\)$`),
    );
  });

  it('adds park_after_bridge, hangup_after_bridge and hold_music when asked', () => {
    const t = text(cmd.originate({ ...base, parkAfterBridge: true, keepAfterBridge: true, holdMusic: { kind: 'local-stream', name: 'moh' } }));
    expect(t).toContain(',park_after_bridge=true,hangup_after_bridge=false,hold_music=local_stream://moh}');
  });

  it('builds the uuid commands exactly as the contract writes them', () => {
    expect(text(cmd.answer(A))).toBe(`uuid_answer ${A}`);
    expect(text(cmd.bridge(A, B))).toBe(`uuid_bridge ${A} ${B}`);
    expect(text(cmd.hold(A))).toBe(`uuid_hold ${A}`);
    expect(text(cmd.unhold(A))).toBe(`uuid_hold off ${A}`);
    expect(text(cmd.mute(A))).toBe(`uuid_audio ${A} start read mute 1`);
    expect(text(cmd.unmute(A))).toBe(`uuid_audio ${A} stop`);
    expect(text(cmd.transfer(A, '9196', 'default'))).toBe(`uuid_transfer ${A} 9196 XML default`);
    expect(text(cmd.transfer(A, '9196', 'default', 'both'))).toBe(`uuid_transfer ${A} -both 9196 XML default`);
    expect(text(cmd.transfer(A, '9196', 'default', 'bleg'))).toBe(`uuid_transfer ${A} -bleg 9196 XML default`);
    expect(text(cmd.park(A))).toBe(`uuid_park ${A}`);
    expect(text(cmd.broadcast(A, { kind: 'file', path: '/var/lib/freeswitch/sounds/welcome.wav' }, 'both'))).toBe(
      `uuid_broadcast ${A} /var/lib/freeswitch/sounds/welcome.wav both`,
    );
    expect(text(cmd.broadcast(A, { kind: 'tone', tones: [{ onMs: 300, offMs: 200, frequencies: [440] }], loops: 2 }))).toBe(
      `uuid_broadcast ${A} tone_stream://%(300,200,440);loops=2 aleg`,
    );
    expect(text(cmd.stopPlayback(A))).toBe(`uuid_break ${A} all`);
    expect(text(cmd.recordStart(A, '/var/lib/freeswitch/recordings/a.wav'))).toBe(`uuid_record ${A} start /var/lib/freeswitch/recordings/a.wav`);
    expect(text(cmd.recordStop(A, '/var/lib/freeswitch/recordings/a.wav'))).toBe(`uuid_record ${A} stop /var/lib/freeswitch/recordings/a.wav`);
    expect(text(cmd.kill(A))).toBe(`uuid_kill ${A}`);
    expect(text(cmd.kill(A, 'USER_BUSY'))).toBe(`uuid_kill ${A} USER_BUSY`);
    expect(text(cmd.setVariable(A, 'polylink_queue', '7000'))).toBe(`uuid_setvar ${A} polylink_queue 7000`);
    expect(text(cmd.setVariable(A, 'polylink_ivr_data', 'vip gold'))).toBe(`uuid_setvar ${A} polylink_ivr_data 'vip gold'`);
    expect(text(cmd.uuidExists(A))).toBe(`uuid_exists ${A}`);
    expect(text(cmd.uuidDump(A))).toBe(`uuid_dump ${A} json`);
    expect(text(cmd.transferToConference(A, 'cti3way'))).toBe(`uuid_transfer ${A} -both conference:cti3way@default inline`);
    expect(text(cmd.conferenceKick('cti3way', '3'))).toBe('conference cti3way kick 3');
    expect(text(cmd.conferenceHangupAll('cti3way'))).toBe('conference cti3way hup all');
    expect(cmd.showChannels().text).toBe('show channels as json');
    expect(cmd.showCalls().text).toBe('show calls as json');
    expect(cmd.showRegistrations().text).toBe('show registrations as json');
  });

  it('subscribes with CUSTOM and its subclasses last', () => {
    expect(text(cmd.subscribe('json', ['CHANNEL_CREATE', 'HEARTBEAT'], ['sofia::register', 'conference::maintenance']))).toBe(
      'event json CHANNEL_CREATE HEARTBEAT CUSTOM sofia::register conference::maintenance',
    );
    expect(text(cmd.subscribe('plain', ['DTMF'], []))).toBe('event plain DTMF');
    expect(cmd.subscribe('json', ['CUSTOM'], []).ok).toBe(false);
    expect(cmd.subscribe('json', ['CHANNEL_CREATE all'], []).ok).toBe(false);
  });
});

describe('injection attempts are refused with the field that was wrong', () => {
  const refused = (built: cmd.Built, field: string) => {
    expect(built.ok).toBe(false);
    if (!built.ok) {
      expect(built.error.kind).toBe('invalid-value');
      expect(built.error.field).toBe(field);
    }
  };

  it('in the dial string', () => {
    refused(cmd.originate({ ...base, endpoint: { kind: 'user', extension: '1001 &park()' } }), 'extension');
    refused(cmd.originate({ ...base, endpoint: { kind: 'user', extension: '1001\n\nbgapi originate user/1002 &park()' } }), 'extension');
    refused(cmd.originate({ ...base, endpoint: { kind: 'user', extension: '1001,user/1002' } }), 'extension');
    refused(cmd.originate({ ...base, endpoint: { kind: 'user', extension: '1001|user/1002' } }), 'extension');
    refused(cmd.originate({ ...base, endpoint: { kind: 'user', extension: '1001', domain: 'x &park()' } }), 'domain');
    refused(cmd.originate({ ...base, endpoint: { kind: 'gateway', gateway: 'gw/../x', number: '1' } }), 'gateway');
    refused(cmd.originate({ ...base, endpoint: { kind: 'gateway', gateway: 'gw', number: '123 &echo()' } }), 'number');
    refused(cmd.originate({ ...base, endpoint: { kind: 'loopback', number: '9196', context: 'default inline' } }), 'context');
  });

  it('in channel variables', () => {
    refused(cmd.originate({ ...base, callerIdName: "O'Brien" }), 'callerIdName');
    refused(cmd.originate({ ...base, callerIdName: 'x}user/1002 &park() {a=b' }), 'callerIdName');
    refused(cmd.originate({ ...base, callerIdName: 'a,origination_uuid=00000000-0000-0000-0000-000000000000' }), 'callerIdName');
    refused(cmd.originate({ ...base, callerIdName: '${system(touch /tmp/pwned)}' }), 'callerIdName');
    refused(cmd.originate({ ...base, callerIdName: 'x:_:loopback/9999' }), 'callerIdName');
    refused(cmd.originate({ ...base, callerIdName: 'line\nexit' }), 'callerIdName');
    refused(cmd.originate({ ...base, callerIdName: 'back\\slash' }), 'callerIdName');
    refused(cmd.originate({ ...base, callerIdName: '^^:a=b:c=d' }), 'callerIdName');
    refused(cmd.originate({ ...base, callerIdNumber: '8500 &park()' }), 'callerIdNumber');
    refused(cmd.originate({ ...base, agent: '1001,polylink_leg=customer' }), 'agent');
    refused(cmd.originate({ ...base, call: 'not-a-uuid' }), 'call');
    refused(cmd.originate({ ...base, uuid: `${B} &park()` }), 'uuid');
    refused(cmd.originate({ ...base, leg: 'agent,x=y' as cmd.PolylinkLeg }), 'leg');
    refused(cmd.originate({ ...base, timeoutSeconds: 30.5 }), 'timeoutSeconds');
    refused(cmd.originate({ ...base, holdMusic: { kind: 'local-stream', name: 'moh,x=y' } }), 'holdMusic');
    refused(cmd.setVariable(A, 'name=x', 'v'), 'name');
    refused(cmd.setVariable(A, 'polylink_queue', '7000\nexit'), 'value');
  });

  it('in applications and uuid commands', () => {
    refused(cmd.originate({ ...base, application: { kind: 'eavesdrop', uuid: `${A}) &park(`, mode: 'listen' } }), 'eavesdropUuid');
    refused(cmd.originate({ ...base, application: { kind: 'eavesdrop', uuid: A, mode: 'spy' as cmd.EavesdropMode } }), 'mode');
    refused(cmd.originate({ ...base, application: { kind: 'eavesdrop', uuid: A, mode: 'toString' as cmd.EavesdropMode } }), 'mode');
    refused(cmd.originate({ ...base, application: { kind: 'intercept', uuid: `-bleg ${A}` } }), 'interceptUuid');
    refused(cmd.originate({ ...base, application: { kind: 'conference', name: 'c@default) &park(' } }), 'conference');
    refused(cmd.setEavesdropMode(`${A} 3\n\napi shutdown`, 'barge'), 'uuid');
    refused(cmd.setEavesdropMode(A, '3' as cmd.EavesdropMode), 'mode');
    refused(cmd.setEavesdropMode(A, 'constructor' as cmd.EavesdropMode), 'mode');
    refused(cmd.receiveDtmf(A, ''), 'digits');
    refused(cmd.receiveDtmf(A, '1 2'), 'digits');
    refused(cmd.receiveDtmf(A, '1+2@500'), 'digits');
    refused(cmd.receiveDtmf(A, '1\n\napi shutdown'), 'digits');
    refused(cmd.receiveDtmf(A, '1'.repeat(33)), 'digits');
    refused(cmd.receiveDtmf('all', '1'), 'uuid');
    // uuid_send_dtmf reads `~`, `+` groups, `@ms` durations and `w` pauses: none passes, nor a second line.
    for (const digits of ['', '~1', '1+2', '1@500', '1w2', '12 3', 'abcd', '1\n\napi shutdown', '1'.repeat(33)]) refused(cmd.sendDtmf(A, digits), 'digits');
    refused(cmd.sendDtmf(`${A} 1`, '2'), 'uuid');
    refused(cmd.kill(`${A} NORMAL_CLEARING\n\napi shutdown`), 'uuid');
    refused(cmd.kill(A, 'normal clearing'), 'cause');
    refused(cmd.bridge(A, 'all'), 'otherUuid');
    refused(cmd.transfer(A, '9196 XML default &park()', 'default'), 'extension');
    refused(cmd.conferenceKick('cti3way', '1 all'), 'memberId');
    refused(cmd.conferenceKick('cti3way hup', '1'), 'conference');
  });

  it('in file paths', () => {
    refused(cmd.broadcast(A, { kind: 'file', path: '/var/lib/freeswitch/../../etc/passwd' }), 'source');
    refused(cmd.broadcast(A, { kind: 'file', path: 'relative.wav' }), 'source');
    refused(cmd.broadcast(A, { kind: 'file', path: '/tmp/a b.wav' }), 'source');
    refused(cmd.broadcast(A, { kind: 'file', path: '/tmp/x::system' }), 'source');
    refused(cmd.broadcast(A, { kind: 'file', path: 'tone_stream://%(1,1,1)' }), 'source');
    refused(cmd.broadcast(A, { kind: 'tone', tones: [{ onMs: 300, offMs: 200, frequencies: [440.5] }] }), 'source');
    refused(cmd.broadcast(A, { kind: 'file', path: '/tmp/a.wav' }, 'aleg both' as cmd.BroadcastLegs), 'legs');
    refused(cmd.recordStart(A, '/tmp/rec.wav\n\nexit'), 'path');
  });

  it('in the password', () => {
    const built = cmd.auth('ClueCon\n\napi shutdown');
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.error.value).toBe('[redacted]');
  });

  it('never lets a built command hold a line break, and the wire refuses one anyway', () => {
    const all = [cmd.originate(base), cmd.kill(A), cmd.setVariable(A, 'a', 'b c'), cmd.broadcast(A, { kind: 'local-stream', name: 'moh' })];
    for (const built of all) expect(built.ok && /[\r\n]/.test(built.value.text)).toBe(false);
    expect(encodeCommand({ kind: 'api', text: 'status\n\nexit' }).ok).toBe(false);
    expect(encodeCommand({ kind: 'bgapi', text: 'status' }, 'not-a-uuid').ok).toBe(false);
    const wire = encodeCommand({ kind: 'bgapi', text: 'status' }, A);
    expect(wire.ok && wire.value.toString()).toBe(`bgapi status\nJob-UUID: ${A}\n\n`);
  });
});
