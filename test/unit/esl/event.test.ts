import { describe, expect, it } from 'vitest';
import { decodeFrame, decodePlainEvent } from '../../../src/esl/event.js';
import { EslFramer } from '../../../src/esl/framer.js';
import { decodeEslValue } from '../../../src/esl/url-decode.js';
import { readCapture } from '../../helpers/esl-captures.js';

function messages(name: string) {
  return new EslFramer().pushAll(readCapture(name)).map(decodeFrame);
}

describe('decodeFrame', () => {
  it('reads command/reply from Reply-Text and api/response from the body', () => {
    const msgs = messages('a_connect_auth_api_bgapi');
    expect(msgs[0]).toEqual({ kind: 'auth-request' });
    expect(msgs[1]).toMatchObject({ kind: 'command-reply', replyText: '+OK accepted' });
    expect(msgs[5]).toEqual({ kind: 'api-response', body: '127.0.0.1' });
    const last = msgs.at(-1);
    expect(last).toMatchObject({ kind: 'disconnect-notice' });
    if (last?.kind === 'disconnect-notice') expect(last.body).toContain('Disconnected, goodbye.');
  });

  it('URL-decodes plain events and keeps the BACKGROUND_JOB body', () => {
    const job = messages('a_connect_auth_api_bgapi').find(
      (m) => m.kind === 'event' && m.event.headers['Job-Command'] === 'originate',
    );
    expect(job?.kind).toBe('event');
    if (job?.kind !== 'event') return;
    expect(job.event.name).toBe('BACKGROUND_JOB');
    expect(job.event.headers['Event-Date-Local']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(job.event.body).toMatch(/^\+OK [0-9a-f-]{36}\n$/);
  });

  it('reads json events and their _body the same way', () => {
    const events = messages('a3_event_formats_json_xml').flatMap((m) => (m.kind === 'event' ? [m.event] : []));
    const job = events.find((e) => e.name === 'BACKGROUND_JOB' && e.headers['Job-Command'] === 'originate');
    expect(job?.body).toMatch(/^\+OK [0-9a-f-]{36}\n$/);
    expect(job?.headers['FreeSWITCH-IPv6']).toBe('fd00::2');
    expect(events.filter((e) => e.name === 'CHANNEL_CREATE')).toHaveLength(2);
  });

  it('plain and json captures of the same flow decode to the same header values', () => {
    const plain = messages('b_inbound_park_bridge_hangup_plain').flatMap((m) => (m.kind === 'event' ? [m.event] : []));
    const json = messages('b_inbound_park_bridge_hangup_json').flatMap((m) => (m.kind === 'event' ? [m.event] : []));
    const park = (list: typeof plain) => list.find((e) => e.name === 'CHANNEL_PARK')!;
    expect(park(plain).headers['Caller-Caller-ID-Name']).toBe('Customer 5100');
    expect(park(json).headers['Caller-Destination-Number']).toBe(park(plain).headers['Caller-Destination-Number']);
    expect(Object.keys(park(json).headers).sort()).toEqual(Object.keys(park(plain).headers).sort());
  });

  it('keeps json header values strings and takes _body out of the headers', () => {
    const body = JSON.stringify({ 'Event-Name': 'BACKGROUND_JOB', 'Job-UUID': 'j', n: 5, o: { a: 1 }, _body: '+OK done\n' });
    const msg = decodeFrame({ headers: { 'Content-Type': 'text/event-json' }, body: Buffer.from(body) });
    expect(msg.kind).toBe('event');
    if (msg.kind !== 'event') return;
    expect(msg.event.headers).toEqual({ 'Event-Name': 'BACKGROUND_JOB', 'Job-UUID': 'j', n: '5', o: '{"a":1}' });
    expect(msg.event.body).toBe('+OK done\n');
    expect(Object.hasOwn(msg.event.headers, '_body')).toBe(false);
  });

  it('reports a json event body that is not JSON as malformed, not as a crash', () => {
    const frame = { headers: { 'Content-Type': 'text/event-json' }, body: Buffer.from('{"Event-Name": ') };
    expect(decodeFrame(frame)).toMatchObject({ kind: 'malformed', contentType: 'text/event-json' });
  });
});

describe('decodeEslValue', () => {
  it('decodes percent escapes', () => {
    expect(decodeEslValue('sip%3A1001%40127.0.0.1')).toBe('sip:1001@127.0.0.1');
    expect(decodeEslValue('%E5%9D%90%E5%B8%AD')).toBe('坐席');
  });

  it('keeps a stray % and undecodable bytes instead of throwing', () => {
    expect(decodeEslValue('100%')).toBe('100%');
    expect(decodeEslValue('50%25 off %zz')).toBe('50% off %zz');
    expect(decodeEslValue('a%FFb%20c')).toBe('a%FFb c');
    expect(decodeEslValue('%E5%9D')).toBe('%E5%9D');
  });

  it('a plain event with a bad escape still decodes every header', () => {
    const event = decodePlainEvent('Event-Name: CUSTOM\nEvent-Subclass: sofia%3A%3Aregister\nvariable_note: 100%\n\n');
    expect(event.subclass).toBe('sofia::register');
    expect(event.headers['variable_note']).toBe('100%');
  });
});
