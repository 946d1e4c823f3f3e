// The main thread's load as the delivery thread's pace hears it: Node's event-loop
// utilisation and delay, and the pushes written per second from the outbox's running count.
import { afterEach, expect, it } from 'vitest';
import { CoreLoad } from '../../../src/webhooks/core-load.js';
import type { CoreLoadReport } from '../../../src/webhooks/pace.js';
import { eventually } from '../../helpers/eventually.js';

let load: CoreLoad | undefined;
afterEach(() => load?.stop());

it('reports the loop\'s utilisation and delay, and the pushes written per second, each interval', async () => {
  let written = 1000;
  const reports: CoreLoadReport[] = [];
  load = new CoreLoad(100, () => written, (r) => reports.push(r));
  load.start();
  // 30 pushes written in the first interval of 100 ms or more (a timer fires late, never early): up to 300 a second.
  written += 30;
  await eventually(() => reports.length >= 1, 2000);
  expect(reports[0]!.written).toBeGreaterThan(0);
  expect(reports[0]!.written).toBeLessThanOrEqual(300);
  expect(reports[0]!.utilisation).toBeGreaterThanOrEqual(0);
  expect(reports[0]!.utilisation).toBeLessThanOrEqual(1);
  expect(reports[0]!.delayMs).toBeGreaterThanOrEqual(0);
  await eventually(() => reports.length >= 2, 2000);
  expect(reports[1]!.written).toBe(0);
  load.stop();
  const after = reports.length;
  await new Promise((r) => setTimeout(r, 250));
  expect(reports.length).toBe(after);
});
