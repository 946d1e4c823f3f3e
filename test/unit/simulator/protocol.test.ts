import { describe, expect, it } from 'vitest';
import { decodePlainEvent } from '../../../src/esl/event.js';
import { HeaderBlock, type SwitchEvent } from '../../../src/simulator/events/switch-event.js';
import { CommandReader } from '../../../src/simulator/protocol/command-reader.js';
import { eventFrame, serializeJson, serializePlain, serializeXml } from '../../../src/simulator/protocol/event-format.js';
import { apiResponse, commandReply, disconnectNotice } from '../../../src/simulator/protocol/frames.js';
import { Subscription } from '../../../src/simulator/protocol/subscription.js';
import { fsUrlEncode } from '../../../src/simulator/protocol/url-encode.js';

function event(body?: string): SwitchEvent {
  return {
    name: 'BACKGROUND_JOB',
    subclass: undefined,
    sequence: 7,
    uniqueId: undefined,
    blocks: [HeaderBlock.of([['Event-Name', 'BACKGROUND_JOB'], ['Job-Command-Arg', 'loopback/8800 &park()']]), HeaderBlock.of([['variable_DP_MATCH', ['8500', '8500']]])],
    body,
  };
}

describe('FreeSWITCH url encoding (switch_url_encode)', () => {
  it('encodes what capture c2 and b show encoded, and nothing else', () => {
    expect(fsUrlEncode('tone_stream://%(300,200,440);loops=2')).toBe('tone_stream%3A//%25(300,200,440)%3Bloops%3D2');
    expect(fsUrlEncode('"Customer 5100" <sip:cust5100@127.0.0.1:5100>;tag=x')).toBe('%22Customer%205100%22%20%3Csip%3Acust5100%40127.0.0.1%3A5100%3E%3Btag%3Dx');
    expect(fsUrlEncode('2026-11-21 07:30:11')).toBe('2026-11-21%2007%3A30%3A11');
    expect(fsUrlEncode('v=0\r\n')).toBe('v%3D0%0D%0A');
    expect(fsUrlEncode('坐')).toBe('%E5%9D%90');
    expect(fsUrlEncode("a-b_c.d/e(f),g'h*i!j$k~")).toBe("a-b_c.d/e(f),g'h*i!j$k~");
  });
});

describe('event serialization', () => {
  it('plain: url-encoded lines, a blank line; with a body its own Content-Length first (capture a)', () => {
    expect(serializePlain(event())).toBe('Event-Name: BACKGROUND_JOB\nJob-Command-Arg: loopback/8800%20%26park()\nvariable_DP_MATCH: ARRAY%3A%3A8500%7C%3A8500\n\n');
    const withBody = serializePlain(event('+OK abc\n'));
    expect(withBody.endsWith('\nContent-Length: 8\n\n+OK abc\n')).toBe(true);
    expect(decodePlainEvent(withBody).body).toBe('+OK abc\n');
  });

  it('json: one object, arrays for multi-value headers, _body after Content-Length, no trailing newline (captures a3, b json)', () => {
    const text = serializeJson(event('+OK abc\n'));
    expect(text.endsWith('}')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      'Event-Name': 'BACKGROUND_JOB',
      'Job-Command-Arg': 'loopback/8800 &park()',
      variable_DP_MATCH: ['8500', '8500'],
      'Content-Length': '8',
      _body: '+OK abc\n',
    });
  });

  it('xml: headers url-encoded, body in <body> (capture a3)', () => {
    const text = serializeXml(event('+OK abc\n'));
    expect(text).toContain('    <Job-Command-Arg>loopback/8800%20%26park()</Job-Command-Arg>\n');
    expect(text).toContain('  <Content-Length>8</Content-Length>\n  <body>+OK abc\n  </body>\n</event>\n');
  });

  it('event frames put Content-Length before Content-Type; other frames the other way round', () => {
    expect(eventFrame(event(), 'json')).toMatch(/^Content-Length: \d+\nContent-Type: text\/event-json\n\n\{/);
    expect(apiResponse('false')).toBe('Content-Type: api/response\nContent-Length: 5\n\nfalse');
    expect(commandReply('+OK Job-UUID: x', [['Job-UUID', 'x']])).toBe('Content-Type: command/reply\nReply-Text: +OK Job-UUID: x\nJob-UUID: x\n\n');
    expect(disconnectNotice('The system is being shut down.\n')).toBe('Content-Type: text/disconnect-notice\nContent-Length: 31\n\nThe system is being shut down.\n');
  });
});

describe('CommandReader', () => {
  it('splits commands on blank lines, reads headers and a Content-Length body, skips stray newlines', () => {
    const r = new CommandReader();
    expect(r.push(Buffer.from('\n\nauth ClueCon\n\nbgapi status\nJob-UUID: j1\n\nsendevent CUSTOM\nContent-Length: 5\n\nhel'))).toEqual([
      { line: 'auth ClueCon', headers: [], body: undefined },
      { line: 'bgapi status', headers: [['Job-UUID', 'j1']], body: undefined },
    ]);
    expect(r.push(Buffer.from('lo'))).toEqual([{ line: 'sendevent CUSTOM', headers: [['Content-Length', '5']], body: 'hello' }]);
  });

  it('completes a command whose blank line is split across reads', () => {
    const r = new CommandReader();
    expect(r.push(Buffer.from('api status\n'))).toEqual([]);
    expect(r.push(Buffer.from('\n'))).toEqual([{ line: 'api status', headers: [], body: undefined }]);
  });
});

describe('Subscription (mod_event_socket rules)', () => {
  it('takes every word after CUSTOM as a subclass', () => {
    const s = new Subscription();
    expect(s.subscribe(['plain', 'CHANNEL_CREATE', 'CUSTOM', 'sofia::register', 'CHANNEL_ANSWER'])).toEqual({ ok: true, format: 'plain' });
    expect(s.wants('CHANNEL_CREATE', undefined)).toBe(true);
    expect(s.wants('CHANNEL_ANSWER', undefined)).toBe(false);
    expect(s.wants('CUSTOM', 'sofia::register')).toBe(true);
    expect(s.wants('CUSTOM', 'conference::maintenance')).toBe(false);
  });

  it('ALL takes every event and subclass; nixevent after ALL keeps the rest', () => {
    const s = new Subscription();
    s.subscribe(['json', 'ALL']);
    expect(s.wants('CUSTOM', 'anything::at-all')).toBe(true);
    expect(s.unsubscribe(['HEARTBEAT'])).toBe(true);
    expect(s.wants('HEARTBEAT', undefined)).toBe(false);
    expect(s.wants('CHANNEL_CREATE', undefined)).toBe(true);
  });

  it('refuses a list without one event name (capture g: -ERR no keywords supplied)', () => {
    expect(new Subscription().subscribe(['plain', 'NOT_AN_EVENT'])).toEqual({ ok: false, reply: '-ERR no keywords supplied' });
  });
});
