// Issue 15, Faults 5, through the whole server: polylink in this process (the delivery on
// its main loop, localDelivery) and its simulator on one ManualClock, the webhook settings
// at their defaults, a real receiver down while an agent signs in and makes a call. Ten
// minutes pass on the clock, not in real time; then the receiver listens again.
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/config/config-schema.js';
import { startCallFixture, type DrivenCallFixture } from '../../helpers/call-fixture.js';
import { eventually } from '../../helpers/eventually.js';
import { WebhookReceiver } from '../../helpers/webhook-receiver.js';

let f: DrivenCallFixture | undefined;
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await f?.close();
  await receiver?.close();
  f = undefined;
  receiver = undefined;
});

it('a receiver down for 10 minutes: its pushes wait, then arrive in the order they were written; none is dead', async () => {
  receiver = await WebhookReceiver.start();
  const r = receiver;
  await r.down();
  const fixture = (f = await startCallFixture({
    sharedClock: true,
    config: { webhooks: { targets: [{ id: 'crm', url: r.url, format: 'seed003', events: 'all', secret: 'receiver-outage-secret', timeoutMs: 2000 }] } },
  }));
  const webhooks = () => fixture.s.server.outbound!.health().webhooks;
  const pending = (): string[] => (fixture.s.server.db.prepare(`SELECT event_id AS eventId FROM outbox WHERE state = 'pending' ORDER BY id`).all() as { eventId: string }[]).map((p) => p.eventId);
  // Moves the clock one due timer at a time; a POST under way (to the closed port) is answered before the next move.
  const moveUntil = async (until: number, done: () => boolean): Promise<void> => {
    for (;;) {
      await eventually(() => webhooks().inFlight === 0);
      if (done()) return;
      const next = fixture.clock.nextDue;
      if (next === undefined || next > until) break;
      await fixture.tick(next - fixture.clock.now());
    }
    await fixture.tick(until - fixture.clock.now());
  };

  const a = await fixture.agent('1001');
  const at = a.received.length;
  await a.request('callout', '1001', { calledID: '13900139000' });
  await a.event('BridgeEvent', at);
  await a.request('hangup', '1001');
  await fixture.until(() => fixture.cdrs().length === 1);
  const written = pending();
  // login, callStatus, dialoutRing, link, dialoutHangup, cdr …: all waiting.
  expect(written.length).toBeGreaterThanOrEqual(6);

  const downFrom = fixture.clock.now();
  await moveUntil(downFrom + 10 * 60_000, () => false);
  // Ten minutes of clock time later: still all waiting (with those of the wrap-up's end after them), none dead.
  const waiting = pending();
  expect(waiting.slice(0, written.length)).toEqual(written);
  expect(webhooks().dead).toBe(0);
  expect(webhooks().oldestAgeSeconds).toBeGreaterThanOrEqual(600);
  // The oldest was tried all along (the waits on the clock moved), fewer times than maxAttempts; the others waited behind it untried.
  const tries = (fixture.s.server.db.prepare(`SELECT attempts FROM outbox ORDER BY id`).all() as { attempts: number }[]).map((t) => t.attempts);
  expect(tries[0]).toBeGreaterThan(10);
  expect(tries[0]).toBeLessThan(DEFAULT_CONFIG.webhooks.maxAttempts);
  expect(tries.slice(1).every((n) => n === 0)).toBe(true);

  await r.up();
  const upAt = fixture.clock.now();
  await moveUntil(upAt + 2 * 60_000, () => webhooks().backlog === 0);
  const backAfterMs = fixture.clock.now() - upAt;
  // Each arrived once (the receiver answered 200 at once), in the order written.
  expect(r.received.map((x) => String(x.body['eventUniqueId']))).toEqual(waiting);
  expect(webhooks()).toMatchObject({ backlog: 0, dead: 0 });
  expect(backAfterMs).toBeLessThanOrEqual(DEFAULT_CONFIG.webhooks.maxDelayMs);
  console.log(`Faults 5 (whole server): ${waiting.length} pushes waited 10 minutes of clock time, the oldest tried ${tries[0]} times; delivered in order ${backAfterMs} ms of clock time after the receiver was back`);
}, 120_000);
