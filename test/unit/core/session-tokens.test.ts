// Session tokens as proof (core/session-tokens.ts): the saved tokens of an earlier run, by agent, until they expire.
import { describe, expect, it } from 'vitest';
import { SavedSessionTokens, sameHash } from '../../../src/core/session-tokens.js';
import { hashSessionToken } from '../../../src/store/session-token-store.js';

describe('session tokens', () => {
  it('sameHash: equal strings only, whatever their length', () => {
    const h = hashSessionToken('token-1');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(sameHash(h, hashSessionToken('token-1'))).toBe(true);
    expect(sameHash(h, hashSessionToken('token-2'))).toBe(false);
    expect(sameHash(h, h.slice(0, 63))).toBe(false);
    expect(sameHash('', '')).toBe(true);
  });

  it('a saved token proves its own agent until it expires, then never again; forgotten, nothing', () => {
    const saved = new SavedSessionTokens(
      [
        { agentId: '1001', tokenHash: hashSessionToken('t1'), expiresAt: 1_000, session: null },
        { agentId: '1002', tokenHash: hashSessionToken('t2'), expiresAt: 1_000, session: { status: 0, since: 0, restore: null, bindExten: false, exten: null, extenIsOutbound: false, signedInAt: 0, afterHangupStatus: null, watched: [] } },
      ],
      hashSessionToken,
    );
    expect(saved.proves('1001', 't1', 999)).toBe(true);
    expect(saved.proves('1001', 't2', 999)).toBe(false);
    expect(saved.proves('1002', 't1', 999)).toBe(false);
    expect(saved.suspended(999).map((t) => t.agentId)).toEqual(['1002']);
    expect(saved.proves('1001', 't1', 1_000)).toBe(false);
    expect(saved.proves('1001', 't1', 10)).toBe(false);
    saved.forget('1002');
    expect(saved.proves('1002', 't2', 10)).toBe(false);
    expect(saved.suspended(10)).toEqual([]);
  });
});
