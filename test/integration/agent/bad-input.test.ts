// Every kind of bad input gets its code or is closed, the server logs one line, and
// other agents are untouched (spec §1, §2, §3 rule 0). Real TCP and WebSocket clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src/clock.js';
import { startAbuseServer, type AbuseServer } from '../../helpers/abuse-server.js';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import type { TestServer } from '../../helpers/test-server.js';

let abuse: AbuseServer;
let s: TestServer;
let clock: ManualClock;
const open: AgentClient[] = [];

beforeAll(async () => {
  // An agent signed in before the abuse starts: it must keep working throughout.
  abuse = await startAbuseServer();
  ({ s, clock } = abuse);
});
afterAll(async () => {
  for (const c of open) c.close();
  await abuse.close();
});

async function tcp(): Promise<TcpAgentClient> {
  const c = await TcpAgentClient.connect(s.server.tcpPort);
  open.push(c);
  return c;
}
async function ws(protocol?: 'cti.xml' | 'cti.json'): Promise<WsAgentClient> {
  const c = await WsAgentClient.connect(s.server.httpPort, protocol);
  open.push(c);
  return c;
}

const bystanderIsFine = (): Promise<void> => abuse.bystanderIsFine();

/** Sends raw text and returns the response it gets. */
async function answer(c: AgentClient, raw: string | Buffer): Promise<Record<string, unknown>> {
  const from = c.received.length;
  c.sendRaw(raw);
  return (await c.response(from)).body;
}

function warnings(): number {
  return s.logs.filter((l) => l['level'] === 40).length;
}

