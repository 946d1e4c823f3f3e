/**
 * Capture f: `show` and friends while a bridged call and a parked one are up. f has no
 * events, so the replies are compared: the JSON rows' keys in FreeSWITCH's order, the
 * CSV headers, the counts, uuid_dump's header names (the full channel data, variables
 * included), and the empty JSON form `{"row_count": 0}\n`.
 */
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../src/esl/event.js';
import { EslFramer } from '../../../src/esl/framer.js';
import { ManualClock } from '../../../src/clock.js';
import { SwitchSimulator } from '../../../src/simulator/index.js';
import { readCapture } from '../../helpers/esl-captures.js';
import { EslTestClient } from '../../helpers/esl-test-client.js';
import { captureBox, sipp } from '../../helpers/replay.js';

function captureReplies(): string[] {
  return new EslFramer()
    .pushAll(readCapture('f_show_channels_calls_json'))
    .map(decodeFrame)
    .flatMap((m) => (m.kind === 'api-response' ? [m.body] : []));
}

function rowKeys(json: string): string[][] {
  const parsed = JSON.parse(json) as { rows?: Array<Record<string, string>> };
  return (parsed.rows ?? []).map((r) => Object.keys(r));
}

describe('capture f: show channels / calls, uuid_dump, counts', () => {
  it('answers with the same shapes as FreeSWITCH', async () => {
    const clock = new ManualClock();
    const sim = new SwitchSimulator({ port: 0, clock, heartbeatMs: 0, identity: { hostname: 'vm' } });
    captureBox(sim);
    const port = await sim.start();
    try {
      // The state the capture's second connection set up: customer 8600 bridged to an agent, customer 8500 parked.
      sim.register('1007', { ip: '127.0.0.1', port: 5190, userAgent: 'sipp-agent' });
      const setup = await EslTestClient.authed(port);
      const a = sim.placeCall({ from: 'cust5170', to: '8600', callerName: 'Customer 5170', sip: sipp(5170) });
      sim.addSipPhone({ ip: '127.0.0.1', port: 5171, behaviour: { kind: 'answer', afterMs: 100 }, contactUser: 'agent' });
      const B = '803d83c1-ec26-4935-bb8d-f46716c44985';
      await setup.command(`bgapi originate {origination_uuid=${B},origination_caller_id_number=8500,origination_caller_id_name=CTI}sofia/internal/sip:agent@127.0.0.1:5171 &park()`);
      clock.advance(100);
      expect(await setup.api(`uuid_bridge ${a.uuid} ${B}`)).toBe(`+OK ${B}\n`);
      const parked = sim.placeCall({ from: 'cust5172', to: '8500', callerName: 'Customer 5172', sip: sipp(5172) });

      const c = await EslTestClient.authed(port);
      const real = captureReplies();
      const ours = [
        await c.api('show channels as json'),
        await c.api('show calls as json'),
        await c.api('show channels'),
        await c.api('show calls'),
        await c.api('show bridged_calls as json'),
        await c.api('show detailed_calls as json'),
        await c.api('show channels count'),
        await c.api('show calls count'),
        await c.api('show channels like 8500 as json'),
        await c.api('show channels like cust517 as json'),
        await c.api(`uuid_dump ${a.uuid} json`),
        await c.api(`uuid_dump ${parked.uuid}`),
        await c.api(`uuid_getvar ${parked.uuid} cti_queue`),
        await c.api(`uuid_exists ${parked.uuid}`),
        await c.api(`uuid_buglist ${a.uuid}`),
        await c.api('sofia status'),
        await c.api('sofia status profile internal reg'),
        await c.api('hupall NORMAL_CLEARING'),
        await c.api('show channels as json'),
        await c.api('show calls as json'),
      ];
      const R = (i: number) => real[i]!;
      const O = (i: number) => ours[i]!;
      // show channels / calls / bridged_calls / detailed_calls as json: same rows, same keys in the same order.
      for (const i of [0, 1, 4, 5, 9]) {
        expect(JSON.parse(O(i)).row_count, `reply ${i}`).toBe(JSON.parse(R(i)).row_count);
        expect(rowKeys(O(i)), `reply ${i}`).toEqual(rowKeys(R(i)));
      }
      // The CSV forms: same header line, same footer.
      for (const i of [2, 3]) {
        expect(O(i).split('\n')[0]).toBe(R(i).split('\n')[0]);
        expect(O(i).endsWith(R(i).slice(R(i).lastIndexOf('\n\n')))).toBe(true);
      }
      expect(O(6)).toBe(R(6));
      expect(O(7)).toBe(R(7));
      expect(O(8)).toBe(R(8));
      // uuid_dump: the whole channel, as a CHANNEL_DATA event, same header names.
      const dumpJson = JSON.parse(O(10)) as Record<string, unknown>;
      expect(Object.keys(dumpJson).sort()).toEqual(Object.keys(JSON.parse(R(10)) as object).sort());
      const names = (plain: string) => plain.split('\n').filter((l) => l.includes(': ')).map((l) => l.slice(0, l.indexOf(': '))).sort();
      expect(names(O(11))).toEqual(names(R(11)));
      expect(O(12)).toBe(R(12));
      expect(O(13)).toBe('true');
      expect(O(14)).toBe(R(14));
      expect(O(16).split('\n').slice(0, 5)).toEqual(R(16).split('\n').slice(0, 5).map((l) => l.replace('1-25162@127.0.0.1', O(16).split('\n')[3]!.split('\t')[1]!)));
      expect(O(17)).toBe(R(17));
      // Nothing up: the empty form, with FreeSWITCH's space and newline.
      expect(O(18)).toBe('{"row_count": 0}\n');
      expect(O(19)).toBe(R(19));
      c.close();
      setup.close();
    } finally {
      await sim.stop();
    }
  });
});
