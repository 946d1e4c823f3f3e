// Issue 15, attacks 3: the WebSocket transport under abuse — messages at and past the
// protocol's size limit, a message in thousands of 1-byte fragments, an upgrade with
// 2,000 headers, and dead sockets found by ping/pong. The HTTP server's answer to a
// request it cannot read (a 20 KB URL) is here too: it is the same parser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src/clock.js';
import { MAX_FRAGMENTS } from '../../../src/transport/http-server.js';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { heapAfterGc, MB } from '../../helpers/heap.js';
import { RawWebSocket, rawHttp } from '../../helpers/raw-websocket.js';
import type { TestServer } from '../../helpers/test-server.js';
import { startAbuseServer, type AbuseServer } from '../../helpers/abuse-server.js';

let abuse: AbuseServer;
let s: TestServer;
let clock: ManualClock;
/** Signed in before the abuse: it must keep being answered. */
let bystander: TcpAgentClient;
const open: (AgentClient | RawWebSocket)[] = [];

beforeAll(async () => {
  abuse = await startAbuseServer();
  ({ s, clock, bystander } = abuse);
});
afterAll(async () => {
  for (const c of open) (c instanceof RawWebSocket ? c.destroy() : c.close());
  await abuse.close();
});

const bystanderIsFine = (): Promise<void> => abuse.bystanderIsFine();

async function ws(protocol: 'cti.xml' | 'cti.json' = 'cti.xml', more: { autoPong?: boolean } = {}): Promise<WsAgentClient> {
  const c = await WsAgentClient.connect(s.server.httpPort, protocol, '/agent', undefined, more);
  open.push(c);
  return c;
}

async function raw(extraHeaders: string[] = []): Promise<RawWebSocket> {
  const c = await RawWebSocket.open(s.server.httpPort, '/agent', extraHeaders);
  open.push(c);
  return c;
}

/** A heartbeat request of exactly `bytes` bytes (padded inside an extra field). */
function requestOf(bytes: number): string {
  const head = '<request><cmdType>heartbeat</cmdType><agentID>1001</agentID><seq>big</seq><pad>';
  const tail = '</pad></request>';
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
}

describe('maxPayload at the protocol limit (agent.maxMessageBytes, 65,536)', () => {
  it('WebSocket: a message of exactly the limit is answered; one byte more closes with 1009', async () => {
    const at = await ws();
    at.sendRaw(requestOf(65_536));
    expect((await at.waitFor((m) => m.body['seq'] === 'big')).body['retCode']).toBe('-23');
    const over = await ws();
    over.sendRaw(requestOf(65_537));
    await over.closedPromise;
    expect(over.closeCode).toBe(1009);
    await bystanderIsFine();
  });

  it('TCP: the same limit, -1 then closed', async () => {
    const at = await TcpAgentClient.connect(s.server.tcpPort);
    open.push(at);
    at.sendRaw(requestOf(65_536));
    expect((await at.waitFor((m) => m.body['seq'] === 'big')).body['retCode']).toBe('-23');
    const over = await TcpAgentClient.connect(s.server.tcpPort);
    open.push(over);
    over.sendRaw(requestOf(65_537));
    expect((await over.waitFor((m) => m.root === 'response')).body['retCode']).toBe('-1');
    await over.closedPromise;
  });
});