describe('unreadable messages are answered, the connection stays', () => {
  it.each([
    ['-1', 'not well-formed XML', '<request><cmdType>signin</cmdType>'],
    ['-1', 'plain text', 'hello there'],
    ['-1', 'two roots', '<request></request><request></request>'],
    ['-1', 'a DOCTYPE with entities (billion laughs)', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><request><cmdType>&lol2;</cmdType></request>'],
    ['-1', 'nesting deeper than 8', `<request>${'<a>'.repeat(8)}x${'</a>'.repeat(8)}</request>`],
    ['-1', 'a control character', '<request><cmdType>signin\u0001</cmdType><agentID>1001</agentID></request>'],
    ['-2', 'a wrong root', '<req><cmdType>signin</cmdType><agentID>1001</agentID></req>'],
    ['-3', 'no cmdType', '<request><agentID>1001</agentID><seq>7</seq></request>'],
    ['-3', 'an empty cmdType', '<request><cmdType> </cmdType><agentID>1001</agentID></request>'],
    ['-4', 'no agentID', '<request><cmdType>signin</cmdType></request>'],
    ['-5', 'an unknown cmdType', '<request><cmdType>format_c</cmdType><agentID>1001</agentID><seq>9</seq></request>'],
  ])('%s for %s (TCP)', async (code, _what, raw) => {
    const c = await tcp();
    const before = warnings();
    const body = await answer(c, raw);
    expect(body['retCode']).toBe(code);
    if (code === '-1' || code === '-2') {
      // Spec §2: cmdType empty, no seq.
      expect(body['cmdType']).toBe('');
      expect(body['seq']).toBeUndefined();
    }
    if (code === '-1' || code === '-2' || code === '-3' || code === '-4') {
      await eventually(() => warnings() === before + 1);
    }
    // Still open and usable.
    expect((await c.signIn('1001')).body['retCode']).toBe('0');
    await c.request('signout', '1001');
    await bystanderIsFine();
  });

  it('-3 and -4 echo the seq they could read', async () => {
    const c = await tcp();
    expect(await answer(c, '<request><agentID>1001</agentID><seq>7</seq></request>')).toMatchObject({ retCode: '-3', seq: '7', agentID: '1001' });
  });

  it('-1 for a message that is not UTF-8 (binary garbage) on TCP', async () => {
    const c = await tcp();
    const from = c.received.length;
    c.write(Buffer.from([0xff, 0xfe, 0xfd, 0xc3, 0x28, 0x00]));
    expect((await c.response(from)).body['retCode']).toBe('-1');
    expect((await c.signIn('1001')).body['retCode']).toBe('0');
    await c.request('signout', '1001');
  });

  it('-1 for a binary WebSocket frame, and for JSON that is not a request object in cti.json', async () => {
    const x = await ws();
    expect(await answer(x, Buffer.from([1, 2, 3, 0, 255]))).toMatchObject({ retCode: '-1' });
    const j = await ws('cti.json');
    expect(await answer(j, '[1,2,3]')).toMatchObject({ retCode: -1 });
    expect(await answer(j, '{"request": "signin"}')).toMatchObject({ retCode: -1 });
    expect(await answer(j, '{not json')).toMatchObject({ retCode: -1 });
    expect(await answer(j, '{"req": {"cmdType": "signin", "agentID": "1001"}}')).toMatchObject({ retCode: -2 });
    // A field present but not text is invalid: -59 (spec §6).
    expect(await answer(j, '{"request": {"cmdType": "signin", "agentID": "1001", "agentPwd": {"a": 1}}}')).toMatchObject({ retCode: -59 });
    await bystanderIsFine();
  });

  it('a message split across many TCP writes is read whole', async () => {
    const c = await tcp();
    const raw = Buffer.from('<request><cmdType>heartbeat</cmdType><agentID>1001</agentID><seq>x</seq></request>\0');
    const from = c.received.length;
    for (let i = 0; i < raw.length; i += 7) {
      c.write(raw.subarray(i, i + 7));
      await new Promise((r) => setImmediate(r));
    }
    expect((await c.response(from)).body).toMatchObject({ retCode: '-23', seq: 'x' });
  });
});

describe('oversize messages close the connection', () => {
  it('TCP: a message over maxMessageBytes gets -1, then the connection is closed', async () => {
    const c = await tcp();
    const before = warnings();
    c.write('<request><cmdType>' + 'A'.repeat(70_000));
    const r = await c.waitFor((m) => m.root === 'response');
    expect(r.body['retCode']).toBe('-1');
    await c.closedPromise;
    await eventually(() => warnings() === before + 1);
    await bystanderIsFine();
  });

  it('WebSocket: a frame over maxMessageBytes closes with 1009', async () => {
    const c = await ws();
    c.sendRaw('<request>' + 'A'.repeat(70_000) + '</request>');
    await c.closedPromise;
    expect(c.closeCode).toBe(1009);
    await bystanderIsFine();
  });
});

describe('floods and silent clients', () => {
  it('beyond the rate a request gets -85; a client that keeps flooding is closed, with one log line', async () => {
    const c = await tcp();
    await c.signIn('1002');
    const before = warnings();
    const one = '<request><cmdType>heartbeat</cmdType><agentID>1002</agentID></request>\0';
    // Time stands still (ManualClock): the bucket holds 2 × 50 requests and does not refill.
    c.write(one.repeat(150));
    await c.waitFor(() => c.received.filter((m) => m.root === 'response').length === 151);
    const codes = c.received.filter((m) => m.root === 'response').map((m) => m.body['retCode']);
    // The sign-in used one token: 99 heartbeats pass, the other 51 are refused.
    expect(codes.slice(1, 100).every((x) => x === '0')).toBe(true);
    expect(codes.slice(100)).toEqual(Array(51).fill('-85'));
    c.write(one.repeat(1000));
    await c.closedPromise;
    await eventually(() => warnings() > before);
    expect(warnings() - before).toBeLessThanOrEqual(2);
    await bystanderIsFine();
  });

  it('-85 echoes the cmdType, agentID and seq of the refused request, so the bar knows which one it was', async () => {
    const c = await tcp();
    await c.signIn('1006');
    let burst = '';
    for (let i = 0; i < 110; i++) burst += `<request><cmdType>heartbeat</cmdType><agentID>1006</agentID><seq>h${i}</seq></request>\0`;
    c.write(burst);
    await c.waitFor(() => c.received.filter((m) => m.root === 'response').length === 111);
    const refused = c.received.filter((m) => m.root === 'response' && m.body['retCode'] === '-85');
    // The sign-in took one of the 100 tokens: h0 … h98 pass.
    expect(refused.map((m) => m.body['seq'])).toEqual(Array.from({ length: 11 }, (_, i) => `h${99 + i}`));
    for (const m of refused) expect(m.body).toMatchObject({ cmdType: 'heartbeat', agentID: '1006', reason: 'Too many requests on this connection, slow down' });
    // A refused message too long to be a request is not read: nothing to echo.
    const from = c.received.length;
    c.sendRaw(`<request><cmdType>heartbeat</cmdType><agentID>1006</agentID><seq>big</seq><pad>${'x'.repeat(5000)}</pad></request>`);
    expect((await c.response(from)).body).toMatchObject({ retCode: '-85', cmdType: '' });
    expect(c.received.at(-1)!.body['seq']).toBeUndefined();
  });

  it('a burst within the bucket is answered in full and in order', async () => {
    const c = await tcp();
    await c.signIn('1005');
    clock.advance(10_000);
    c.write('<request><cmdType>getqueuelist</cmdType><agentID>1005</agentID></request>\0'.repeat(100));
    await c.waitFor(() => c.received.filter((m) => m.root === 'response').length === 101);
    const lists = c.received.filter((m) => m.root === 'response').slice(1);
    expect(lists.every((m) => m.body['retCode'] === '0')).toBe(true);
    expect(c.events('GetQueueListEvent')).toHaveLength(100);
    await bystanderIsFine();
  });

  it('the rate refills with time: a steady client is never refused', async () => {
    const c = await tcp();
    await c.signIn('1003');
    for (let i = 0; i < 300; i++) {
      if (i % 25 === 0) clock.advance(1000);
      expect((await c.request('heartbeat', '1003')).body['retCode']).toBe('0');
    }
    // Keep the bystander's connection alive across the minutes that passed.
    await bystanderIsFine();
  });

  it('a client that connects and never speaks is closed after signinTimeoutSeconds (TCP and WebSocket)', async () => {
    const c = await tcp();
    const w = await ws('cti.json');
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(9_999);
    await new Promise((r) => setTimeout(r, 20));
    expect(c.closed || w.closed).toBe(false);
    clock.advance(1);
    await c.closedPromise;
    await w.closedPromise;
    expect(w.closeCode).toBe(1000);
    await bystanderIsFine();
  });

  it('an exception inside a handler answers -2000 and the connection stays open', async () => {
    const c = await tcp();
    await c.signIn('1004');
    const original = s.server.engine.services.org.ivrsOf;
    s.server.engine.services.org.ivrsOf = () => {
      throw new Error('boom');
    };
    try {
      expect((await c.request('getivrlist', '1004')).body['retCode']).toBe('-2000');
    } finally {
      s.server.engine.services.org.ivrsOf = original;
    }
    expect((await c.request('getivrlist', '1004')).body['retCode']).toBe('0');
    expect(s.logs.some((l) => l['msg'] === 'handler failed')).toBe(true);
  });
});
