// The webhooks' admin API (plugin webhooksAdmin) through fastify's inject on a bare
// instance, over a running server's webhooks: targets listed, added, changed, removed
// (and kept across a restart), each target's backlog and dead pushes, sending them again.
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { ADMIN_KEY, outboundApp } from '../../helpers/outbound-http.js';
import { eventually } from '../../helpers/eventually.js';
import { WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { TcpAgentClient } from '../../helpers/agent-client.js';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';

const auth = { authorization: `Bearer ${ADMIN_KEY}` };
let s: TestServer | undefined;
let app: FastifyInstance | undefined;
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await app?.close();
  await s?.close();
  for (const r of receivers.splice(0)) await r.close();
  app = undefined;
  s = undefined;
});

async function setUp(targets: unknown[] = []): Promise<FastifyInstance> {
  s = await startTestServer({ config: { webhooks: { targets, initialDelayMs: 20, maxDelayMs: 50, maxAttempts: 2 } as never } });
  app = await outboundApp(s.server, s.config);
  return app;
}

const target = (url: string, over: Record<string, unknown> = {}) => ({ id: 'crm', url, format: 'seed003', events: ['login', 'callStatus'], secret: 'admin-api-secret-01', timeoutMs: 1000, ...over });

describe('webhooks admin API', () => {
  it('is served on the HTTP port with api.adminKey, and off (404) without one', async () => {
    s = await startTestServer({ config: { api: { webKey: null, adminKey: ADMIN_KEY } } });
    const url = `http://127.0.0.1:${s.server.httpPort}/admin/webhooks/targets`;
    expect((await fetch(url)).status).toBe(401);
    const listed = await fetch(url, { headers: auth });
    expect([listed.status, await listed.json()]).toEqual([200, { targets: [] }]);
    await s.close();
    s = await startTestServer({});
    expect((await fetch(`http://127.0.0.1:${s.server.httpPort}/admin/webhooks/targets`, { headers: auth })).status).toBe(404);
  });

  it('refuses a caller without the admin key (401) and answers errors as { error, message }', async () => {
    const a = await setUp();
    const refused = await a.inject({ method: 'GET', url: '/admin/webhooks/targets' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: 'unauthorized' });
    const missing = await a.inject({ method: 'GET', url: '/admin/webhooks/targets/nope', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'not-found', message: 'no push target "nope"' });
  });

  it('adds, lists, changes and removes targets; a bad target is refused with the field it is about', async () => {
    const a = await setUp();
    const r = await WebhookReceiver.start();
    receivers.push(r);
    const added = await a.inject({ method: 'POST', url: '/admin/webhooks/targets', headers: auth, payload: target(r.url) });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ id: 'crm', format: 'seed003', events: ['login', 'callStatus'], backlog: { pending: 0, dead: 0, oldestAgeSeconds: null } });
    expect(added.json()).not.toHaveProperty('secret');
    expect((await a.inject({ method: 'POST', url: '/admin/webhooks/targets', headers: auth, payload: target(r.url) })).statusCode).toBe(409);
    for (const [bad, field] of [
      [{ url: 'ftp://x' }, 'url'],
      [{ format: 'seed002' }, 'format'],
      [{ events: ['dialbegein'] }, 'events'],
      [{ secret: 'short' }, 'secret'],
      [{ timeoutMs: 5 }, 'timeoutMs'],
      [{ id: 'bad id' }, 'id'],
    ] as const) {
      const res = await a.inject({ method: 'POST', url: '/admin/webhooks/targets', headers: auth, payload: target(r.url, { id: 'other', ...bad }) });
      expect(res.statusCode, field).toBe(400);
      expect(res.json().message, field).toMatch(new RegExp(`^${field}: `));
    }
    const changed = await a.inject({ method: 'PATCH', url: '/admin/webhooks/targets/crm', headers: auth, payload: { events: 'all', timeoutMs: 2000 } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ id: 'crm', url: r.url, events: 'all', timeoutMs: 2000 });
    expect((await a.inject({ method: 'PATCH', url: '/admin/webhooks/targets/crm', headers: auth, payload: { format: 'seed001', events: ['login'] } })).statusCode).toBe(400);
    expect((await a.inject({ method: 'GET', url: '/admin/webhooks/targets', headers: auth })).json().targets.map((t: { id: string }) => t.id)).toEqual(['crm']);
    expect((await a.inject({ method: 'DELETE', url: '/admin/webhooks/targets/crm', headers: auth })).statusCode).toBe(204);
    expect((await a.inject({ method: 'DELETE', url: '/admin/webhooks/targets/crm', headers: auth })).statusCode).toBe(404);
    expect((await a.inject({ method: 'GET', url: '/admin/webhooks/targets', headers: auth })).json()).toEqual({ targets: [] });
  });

  it('shows a target’s backlog and dead pushes, sends them again, and run-time changes outlive a restart', async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    r.answer = () => ({ status: 500 });
    const a = await setUp([target(r.url, { id: 'from-config' })]);
    // A sign-in through the core's entry point pushes login and callStatus.
    const c = await TcpAgentClient.connect(s!.server.tcpPort);
    await c.signIn('1001');
    await eventually(() => s!.server.outbound!.health().webhooks.dead === 2, 5000);
    const view = (await a.inject({ method: 'GET', url: '/admin/webhooks/targets/from-config', headers: auth })).json();
    expect(view.backlog).toEqual({ pending: 0, dead: 2, oldestAgeSeconds: null });
    const dead = (await a.inject({ method: 'GET', url: '/admin/webhooks/targets/from-config/pushes?state=dead', headers: auth })).json();
    expect(dead.pushes.map((p: { event: string }) => p.event)).toEqual(['login', 'callStatus']);
    expect(dead.pushes[0]).toMatchObject({ state: 'dead', attempts: 2, lastError: '2 attempts, the last: HTTP 500', body: { pushType: 'login', agentNumber: '1001' } });
    r.answer = () => ({ status: 200 });
    const one = await a.inject({ method: 'POST', url: '/admin/webhooks/targets/from-config/resend', headers: auth, payload: { id: dead.pushes[0].id } });
    expect(one.json()).toEqual({ resent: 1 });
    await eventually(() => r.received.filter((x) => x.body['pushType'] === 'login').length === 3);
    expect((await a.inject({ method: 'POST', url: '/admin/webhooks/targets/from-config/resend', headers: auth })).json()).toEqual({ resent: 1 });
    await eventually(() => s!.server.outbound!.health().webhooks.dead === 0 && s!.server.outbound!.health().webhooks.backlog === 0);
    expect((await a.inject({ method: 'POST', url: '/admin/webhooks/targets/from-config/resend', headers: auth, payload: { id: 999999 } })).statusCode).toBe(404);
    // Run-time changes are stored: a new target, the config's target removed; a restart on the same database keeps them.
    await a.inject({ method: 'POST', url: '/admin/webhooks/targets', headers: auth, payload: target(r.url, { id: 'added' }) });
    await a.inject({ method: 'DELETE', url: '/admin/webhooks/targets/from-config', headers: auth });
    c.close();
    s!.server.db.pragma('wal_checkpoint(TRUNCATE)');
    const copy = join(s!.dir, 'again.db');
    copyFileSync(join(s!.dir, 'polylink.db'), copy);
    const again = await startTestServer({
      config: { webhooks: { targets: [target(r.url, { id: 'from-config' })] } as never },
      prepare: (db) => db.exec(`ATTACH '${copy}' AS old; INSERT INTO webhook_targets SELECT * FROM old.webhook_targets; DETACH old;`),
    });
    try {
      expect(again.server.outbound!.webhooks.list().map((t) => t.id)).toEqual(['added']);
    } finally {
      await again.close();
    }
  });
});
