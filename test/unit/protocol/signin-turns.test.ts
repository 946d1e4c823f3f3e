// The per-address turns of sign-in checks: scheduling outside the core (protocol/signin-turns.ts).
import { expect, it } from 'vitest';
import { PER_ADDRESS_IN_FLIGHT, SigninTurns } from '../../../src/protocol/signin-turns.js';

it('four checks at a time per address, the next starts when one ends; nothing is kept once all are done', async () => {
  const t = new SigninTurns();
  expect(PER_ADDRESS_IN_FLIGHT).toBe(4);
  const done = await Promise.all([0, 1, 2, 3].map(() => t.turn('a')));
  let fifth = false;
  const waiting = t.turn('a').then((release) => ((fifth = true), release));
  const other = await t.turn('b');
  await new Promise((r) => setImmediate(r));
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
