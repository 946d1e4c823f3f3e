// Dial-string injection through every field of the agent protocol and the HTTP API that
// could reach FreeSWITCH: polylink as a child process, the switch (the simulator) in this
// process behind a TCP proxy that records every byte polylink writes to it. Each hostile
// value is refused with its code, and nothing of it reaches the switch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchSimulator } from '../../../src/simulator/index.js';
import { escapeXml, TcpAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { EslProxy } from '../../helpers/esl-proxy.js';
import { startOrganisationSwitch } from '../../helpers/organisation-switch.js';
import { type Build, buildPolylink, type RunningPolylink, startPolylink } from '../../helpers/polylink-process.js';

const PASSWORD = 'inj3ction-test';
/** Every hostile value carries this marker, which no legitimate command contains. */
const MARK = 'evil';

/**
 * What FreeSWITCH gives meaning to inside a dial string or a command line
 * (switch_ivr_originate.c: `,` `|` `:_:` separate legs, `{…}` `[…]` `<…>` set variables,
 * `${…}` expands, `&app(…)` runs an application; mod_event_socket.c ends a command at a
 * blank line), each around the marker.
 */
const HOSTILE = [
  `1390013900${MARK}`,
  `13900139001,user/${MARK}`,
  `13900139001|user/${MARK}`,
  `13900139001:_:user/${MARK}`,
  `{origination_caller_id_number=${MARK}}13900139001`,
  `[${MARK}=1]13900139001`,
  `<${MARK}=1>13900139001`,
  `\${${MARK}}`,
  `13900139001&bridge(user/${MARK})`,
  `13900139001 ${MARK}`,
  `13900139001\n\napi ${MARK}`,
  `13900139001\r\n\r\nbgapi ${MARK}`,
  `sofia/gateway/${MARK}/13900139001`,
  `user/${MARK}`,
  `'${MARK}'`,
  `13900139001^^:${MARK}`,
  `${MARK}`.repeat(20),
];

let build: Build;
let sim: SwitchSimulator;
let proxy: EslProxy;
let server: RunningPolylink;
let dir: string;
const clients: AgentClient[] = [];

beforeAll(async () => {
  build = await buildPolylink();
  sim = await startOrganisationSwitch({ password: PASSWORD });
  proxy = await EslProxy.start(sim.port);
  dir = mkdtempSync(join(tmpdir(), 'polylink-injection-'));
  server = await startPolylink(build, join(dir, 'polylink.db'), {
    POLYLINK_FREESWITCH_NODES: `${PASSWORD}@127.0.0.1:${proxy.port}`,
    // The hostile requests come in a burst: each must meet the validation, not the rate limit (-85).
    POLYLINK_AGENT_MAX_REQUESTS_PER_SECOND: '10000',
  });
}, 90_000);
afterAll(async () => {
  for (const c of clients.splice(0)) c.close();
  server?.process.kill();
  await server?.process.exited;
  proxy?.close();
  await sim?.stop();
  build?.remove();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function bar(agentId: string): Promise<TcpAgentClient> {
  const c = await TcpAgentClient.connect(server.tcpPort);
  clients.push(c);
  expect(String((await c.signIn(agentId)).body['retCode'])).toBe('0');
  return c;
}

/** The request as the bar writes it, the field's value escaped for XML (a newline stays a newline). */
async function ask(c: TcpAgentClient, agentId: string, cmdType: string, fields: Record<string, string>): Promise<string> {
  const from = c.received.length;
  const body = Object.entries(fields).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('');
  c.write(`<request><cmdType>${cmdType}</cmdType><agentID>${agentId}</agentID>${body}</request>\0`);
  const res = await c.waitFor((m) => m.root === 'response', from);
  return String(res.body['retCode']);
}

/** Lets whatever polylink would send for a request reach the proxy before looking. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

/** Refused: a code other than 0 for every hostile value. */
function expectAllRefused(answers: Record<string, string>): void {
  expect(Object.entries(answers).filter(([, code]) => code === '0' || code === '-85')).toEqual([]);
  // Which codes, for docs/reliability.md.
  const byCode: Record<string, number> = {};
  for (const code of Object.values(answers)) byCode[code] = (byCode[code] ?? 0) + 1;
  console.log(`${Object.keys(answers).length} hostile requests, answered`, byCode);
}

describe('dial-string injection over the agent protocol', () => {
  it('callout (calledID, displayNum), callagent (agentNum) and a sign-in on an extension: refused with a code, nothing reaches the switch', async () => {
    const a = await bar('1001');
    const answers: Record<string, string> = {};
    for (const v of HOSTILE) {
      answers[`callout calledID ${JSON.stringify(v)}`] = await ask(a, '1001', 'callout', { calledID: v });
      answers[`callout displayNum ${JSON.stringify(v)}`] = await ask(a, '1001', 'callout', { calledID: '13900139001', displayNum: v });
      answers[`callagent agentNum ${JSON.stringify(v)}`] = await ask(a, '1001', 'callagent', { agentNum: v });
    }
    const b = await TcpAgentClient.connect(server.tcpPort);
    clients.push(b);
    for (const v of HOSTILE) {
      answers[`signin agentExten ${JSON.stringify(v)}`] = await ask(b, '1003', 'signin', { agentPwd: '1003pw', bindExten: 'yes', agentExten: v, initStatus: '0' });
    }
    await settle();
    expectAllRefused(answers);
    expect(proxy.sent).not.toContain(MARK);
    // The bar is still served: an ordinary callout goes out.
    expect(await ask(a, '1001', 'callout', { calledID: '13900139001' })).toBe('0');
    await a.event('BridgeEvent');
    expect(await ask(a, '1001', 'hangup', {})).toBe('0');
  }, 60_000);

  it('during a call — consult, threeway, transferagent (inside and outside numbers), transferivr, transferqueue, transferivrprofile: refused, nothing reaches the switch, the call goes on', async () => {
    const c = await bar('1002');
    expect(await ask(c, '1002', 'callout', { calledID: '13900139002' })).toBe('0');
    await c.event('BridgeEvent');
    const answers: Record<string, string> = {};
    for (const v of HOSTILE) {
      for (const outbound of ['true', 'false']) {
        answers[`consult ${outbound} ${JSON.stringify(v)}`] = await ask(c, '1002', 'consult', { destAgentID: v, trdIsOutbound: outbound });
        answers[`threeway ${outbound} ${JSON.stringify(v)}`] = await ask(c, '1002', 'threeway', { trdAgentNum: v, trdIsOutbound: outbound });
        answers[`transferagent ${outbound} ${JSON.stringify(v)}`] = await ask(c, '1002', 'transferagent', { destAgentID: v, strOutBoundFlag: outbound });
      }
      answers[`transferivr ${JSON.stringify(v)}`] = await ask(c, '1002', 'transferivr', { ivrNum: v });
      answers[`transferqueue ${JSON.stringify(v)}`] = await ask(c, '1002', 'transferqueue', { queueNum: v });
      answers[`transferivrprofile ${JSON.stringify(v)}`] = await ask(c, '1002', 'transferivrprofile', { ivrProfileNum: v });
    }
    await settle();
    expectAllRefused(answers);
    expect(proxy.sent).not.toContain(MARK);
    expect(c.events('HangupEvent')).toEqual([]);
    expect(await ask(c, '1002', 'hangup', {})).toBe('0');
    await c.event('HangupEvent');
  }, 60_000);
});

describe('dial-string injection over HTTP (seed 001)', () => {
  it('blacklist numbers and queue members: 4xx with a reason, nothing reaches the switch', async () => {
    const statuses: Record<string, number> = {};
    const form = async (method: string, path: string, fields: Record<string, string>): Promise<void> => {
      const res = await fetch(`http://127.0.0.1:${server.httpPort}${path}`, {
        method,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      const body = (await res.json()) as { message?: string };
      expect(body.message).toBeTruthy();
      statuses[`${path} ${JSON.stringify(fields)}`] = res.status;
    };
    for (const v of HOSTILE) {
      await form('POST', '/coocenter-api/blacklist/create', { number: v });
      await form('POST', '/coocenter-api/queues/agent-login', { queue: v, extension: '8001' });
      await form('POST', '/coocenter-api/queues/agent-login', { queue: '630', extension: v });
      await form('POST', '/coocenter-api/queues/agent-pause', { queue: '630', member: v, state: 'on' });
    }
    await settle();
    expect(Object.entries(statuses).filter(([, status]) => status < 400 || status >= 500)).toEqual([]);
    expect(proxy.sent).not.toContain(MARK);
  }, 60_000);
});
