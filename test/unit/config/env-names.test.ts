import { describe, expect, it } from 'vitest';
import { describeUnknown, editDistance, unknownVariables } from '../../../src/config/env-names.js';

describe('unknownVariables', () => {
  it('reports POLYLINK_ variables polylink does not read, with the nearest one it does', () => {
    const found = unknownVariables({
      POLYLINK_AGENT_TCP_PORT: '6020',
      POLYLINK_CONFIG: 'x.yaml',
      POLYLINK_HTTP_PROT: '8081',
      POLYLINK_DATABSE_PATH: '/tmp/x.db',
      POLYLINK_SOMETHING_ELSE_ENTIRELY: '1',
      PATH: '/bin',
    });
    expect(found).toEqual([
      { name: 'POLYLINK_DATABSE_PATH', nearest: { name: 'POLYLINK_DATABASE_PATH', key: 'database.path' } },
      { name: 'POLYLINK_HTTP_PROT', nearest: { name: 'POLYLINK_HTTP_PORT', key: 'http.port' } },
      { name: 'POLYLINK_SOMETHING_ELSE_ENTIRELY', nearest: undefined },
    ]);
    expect(describeUnknown(found[1]!)).toBe('POLYLINK_HTTP_PROT is not a polylink setting; it is ignored (did you mean POLYLINK_HTTP_PORT, http.port?)');
    expect(describeUnknown(found[2]!)).toBe('POLYLINK_SOMETHING_ELSE_ENTIRELY is not a polylink setting; it is ignored');
  });

  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('PORT', 'PROT')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
