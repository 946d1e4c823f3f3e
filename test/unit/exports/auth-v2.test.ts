// auth-v2 (seed 004): the canonical request and signature recomputed by hand as docs/api.md
// describes them (its worked example), and the verifier's refusals.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorize, AuthV2Verifier, canonicalRequest, type SignedRequest } from '../../../src/exports/auth-v2.js';

// docs/api.md's worked example.
const BODY = '{"request":{"version":"2.0"},"msgBody":{"beginTime":"2018-06-29 10:42:49","endTime":"2018-07-02 10:42:49","callBackURL":"https://10.57.118.171:8000/cb"}}';
const HEADERS = { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(BODY)), host: '10.154.198.164' };
const REQ: SignedRequest = { method: 'POST', url: '/CCFS/resource/ccfs/queryAgentOprInfoData', headers: HEADERS, body: BODY };
const APP = { ak: 'app1', sk: 'app1-secret-key-0001', accountId: '20000153' };
const AT = Date.parse('2018-07-02T02:42:49Z');

describe('auth-v2', () => {
  it('signs as documented: signingKey = HMAC(sk, prefix), signature = HMAC(signingKey, canonical request)', () => {
    const canonical = canonicalRequest(REQ, ['content-length', 'content-type', 'host']);
    expect(canonical).toBe(
      'POST\n/CCFS/resource/ccfs/queryAgentOprInfoData\n\n' +
        `content-length:${Buffer.byteLength(BODY)}\ncontent-type:application%2Fjson%3Bcharset%3DUTF-8\nhost:10.154.198.164\n` +
        BODY,
    );
    const prefix = 'auth-v2/app1/2018-07-02T02:42:49Z/content-length;content-type;host';
    const signingKey = createHmac('sha256', APP.sk).update(prefix).digest('hex');
    const signature = createHmac('sha256', signingKey).update(canonical).digest('hex');
    const value = authorize(APP, REQ, AT);
    expect(value).toBe(`${prefix}/${signature}`);
    // The worked example of docs/api.md, as printed there.
    expect(value).toBe('auth-v2/app1/2018-07-02T02:42:49Z/content-length;content-type;host/' + signature);
    expect(signingKey).toBe('31a29d31c30b225227d185f1ac7a42e87ff8eeca1a8bddb72427b41818d43d8c');
    expect(signature).toBe('ab973c031676a092cef500f5e1dfb1b8157ba9e66ab76ba3109426a762be2743');
  });

  it('canonical query: names and values percent-encoded and sorted', () => {
    const c = canonicalRequest({ method: 'get', url: '/a%20b/c?z=1&agentOprInfoFileName=x y&a=%2F', headers: { host: 'h' }, body: '' }, ['host']);
    expect(c).toBe('GET\n/a%20b/c\na=%2F&agentOprInfoFileName=x%20y&z=1\nhost:h\n');
  });

  it('the verifier takes a good request once, and refuses a replay, a stale time, a wrong key or signature, an unsigned host', () => {
    const v = new AuthV2Verifier({ apps: [APP], maxSkewMs: 900_000 });
    const signed = (over: Partial<SignedRequest> = {}, at = AT) => ({ ...REQ, ...over, headers: { ...HEADERS, authorization: authorize(APP, { ...REQ, ...over }, at), ...over.headers } });
    expect(v.verify(signed(), AT + 1000)).toMatchObject({ ok: true, app: { ak: 'app1' } });
    expect(v.verify(signed(), AT + 1000)).toEqual({ ok: false, reason: 'this request was already received (replay)' });
    expect(v.verify(signed({}, AT - 1000 * 1000), AT)).toMatchObject({ ok: false, reason: expect.stringMatching(/more than 900 s away/) });
    expect(v.verify({ ...signed({}, AT + 1), body: BODY.replace('2.0', '3.0') }, AT)).toMatchObject({ ok: false, reason: 'the signature does not match' });
    expect(v.verify({ ...REQ, headers: { ...HEADERS, authorization: authorize({ ak: 'app9', sk: APP.sk }, REQ, AT) } }, AT)).toMatchObject({ ok: false, reason: 'unknown app key "app9"' });
    expect(v.verify({ ...REQ, headers: { ...HEADERS, authorization: authorize(APP, REQ, AT + 2000, ['content-type']) } }, AT)).toMatchObject({ ok: false, reason: 'the host header must be signed' });
    expect(v.verify({ ...REQ, headers: HEADERS }, AT)).toMatchObject({ ok: false, reason: 'no Authorization header' });
    expect(v.verify({ ...REQ, headers: { ...HEADERS, authorization: 'Bearer x' } }, AT)).toMatchObject({ ok: false });
    // The seed's own example writes a space before the signature: it is read all the same.
    const spaced = authorize(APP, REQ, AT + 3000).replace(/\/([0-9a-f]{64})$/, ' /$1');
    expect(v.verify({ ...REQ, headers: { ...HEADERS, authorization: spaced } }, AT + 3000)).toMatchObject({ ok: true });
  });
});
