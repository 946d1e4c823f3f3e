// polylink killed (SIGKILL) with pushes in its outbox and started again on the same
// database: a real child process, a real receiver. Every push written before the kill is
// delivered after the restart, in order; one seen twice has the same eventUniqueId.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TcpAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { type Build, buildPolylink, type RunningPolylink, startPolylink } from '../../helpers/polylink-process.js';
import { WebhookReceiver } from '../../helpers/webhook-receiver.js';

let build: Build;
let dir: string;
let receiver: WebhookReceiver;
const running: RunningPolylink[] = [];
const clients: AgentClient[] = [];

beforeAll(async () => {
  build = await buildPolylink();
  dir = mkdtempSync(join(tmpdir(), 'polylink-crash-'));
  receiver = await WebhookReceiver.start();
}, 120_000);

afterAll(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of running.splice(0)) {
    r.process.kill();
    await r.process.exited;
  }
  await receiver?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  build?.remove();
});

function pendingIds(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare(`SELECT event_id AS eventId FROM outbox WHERE lane = 'crm' AND state = 'pending' ORDER BY id`).all() as { eventId: string }[]).map((r) => r.eventId);
  } finally {
    db.close();
  }
}

it('pushes pending when polylink is killed are all delivered after it starts again, in order', async () => {
  const dbPath = join(dir, 'polylink.db');
  const env = {
    POLYLINK_WEBHOOKS_TARGETS: JSON.stringify([{ id: 'crm', url: receiver.url, format: 'seed003', events: 'all', secret: 'crash-test-secret-01', timeoutMs: 1000 }]),
    POLYLINK_WEBHOOKS_INITIAL_DELAY_MS: '50',
    POLYLINK_WEBHOOKS_MAX_DELAY_MS: '200',
  };
  // The receiver refuses everything at first: the pushes wait in the outbox.
  receiver.answer = () => ({ status: 503 });
  const first = await startPolylink(build, dbPath, env);
  running.push(first);
  // Delivery runs in its own thread (src/webhooks/delivery-thread.ts), its log relayed by the main thread's.
  await first.process.waitForLog((l) => l['thread'] === 'delivery' && l['msg'] === 'delivery thread started');
  for (const id of ['1001', '1002', '1003']) {
    const c = await TcpAgentClient.connect(first.tcpPort);
    clients.push(c);
    expect(String((await c.signIn(id)).body['retCode'])).toBe('0');
    expect(String((await c.request('setagentdefinestatus', id, { targetStatus: '6' })).body['retCode'])).toBe('0');
    expect(String((await c.request('setagentdefinestatus', id, { targetStatus: '0' })).body['retCode'])).toBe('0');
  }
  // login + callStatus at sign-in, two status changes: four pushes per agent.
  await eventually(() => pendingIds(dbPath).length === 12, 10_000);
  await eventually(() => receiver.received.length > 0, 10_000);
  const before = pendingIds(dbPath);
  // /health shows the backlog the delivery worker holds on disk and how long its oldest push has waited.
  const health = async (port: number) => (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { webhooks: { backlog: number; oldestAgeSeconds: number | null; dead: number } };
  expect((await health(first.httpPort)).webhooks).toMatchObject({ backlog: 12, oldestAgeSeconds: expect.any(Number), dead: 0 });
  first.process.child.kill('SIGKILL');
  await first.process.exited;
  for (const c of clients.splice(0)) c.close();

  receiver.answer = () => ({ status: 200 });
  const okFrom = Date.now();
  const second = await startPolylink(build, dbPath, env);
  running.push(second);
  // What the receiver accepted (answered 200): everything it got after the restart.
  const delivered = (): string[] => receiver.received.filter((r) => r.at >= okFrom).map((r) => String(r.body['eventUniqueId']));
  await eventually(() => before.every((id) => delivered().includes(id)), 15_000);
  // In the order they were written, each one's first delivery after the restart.
  const order = [...new Set(delivered())].filter((id) => before.includes(id));
  expect(order).toEqual(before);
  // Every copy a receiver saw of a push (the refused tries before the kill included) carried the same id in header and body.
  for (const r of receiver.received) expect(r.headers['x-polylink-event-id']).toBe(r.body['eventUniqueId']);
  await eventually(() => pendingIds(dbPath).length === 0, 10_000);
  expect((await health(second.httpPort)).webhooks).toMatchObject({ backlog: 0, oldestAgeSeconds: null, dead: 0 });
  // A clean stop ends the delivery thread with the rest: the process exits by itself.
  second.process.child.kill('SIGTERM');
  expect((await second.process.exited).code).toBe(0);
}, 90_000);
