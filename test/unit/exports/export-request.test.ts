// The body of queryAgentOprInfoData, field by field, with the seed's result codes; and
// `yyyy-MM-dd HH:mm:ss` read in the configured time zone.
import { describe, expect, it } from 'vitest';
import { checkExportRequest } from '../../../src/exports/export-request.js';
import { localTimeParser } from '../../../src/exports/local-time.js';
import { createTimeFormat } from '../../../src/time-format.js';

const parse = localTimeParser(createTimeFormat('Asia/Shanghai'));
const body = (msg: Record<string, unknown>, version: unknown = '2.0') => ({
  request: { version },
  msgBody: { beginTime: '2024-03-05 00:00:00', endTime: '2024-03-05 23:59:59', callBackURL: 'http://127.0.0.1:9/cb', ...msg },
});
const code = (b: unknown) => {
  const r = checkExportRequest(b, parse, 3);
  return 'resultCode' in r ? r.resultCode : '0';
};

describe('queryAgentOprInfoData body', () => {
  it('takes a good request: times in the zone, optional fields empty or absent', () => {
    expect(checkExportRequest(body({ accountId: '', agentId: '1001' }), parse, 3)).toEqual({
      beginAt: Date.parse('2024-03-04T16:00:00Z'),
      endAt: Date.parse('2024-03-05T15:59:59Z'),
      accountId: null,
      agentId: '1001',
      callbackUrl: 'http://127.0.0.1:9/cb',
    });
  });

  it('refuses each bad field with its code', () => {
    expect(code(undefined)).toBe('0300007');
    expect(code({ request: { version: '2.0' } })).toBe('0300007');
    expect(code(body({}, '1.0'))).toBe('0300006');
    expect(code(body({}, null))).toBe('0300001');
    expect(code(body({ beginTime: undefined }))).toBe('0300001');
    expect(code(body({ beginTime: '' }))).toBe('0300002');
    expect(code(body({ beginTime: '2024/03/05 00:00:00' }))).toBe('0300004');
    expect(code(body({ beginTime: '2024-02-30 00:00:00' }))).toBe('0300004');
    expect(code(body({ endTime: 20240305 }))).toBe('0300004');
    expect(code(body({ endTime: '2024-03-05 23:59:59.5' }))).toBe('0300003');
    expect(code(body({ endTime: '2024-03-04 23:59:59' }))).toBe('0300101');
    expect(code(body({ endTime: '2024-03-08 00:00:01' }))).toBe('0300102');
    expect(code(body({ endTime: '2024-03-08 00:00:00' }))).toBe('0');
    expect(code(body({ accountId: '123456789012345678901' }))).toBe('0300003');
    expect(code(body({ agentId: '10 01' }))).toBe('0300004');
    expect(code(body({ callBackURL: undefined }))).toBe('0300001');
    expect(code(body({ callBackURL: '' }))).toBe('0300002');
    expect(code(body({ callBackURL: 'ftp://x/y' }))).toBe('0300004');
  });

  it('reads local times across a daylight-saving change (Europe/Berlin)', () => {
    const berlin = localTimeParser(createTimeFormat('Europe/Berlin'));
    expect(berlin('2024-03-31 01:30:00')).toBe(Date.parse('2024-03-31T00:30:00Z'));
    expect(berlin('2024-03-31 03:30:00')).toBe(Date.parse('2024-03-31T01:30:00Z'));
    expect(berlin('2024-07-01 12:00:00')).toBe(Date.parse('2024-07-01T10:00:00Z'));
  });
});
