import { describe, expect, it } from 'vitest';
import { ChannelVariables } from '../../../src/simulator/channels/channel-variables.js';
import { eventHeader, type SwitchEvent } from '../../../src/simulator/events/switch-event.js';
import { serializeJson, serializePlain, serializeXml } from '../../../src/simulator/protocol/event-format.js';

function eventOf(vars: ChannelVariables): SwitchEvent {
  return { name: 'CHANNEL_DATA', subclass: undefined, sequence: 1, uniqueId: undefined, blocks: [vars.block()], body: undefined };
}

describe('channel variables', () => {
  it('keep FreeSWITCH order: a variable set again moves to the end, set to empty it is gone', () => {
    const vars = new ChannelVariables();
    vars.setMany([['a', '1'], ['b', '2'], ['c', '3']]);
    vars.set('a', '4');
    vars.set('b', '');
    expect([...vars.names()]).toEqual(['c', 'a']);
    expect(serializePlain(eventOf(vars))).toBe('variable_c: 3\nvariable_a: 4\n\n');
  });

  it('encode each format as a block of its own (url-encoded plain and xml, escaped json, arrays)', () => {
    const vars = new ChannelVariables();
    vars.set('caller', '"Ada" <sip:1001@host>');
    vars.set('DP_MATCH', ['8500', '8500']);
    const event = eventOf(vars);
    expect(serializePlain(event)).toBe('variable_caller: %22Ada%22%20%3Csip%3A1001%40host%3E\nvariable_DP_MATCH: ARRAY%3A%3A8500%7C%3A8500\n\n');
    expect(JSON.parse(serializeJson(event))).toEqual({ variable_caller: '"Ada" <sip:1001@host>', variable_DP_MATCH: ['8500', '8500'] });
    expect(serializeXml(event)).toContain('    <variable_caller>%22Ada%22%20%3Csip%3A1001%40host%3E</variable_caller>\n');
    expect(eventHeader(event, 'variable_DP_MATCH')).toBe('ARRAY::8500|:8500');
    expect(eventHeader(event, 'caller')).toBeUndefined();
  });

  it('leave the block an event was given as it was when the channel changes afterwards', () => {
    const vars = new ChannelVariables();
    vars.set('state', 'ringing');
    const before = eventOf(vars);
    // Not encoded yet: it is written later, when a slow listener's queue drains.
    vars.set('state', 'answered');
    vars.set('extra', 'x');
    vars.delete('missing');
    expect(serializeJson(before)).toBe('{"variable_state":"ringing"}');
    expect(eventHeader(before, 'variable_extra')).toBeUndefined();
    expect(serializeJson(eventOf(vars))).toBe('{"variable_state":"answered","variable_extra":"x"}');
    expect(vars.block()).toBe(vars.block());
  });
});
