/** The HEARTBEAT event the core fires every 20 s (switch_core.c send_heartbeat; capture b). */
import type { SwitchCore } from '../core/switch-core.js';
import { ORIGIN } from './event-origins.js';
import { HeaderBlock } from './switch-event.js';

export function fireHeartbeat(core: SwitchCore, upTime: string): void {
  const uptimeMs = Math.floor(core.clock.now() - core.startedAtMs);
  core.bus.fire({
    name: 'HEARTBEAT',
    origin: ORIGIN.heartbeat,
    blocks: [
      HeaderBlock.of([
        ['Event-Info', 'System Ready'],
        ['Up-Time', upTime],
        ['FreeSWITCH-Version', core.config.version.full.split(' ')[0] ?? ''],
        ['Uptime-msec', String(uptimeMs)],
        ['Session-Count', String(core.channels.size)],
        ['Max-Sessions', String(core.config.maxSessions)],
        ['Session-Per-Sec', '30'],
        ['Session-Per-Sec-Last', '0'],
        ['Session-Per-Sec-Max', '0'],
        ['Session-Per-Sec-FiveMin', '0'],
        ['Session-Since-Startup', String(core.sessionsSinceStartup)],
        ['Session-Peak-Max', String(core.peakSessions)],
        ['Session-Peak-FiveMin', String(core.peakSessions)],
        ['Idle-CPU', '99.000000'],
      ]),
    ],
  });
}
