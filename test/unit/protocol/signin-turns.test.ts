// The turns of sign-in checks: scheduling outside the core (protocol/signin-turns.ts).
import { expect, it } from 'vitest';
import { IN_FLIGHT, PER_ADDRESS_IN_FLIGHT, SigninTurns } from '../../../src/protocol/signin-turns.js';

const tick = () => new Promise((r) => setImmediate(r));

it('four checks at a time per address, the next starts when one ends; nothing is kept once all are done', async () => {
  const t = new SigninTurns(8);
  expect(PER_ADDRESS_IN_FLIGHT).toBe(4);
  const done = await Promise.all([0, 1, 2, 3].map(() => t.turn('a')));
  let fifth = false;
  const waiting = t.turn('a').then((release) => ((fifth = true), release));
  const other = await t.turn('b');
  await tick();
  expect(fifth).toBe(false);
  done[0]!();
  // Releasing twice does not let a sixth in.
  done[0]!();
  (await waiting)();
  expect(fifth).toBe(true);
  for (const release of done.slice(1)) release();
  other();
  expect(t.size).toBe(0);
});

it('in all no more checks than libuv has pool threads, the others served in the order they came', async () => {
  expect(IN_FLIGHT).toBe(Number(process.env['UV_THREADPOOL_SIZE']) || 4);
  const t = new SigninTurns(2);
  const first = await Promise.all([t.turn('a'), t.turn('b')]);
  const order: string[] = [];
  const later = ['c', 'd', 'e'].map((address) => t.turn(address).then((release) => (order.push(address), release)));
  await tick();
  expect(order).toEqual([]);
  expect(t.queued).toBe(3);
  first[0]!();
  first[0]!();
  await tick();
  expect(order).toEqual(['c']);
  first[1]!();
  for (const p of later) (await p)();
  expect(order).toEqual(['c', 'd', 'e']);
  expect(t.queued).toBe(0);
  expect(t.size).toBe(0);
});
