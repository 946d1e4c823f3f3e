/** status, version, uptime, hostname, global_getvar, fsctl, hupall (mod_commands.c texts, capture a). */
import { KNOWN_CAUSES } from '../channels/hangup-causes.js';
import type { ApiCommands, SimServices } from './api-command.js';
import { words } from './api-command.js';

export function upTime(services: SimServices): string {
  const core = services.core;
  let us = Math.max(0, Math.floor((core.clock.now() - core.startedAtMs) * 1000));
  const units: Array<[string, number]> = [
    ['years', 365 * 24 * 3600e6],
    ['days', 24 * 3600e6],
    ['hours', 3600e6],
    ['minutes', 60e6],
    ['seconds', 1e6],
    ['milliseconds', 1e3],
    ['microseconds', 1],
  ];
  return units
    .map(([name, size]) => {
      const n = Math.floor(us / size);
      us -= n * size;
      return `${n} ${name}`;
    })
    .join(', ');
}

function status(services: SimServices): string {
  const core = services.core;
  const version = core.config.version;
  const count = core.channels.size;
  return (
    `UP ${upTime(services)}\n` +
    `FreeSWITCH (Version ${version.short}) is ready\n` +
    `${core.sessionsSinceStartup} session(s) since startup\n` +
    `${count} session(s) - peak ${core.peakSessions}, last 5min ${core.peakSessions} \n` +
    `0 session(s) per Sec out of max 30, peak ${core.peakSessions}, last 5min ${core.peakSessions} \n` +
    `${core.config.maxSessions} session(s) max\n` +
    'min idle cpu 0.00/99.87\n' +
    'Current Stack Size/Max 240K/8192K\n'
  );
}

export function addSystemCommands(table: ApiCommands): void {
  table
    .add('status', (_a, s, reply) => reply(status(s)))
    .add('version', (_a, s, reply) => reply(`FreeSWITCH Version ${s.core.config.version.full}\n`))
    .add('uptime', (_a, s, reply) => reply(`${Math.floor((s.core.clock.now() - s.core.startedAtMs) / 1000)}\n`))
    .add('hostname', (_a, s, reply) => reply(s.core.identity.hostname))
    .add('global_getvar', (args, s, reply) => {
      const globals: Record<string, string> = {
        domain: s.core.config.domain,
        domain_name: s.core.config.domain,
        hostname: s.core.identity.hostname,
        local_ip_v4: s.core.identity.ipv4,
        hold_music: s.holdMusic,
        switch_serial: s.core.identity.coreUuid,
        // Set at start by switch_core.c (switch_core_init): a new one after every restart.
        core_uuid: s.core.identity.coreUuid,
      };
      const name = args.trim();
      if (name === '') {
        reply(Object.entries(globals).map(([k, v]) => `${k}=${v}\n`).join(''));
        return;
      }
      reply(globals[name] ?? '');
    })
    .add('fsctl', (args, s, reply) => {
      const [cmd] = words(args);
      if (cmd === 'shutdown') {
        reply('+OK\n');
        queueMicrotask(() => s.shutdown());
        return;
      }
      reply('-ERR INVALID COMMAND\nUSAGE: fsctl [shutdown]\n');
    })
    .add('hupall', (args, s, reply) => {
      const [given] = words(args);
      const cause = given !== undefined && KNOWN_CAUSES.has(given.toUpperCase()) ? given.toUpperCase() : 'MANAGER_REQUEST';
      reply(`+OK hangup all channels with cause ${cause}\n`);
      for (const ch of [...s.core.channels.values()]) if (!ch.isDown) s.flows.hangup(ch, cause);
    });
}
