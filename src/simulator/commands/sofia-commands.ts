/**
 * sofia_contact and sofia status (capture i: the registration of 1007), and the one
 * xml_locate FreeSWITCH is asked: the sofia.conf it loaded, with the `internal` profile's
 * registration settings.
 */
import { dialString, type SipProfileSettings } from '../directory/directory.js';
import { contactHeader } from '../directory/registration-events.js';
import { localDateTime } from '../events/event-prelude.js';
import type { ApiCommands, SimServices } from './api-command.js';
import { words } from './api-command.js';

const RULE = '=================================================================================================\n';

function registrationsText(s: SimServices, user: string | undefined): string {
  const regs = s.directory.allRegistrations().filter((r) => user === undefined || r.user.id === user);
  const now = s.core.clock.now();
  let out = '\nRegistrations:\n' + RULE;
  for (const r of regs) {
    const left = Math.max(0, r.expiresAt - Math.floor(now / 1000));
    out +=
      `Call-ID:    \t${r.callId}\n` +
      `User:       \t${r.user.id}@${r.user.domain}\n` +
      `Contact:    \t${contactHeader(r)}\n` +
      `Agent:      \t${r.userAgent}\n` +
      `Status:     \tRegistered(UDP)(unknown) EXP(${localDateTime(new Date(r.expiresAt * 1000))}) EXPSECS(${left})\n` +
      'Ping-Status:\tReachable\nPing-Time:\t0.00\n' +
      `Host:       \t${s.core.identity.hostname}\n` +
      `IP:         \t${r.phone.ip}\n` +
      `Port:       \t${r.phone.port}\n` +
      'Auth-User:  \tunknown\n' +
      `Auth-Realm: \t${r.user.domain}\n` +
      `MWI-Account:\t${r.user.id}@${r.user.domain}\n\n`;
  }
  return out + `Total items returned: ${regs.length}\n` + RULE;
}

function statusText(s: SimServices): string {
  const c = s.core.config;
  const pad = (text: string, width: number) => text.padStart(width);
  const line = (name: string, type: string, data: string, state: string) =>
    `${pad(name, 25)}\t${pad(type, 7)}\t${pad(data, 42)}\t${state}\n`;
  return (
    `${pad('Name', 25)}\t${pad('Type', 7)}\t${pad('Data', 42)}\tState\n` +
    RULE +
    line(c.sipIp, 'alias', 'internal', 'ALIASED') +
    line('internal', 'profile', `sip:mod_sofia@${c.sipIp}:${c.sipPort}`, `RUNNING (${s.core.channels.size})`) +
    s.gateways
      .list()
      .map((g) => line(`internal::${g.name}`, 'gateway', `sip:${g.proxyHost}:${g.proxyPort}`, 'NOREG'))
      .join('') +
    RULE +
    '1 profile 1 alias\n'
  );
}

/** `xml_locate configuration configuration name sofia.conf`: the configuration as switch_xml_toxml prints it. */
function sofiaConf(s: SimServices): string {
  const p: SipProfileSettings = s.directory.settings;
  const params: Array<[string, string]> = [
    ['context', 'public'],
    ['sip-port', String(s.core.config.sipPort)],
    ['sip-ip', s.core.config.sipIp],
    ['auth-calls', p.authCalls === true ? 'true' : 'false'],
  ];
  if (p.multipleRegistrations !== undefined) params.push(['multiple-registrations', p.multipleRegistrations]);
  const settings = params.map(([name, value]) => `\n        <param name="${name}" value="${value}"/>`).join('');
  return (
    '<configuration name="sofia.conf" description="sofia Endpoint">\n' +
    '  <global_settings>\n    <param name="log-level" value="0"/>\n  </global_settings>\n' +
    `  <profiles>\n    <profile name="internal">\n      <settings>${settings}\n      </settings>\n    </profile>\n  </profiles>\n` +
    '</configuration>'
  );
}

export function addSofiaCommands(table: ApiCommands): void {
  table
    .add('sofia_contact', (args, s, reply) => {
      const target = words(args)[0] ?? '';
      const id = target.replace(/^\*\//, '').split('@')[0] ?? '';
      const reg = s.directory.registration(id);
      reply(reg !== undefined ? dialString(reg) : 'error/user_not_registered');
    })
    .add('xml_locate', (args, s, reply) => {
      const w = words(args);
      if (w.length !== 1 && w.length !== 4) return reply('-ERR bad args\n');
      // mod_commands.c xml_locate_function; the simulator holds no other configuration.
      if (w[0] === 'configuration' && w[1] === 'configuration' && w[2] === 'name' && w[3] === 'sofia.conf') return reply(sofiaConf(s));
      reply("can't find anything\n");
    })
    .add('sofia', (args, s, reply) => {
      const w = words(args);
      if (w[0] !== 'status') return reply('-ERR Usage: sofia status [profile internal [reg [<user>]]]\n');
      if (w[1] === 'profile' && w[3] === 'reg') return reply(registrationsText(s, w[4]));
      reply(statusText(s));
    });
}
