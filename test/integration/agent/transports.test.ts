// Transports around the protocol: TLS on the agent port and on the HTTP port (wss://),
// the WebSocket path and subprotocols, half-open TCP, the health endpoint.
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { join, resolve } from 'node:path';
import tls from 'node:tls';
import { generate } from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WsAgentClient } from '../../helpers/agent-client.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const TLS_DIR = resolve(import.meta.dirname, '..', '..', 'fixtures', 'tls');
const tempDir = tempDirs('polylink-tls-');
let s: TestServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('TLS', () => {
  it('serves the same NUL-framed XML over TLS when a certificate is configured', async () => {
    s = await startTestServer({ config: { agent: { tls: { certFile: resolve(TLS_DIR, 'cert.pem'), keyFile: resolve(TLS_DIR, 'key.pem') } } } });
    const socket = tls.connect({ port: s.server.tcpPort, host: '127.0.0.1', ca: readFileSync(resolve(TLS_DIR, 'cert.pem')) });
    await new Promise<void>((r, j) => {
      socket.once('secureConnect', () => r());
      socket.once('error', j);
    });
    socket.write('<request><cmdType>signin</cmdType><agentID>1001</agentID><seq>t</seq><agentPwd>1001pw</agentPwd><bindExten>no</bindExten><initStatus>0</initStatus></request>\0');
    const first = await new Promise<string>((r) => {
      let buf = '';
      socket.on('data', (d: Buffer) => {
        buf += d.toString();
        const nul = buf.indexOf('\0');
        if (nul !== -1) r(buf.slice(0, nul));
      });
    });
    expect(first).toContain('<retCode>0</retCode>');
    socket.destroy();
  });
});

describe('TLS on the HTTP port (http.tls)', () => {
  it('serves the agent protocol over wss:// and the health endpoint over HTTPS, with a certificate made here', async () => {
    // A throw-away self-signed certificate for localhost / 127.0.0.1, in a folder removed after the file's tests.
    const dir = tempDir();
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', algorithm: 'sha256' });
    writeFileSync(join(dir, 'cert.pem'), pems.cert);
    writeFileSync(join(dir, 'key.pem'), pems.private);
    s = await startTestServer({ config: { http: { tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } } } });
    const port = s.server.httpPort;
    const c = await WsAgentClient.connect(port, 'cti.json', '/agent', { ca: pems.cert });
    expect((await c.signIn('1001')).body['retCode']).toBe(0);
    expect((await c.event('AgentStatusChangeEvent')).body).toMatchObject({ agent_num: '1001', new_status: '0' });
    c.close();
    // Nothing in clear text on that port: a plain ws:// client is not served.
    await expect(WsAgentClient.connect(port, 'cti.json')).rejects.toThrow();
    // And a client that does not trust the certificate is refused by its own TLS check.
    await expect(WsAgentClient.connect(port, 'cti.json', '/agent', { ca: '' })).rejects.toThrow();
    const health = await new Promise<{ status: number | undefined; body: string }>((done, fail) => {
      https
        .get({ host: '127.0.0.1', port, path: '/health', ca: pems.cert }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => done({ status: res.statusCode, body }));
        })
        .on('error', fail);
    });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', agentsOnline: 1 });
  });
});

describe('a TCP client that ends its sending side after its request', () => {
  // What `printf '<request>…</request>\0' | nc -q 2 localhost 6020` does (README): the
  // request, then FIN at the end of its input, then it reads until the server closes.
  async function askAndEnd(port: number, request: string): Promise<{ messages: string[]; closedByServer: boolean }> {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    await new Promise<void>((r, j) => socket.once('connect', () => r()).once('error', j));
    socket.end(request + '\0');
    let buf = '';
    socket.on('data', (d: Buffer) => (buf += d.toString('utf8')));
    const closedByServer = await new Promise<boolean>((r) => {
      const timer = setTimeout(() => r(false), 5000);
      socket.once('end', () => {
        clearTimeout(timer);
        r(true);
      });
    });
    socket.destroy();
    return { messages: buf.split('\0').filter((m) => m !== ''), closedByServer };
  }

  it('gets the answer to a sign-in (an asynchronous password check) and its events, then the server closes', async () => {
    s = await startTestServer();
    const { messages, closedByServer } = await askAndEnd(
      s.server.tcpPort,
      '<request><cmdType>signin</cmdType><agentID>1001</agentID><seq>h</seq><agentPwd>1001pw</agentPwd><bindExten>yes</bindExten><agentExten>8001</agentExten><initStatus>0</initStatus></request>',
    );
    expect(messages[0]).toContain('<cmdType>signin</cmdType>');
    expect(messages[0]).toContain('<retCode>0</retCode>');
    expect(messages.slice(1).map((m) => /<eventType>(\w+)<\/eventType>/.exec(m)?.[1])).toEqual(['SignInEvent', 'GetRoleNameEvent', 'AgentStatusChangeEvent']);
    expect(closedByServer).toBe(true);
    // The agent stays signed in for the resume grace, as after any dropped connection.
    expect(s.server.engine.agents.statusOf('1001')).toBe(0);
  });

  it('gets an answer to each of several requests sent at once, in order', async () => {
    s = await startTestServer();
    const signin = '<request><cmdType>signin</cmdType><agentID>1002</agentID><seq>1</seq><agentPwd>1002pw</agentPwd><bindExten>no</bindExten><initStatus>0</initStatus></request>';
    const heartbeat = '<request><cmdType>heartbeat</cmdType><agentID>1002</agentID><seq>2</seq></request>';
    const { messages } = await askAndEnd(s.server.tcpPort, `${signin}\0${heartbeat}`);
    const responses = messages.filter((m) => m.startsWith('<response>'));
    expect(responses.map((m) => /<seq>(\w+)<\/seq>/.exec(m)?.[1])).toEqual(['1', '2']);
    expect(responses.every((m) => m.includes('<retCode>0</retCode>'))).toBe(true);
  });
});

describe('the HTTP port', () => {
  it('GET /health reports the server and the agents online', async () => {
    s = await startTestServer();
    const c = await WsAgentClient.connect(s.server.httpPort, 'cti.json');
    await c.signIn('1001');
    const res = await fetch(`http://127.0.0.1:${s.server.httpPort}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', agentsOnline: 1 });
    expect((await fetch(`http://127.0.0.1:${s.server.httpPort}/nothing`)).status).toBe(404);
    c.close();
  });

  it('upgrades to WebSocket only at /agent', async () => {
    s = await startTestServer();
    await expect(WsAgentClient.connect(s.server.httpPort, undefined, '/other')).rejects.toThrow();
  });

  it('picks cti.xml among other subprotocols a client offers', async () => {
    s = await startTestServer();
    const ws = new WebSocket(`ws://127.0.0.1:${s.server.httpPort}/agent`, ['soap', 'cti.xml']);
    await new Promise((r) => ws.once('open', r));
    expect(ws.protocol).toBe('cti.xml');
    ws.close();
  });
});

describe('getagentgrouplist mine for an agent in no group', () => {
  it('answers -38', async () => {
    s = await startTestServer({ prepare: (db) => db.prepare("UPDATE agents SET group_id = NULL WHERE agent_id = '1024'").run() });
    const c = await WsAgentClient.connect(s.server.httpPort, 'cti.json');
    await c.signIn('1024');
    expect((await c.request('getagentgrouplist', '1024')).body['retCode']).toBe(-38);
    c.close();
  });
});
