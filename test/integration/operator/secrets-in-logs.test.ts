// Secrets never reach the log: a whole run of polylink (a child process, log level debug)
// against a switch with an ESL password, a second node with a wrong one, seed 001's web
// key, agents signing in with right and wrong passwords, changing a password, and a broken
// message carrying one — then every line it wrote (stdout and stderr) is searched for
// each secret, and its database for the agents' passwords.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webKeyFor } from '../../../src/api/web-key.js';
import type { SwitchSimulator } from '../../../src/simulator/index.js';
import { createDayClock } from '../../../src/time-format.js';
import { escapeXml, TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { rowsOf, startOrganisationSwitch } from '../../helpers/organisation-switch.js';
import { type Build, buildPolylink, type RunningPolylink, startPolylink } from '../../helpers/polylink-process.js';

const SECRETS = {
  eslPassword: 'Esl-S3cret-right',
  wrongEslPassword: 'Esl-S3cret-wrong',
  webKey: 'web-key-S3cret-xyz',
  wrongAgentPassword: 'Wr0ng-agent-pass',
  newAgentPassword: 'N3w-agent-Passw0rd',
  brokenMessagePassword: 'Br0ken-S3cret-in-xml',
};

let build: Build;
let sim: SwitchSimulator;
let server: RunningPolylink;
let dir: string;
const clients: AgentClient[] = [];

beforeAll(async () => {
  build = await buildPolylink();
  sim = await startOrganisationSwitch({ password: SECRETS.eslPassword });
  dir = mkdtempSync(join(tmpdir(), 'polylink-secrets-'));
}, 90_000);
afterAll(async () => {
  for (const c of clients.splice(0)) c.close();
  server?.process.kill();
  await server?.process.exited;
  await sim?.stop();
  build?.remove();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('secrets in the log of a whole run', () => {
  it('no ESL password, web key (nor its digest), agent password or new password appears in anything polylink wrote', async () => {
    server = await startPolylink(build, join(dir, 'polylink.db'), {
      POLYLINK_LOG_LEVEL: 'debug',
      // The second node is the same switch with a wrong password: its refusal is logged.
      POLYLINK_FREESWITCH_NODES: JSON.stringify([
        { id: 'fs1', host: '127.0.0.1', port: sim.port, password: SECRETS.eslPassword },
        { id: 'fs2', host: '127.0.0.1', port: sim.port, password: SECRETS.wrongEslPassword },
      ]),
      POLYLINK_API_WEB_KEY: SECRETS.webKey,
    });
    await server.process.waitForLog((l) => l['msg'] === 'alarm raised', 10_000);

    // Agents: a right sign-in, wrong ones (TCP and WebSocket), a password change, a broken message carrying a password.
    const a = await TcpAgentClient.connect(server.tcpPort);
    clients.push(a);
    expect(String((await a.signIn('1001')).body['retCode'])).toBe('0');
    expect(String((await a.request('changepassword', '1001', { oldPwd: '1001pw', newPwd: SECRETS.newAgentPassword })).body['retCode'])).toBe('0');
    expect(String((await a.request('changepassword', '1001', { oldPwd: SECRETS.wrongAgentPassword, newPwd: SECRETS.newAgentPassword })).body['retCode'])).not.toBe('0');
    const b = await TcpAgentClient.connect(server.tcpPort);
    clients.push(b);
    expect(String((await b.signIn('1002', { agentPwd: SECRETS.wrongAgentPassword })).body['retCode'])).toBe('-53');
    const w = await WsAgentClient.connect(server.httpPort, 'cti.json');
    clients.push(w);
    expect(String((await w.signIn('1003', { agentPwd: SECRETS.wrongAgentPassword })).body['retCode'])).toBe('-53');
    const from = b.received.length;
    b.write(`<request><cmdType>signin</cmdType><agentID>1004</agentID><agentPwd>${escapeXml(SECRETS.brokenMessagePassword)}</agentPwd><agentExten>8004</agentExten\0`);
    await b.waitFor((m) => m.root === 'response', from);

    // Seed 001 with the key's digest of today, a wrong one, and the key itself as the header.
    const today = createDayClock('Asia/Shanghai').dayOf(Date.now());
    for (const authorization of [webKeyFor(SECRETS.webKey, today), webKeyFor(SECRETS.webKey, '2000-01-01'), SECRETS.webKey]) {
      await fetch(`http://127.0.0.1:${server.httpPort}/coocenter-api/blacklist/create`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'number=13900000001',
      });
    }

    server.process.child.kill('SIGTERM');
    expect((await server.process.exited).code).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    const everything = `${server.process.stdout.join('\n')}\n${server.process.stderr()}`;
    // The run was logged at debug: something to search (the sign-ins, the refusals, the alarm).
    expect(server.process.log.length).toBeGreaterThan(20);
    expect(server.process.log.some((l) => l['level'] === 20)).toBe(true);
    const secrets = { ...SECRETS, agentPassword: '1001pw', todaysDigest: webKeyFor(SECRETS.webKey, today) };
    expect(Object.entries(secrets).filter(([, secret]) => everything.includes(secret))).toEqual([]);
    // Nor in the database: agent passwords are kept as salted scrypt hashes only.
    const agents = rowsOf(join(dir, 'polylink.db'), "SELECT agent_id, password_hash FROM agents WHERE agent_id IN ('1001', '1002')");
    expect(agents.map((r) => String(r['password_hash']).split('$')[0])).toEqual(['scrypt', 'scrypt']);
    const stored = JSON.stringify(rowsOf(join(dir, 'polylink.db'), 'SELECT * FROM agents')) + JSON.stringify(rowsOf(join(dir, 'polylink.db'), 'SELECT * FROM agent_operation_log'));
    expect([SECRETS.newAgentPassword, SECRETS.wrongAgentPassword, '1001pw'].filter((p) => stored.includes(p))).toEqual([]);
  }, 90_000);
});