describe('a message in 1-byte fragments', () => {
  const request = '<request><cmdType>heartbeat</cmdType><agentID>1001</agentID><seq>frag</seq></request>';

  it(`a message in ${MAX_FRAGMENTS} frames is read whole`, async () => {
    const c = await raw();
    const pieces = [request.slice(0, request.length - MAX_FRAGMENTS + 1), ...request.slice(request.length - MAX_FRAGMENTS + 1)];
    expect(pieces).toHaveLength(MAX_FRAGMENTS);
    c.write(Buffer.concat(pieces.map((p, i) => c.frame(i === 0 ? 0x1 : 0x0, p, i === pieces.length - 1))));
    await eventually(() => c.messages.length === 1);
    expect(c.messages[0]).toContain('<seq>frag</seq><retCode>-23</retCode>');
  });

  // 10,000 stays under ws's own default (16,384 fragments, ~1.8 MB held per connection until then).
  it('a flood of 10,000 1-byte fragments is closed with 1008 at the limit, holding nothing', async () => {
    const flood = async (connections: number): Promise<void> => {
      const floods = await Promise.all(Array.from({ length: connections }, () => raw()));
      const frames = Buffer.concat(Array.from({ length: 10_000 }, (_, i) => floods[0]!.frame(i === 0 ? 0x1 : 0x0, 'a', false)));
      for (const c of floods) c.write(frames);
      for (const c of floods) {
        await eventually(() => c.closeCode !== undefined);
        expect(c.closeCode).toBe(1008);
        c.destroy();
        await c.closedPromise;
      }
    };
    // The first one compiles the code paths involved; the heap is measured around the next ten.
    await flood(1);
    const before = await heapAfterGc();
    await flood(10);
    const growth = (await heapAfterGc()) - before;
    expect(growth).toBeLessThan(2 * MB);
    await bystanderIsFine();
  });
});

describe('upgrade requests with 2,000 headers', () => {
  it('2,000 short headers (12 KB) upgrade as any other request, and the session works', async () => {
    const c = await raw(Array.from({ length: 2000 }, (_, i) => `x${i % 10}: 1`));
    c.write(c.frame(0x1, '<request><cmdType>heartbeat</cmdType><agentID>1001</agentID></request>', true));
    await eventually(() => c.messages.length === 1);
    expect(c.messages[0]).toContain('<retCode>-23</retCode>');
    await bystanderIsFine();
  });

  it('2,000 headers over 16 KB get 431 with a reason, not a bare status line', async () => {
    const headers = Array.from({ length: 2000 }, (_, i) => `x-header-${i}: value`).join('\r\n');
    const answer = await rawHttp(s.server.httpPort, `GET /agent HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${headers}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'the request line and headers exceed 16 KB' });
    await bystanderIsFine();
  });

  it('the finding: a 20 KB URL gets 431 with a JSON reason; a malformed request 400 with one', async () => {
    const long = await rawHttp(s.server.httpPort, `GET /health?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(long).toMatch(/^HTTP\/1\.1 431 /);
    expect(long).toMatch(/Content-Type: application\/json/);
    expect(long).toContain('"error":"the request line and headers exceed 16 KB"');
    const bad = await rawHttp(s.server.httpPort, 'NOT HTTP AT ALL\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(bad).toContain('"error":"malformed HTTP request"');
  });
});

describe('ping/pong: dead sockets are removed, live ones stay', () => {
  it('a signed-in bar that answers pings stays without sending a heartbeat; one that does not is closed at 3 × heartbeatInterval', async () => {
    const live = await ws('cti.json');
    await live.signIn('1011');
    const dead = await ws('cti.json', { autoPong: false });
    await dead.signIn('1012');
    // Five heartbeat intervals of silence from both bars (90 s is the limit).
    for (let i = 1; i <= 5 && !dead.closed; i++) {
      await bystander.request('heartbeat', '1010');
      clock.advance(30_000);
      await eventually(() => live.pings === i);
      // Let the pong reach the server before time moves on.
      await new Promise((r) => setTimeout(r, 100));
    }
    await dead.closedPromise;
    expect(dead.pings).toBeGreaterThanOrEqual(2);
    for (let i = live.pings + 1; i <= 5; i++) {
      await bystander.request('heartbeat', '1010');
      clock.advance(30_000);
      await eventually(() => live.pings === i);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(live.closed).toBe(false);
    expect((await live.request('heartbeat', '1011')).body['retCode']).toBe(0);
    await bystanderIsFine();
  });
});
