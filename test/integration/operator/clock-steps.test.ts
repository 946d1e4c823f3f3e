// The wall clock stepped an hour forward and an hour back under a running polylink (a
// child process whose Date is stepped by a preloaded module, test/helpers/wall-clock-step.mjs,
// as an NTP step moves it; its monotonic clock and timers do not move), with an agent on a
// call and then in wrap-up: durations, the order of times, the wrap-up and the statistics
// keep working; seed 001's date-based key follows the wall clock's date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webKeyFor } from '../../../src/api/web-key.js';
import { createDayClock } from '../../../src/time-format.js';
import { eventually } from '../../helpers/eventually.js';
import { rowsOf } from '../../helpers/organisation-switch.js';
import { ROOT } from '../../helpers/polylink-process.js';
import { processKit } from '../../helpers/process-kit.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const HOUR = 3_600_000;
const WEB_KEY = 'clock-step-web-key';
const tempDir = tempDirs('polylink-clock-steps-');
const kit = processKit();

describe('the wall clock stepped an hour forward and back while polylink runs', () => {
  it('keeps durations, the order of times, the wrap-up and the statistics right, says so, and checks the web key on the wall clock’s date', async () => {
    const dir = tempDir();
    const file = join(dir, 'polylink.db');
    const stepFile = join(dir, 'wall-clock-offset');
    const server = await kit.start(file, {
      NODE_OPTIONS: `--import ${join(ROOT, 'test', 'helpers', 'wall-clock-step.mjs')}`,
      WALL_CLOCK_STEP_FILE: stepFile,
      POLYLINK_API_WEB_KEY: WEB_KEY,
    });
    const step = async (offsetMs: number): Promise<void> => {
      writeFileSync(stepFile, String(offsetMs));
      server.process.child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 100));
    };
    const health = async (): Promise<{ clockOffsetMs: number }> => (await (await fetch(`http://127.0.0.1:${server.httpPort}/health`)).json()) as { clockOffsetMs: number };
    const rows = (sql: string): Record<string, unknown>[] => rowsOf(file, sql);

    const a = await kit.bar(server.tcpPort, '1001');
    const began = Date.now();
    await a.request('callout', '1001', { calledID: '13900139001' });
    await a.event('BridgeEvent');
    await step(HOUR);
    await new Promise((r) => setTimeout(r, 500));
    await step(-HOUR);
    await new Promise((r) => setTimeout(r, 500));
    expect(String((await a.request('hangup', '1001')).body['retCode'])).toBe('0');
    await a.event('HangupEvent');
    const callMs = Date.now() - began;

    // The CDR: times in order, durations those of the call (not an hour more, not negative).
    // It is written when the call's last leg has ended, which may be a switch event after the
    // agent's HangupEvent; the test reads polylink's file from outside, so it waits for it.
    await eventually(() => rows('SELECT 1 FROM cdr').length > 0);
    const [cdr] = rows('SELECT start_time, bridge_time, hangup_time, end_time, bridge_seconds, total_seconds FROM cdr');
    const t = cdr as Record<string, number>;
    expect(t['start_time']).toBeLessThanOrEqual(t['bridge_time']!);
    expect(t['bridge_time']).toBeLessThanOrEqual(t['hangup_time']!);
    expect(t['hangup_time']).toBeLessThanOrEqual(t['end_time']!);
    expect(t['total_seconds']).toBeGreaterThanOrEqual(0);
    expect(t['total_seconds']! * 1000).toBeLessThanOrEqual(callMs + 1000);
    expect(t['bridge_seconds']).toBeGreaterThanOrEqual(0);
    expect(t['bridge_seconds']!).toBeLessThanOrEqual(t['total_seconds']!);
    expect(Math.abs(t['start_time']! - began)).toBeLessThan(5000);

    // The wrap-up (15 s by default) runs its length though the clock steps back an hour in it.
    await a.waitFor((m) => m.body['eventType'] === 'AgentStatusChangeEvent' && m.body['new_status'] === '4', 0, 5000);
    const wrapUpFrom = Date.now();
    await step(-2 * HOUR);
    await a.waitFor((m) => m.body['eventType'] === 'AgentStatusChangeEvent' && m.body['old_status'] === '4', 0, 25_000);
    const wrapUpMs = Date.now() - wrapUpFrom;
    expect(wrapUpMs).toBeLessThan(16_000);

    // Today's statistics: the talk time is the call's, the wrap-up's its length.
    const [stats] = rows("SELECT talktime FROM agent_daily_stats WHERE agent_id = '1001'");
    expect(stats!['talktime'] as number).toBeGreaterThanOrEqual(0);
    expect((stats!['talktime'] as number) * 1000).toBeLessThanOrEqual(callMs + 1000);

    // Said at warn, and shown in /health: the wall clock is now two hours behind polylink's.
    await server.process.waitForLog((l) => String(l['msg']).startsWith('the wall clock stepped') && Math.abs(Number(l['clockOffsetMs']) + 2 * HOUR) < 2000, 12_000);
    expect(Math.abs((await health()).clockOffsetMs + 2 * HOUR)).toBeLessThan(2000);

    // Seed 001's key is computed by the business system from its calendar, which follows the
    // wall clock: a day ahead of polylink's time, the wall clock's date is the one accepted.
    await step(24 * HOUR);
    const days = createDayClock('Asia/Shanghai');
    const wallDay = days.dayOf(Date.now() + 24 * HOUR);
    const ask = (key: string): Promise<Response> => fetch(`http://127.0.0.1:${server.httpPort}/coocenter-api/blacklist/index`, { headers: { authorization: webKeyFor(WEB_KEY, key) } });
    expect((await ask(wallDay)).status).toBe(200);
    expect((await ask(days.dayOf(Date.now() - 24 * HOUR))).status).toBe(401);
  }, 90_000);
});
