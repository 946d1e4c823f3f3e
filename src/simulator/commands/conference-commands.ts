/** `conference <name> list|json_list|kick <id>|hup <id>|hup all` (capture e; mod_conference's texts). */
import type { ApiCommands } from './api-command.js';
import { words } from './api-command.js';

export function addConferenceCommands(table: ApiCommands): void {
  table.add('conference', (args, s, reply) => {
    const [name, sub, arg] = words(args);
    if (name === undefined || sub === undefined) {
      reply('-ERR Usage: conference <name> list|json_list|kick <id>|hup <id>|all\n');
      return;
    }
    if (name === 'list' && sub === undefined) return reply(s.conferences.list().map((c) => c.list()).join(''));
    const room = s.conferences.get(name);
    if (room === undefined) return reply(`-ERR Conference ${name} not found\n`);
    switch (sub) {
      case 'list':
        return reply(room.list());
      case 'json_list':
        return reply(room.jsonList());
      case 'kick': {
        const r = arg !== undefined ? room.kick(Number(arg)) : undefined;
        return reply(r ?? `-ERR Member: ${arg ?? ''} not found.\n`);
      }
      case 'hup': {
        if (arg === 'all') return reply(room.hupAll());
        const member = room.members.find((m) => m.id === Number(arg));
        if (member === undefined) return reply(`-ERR Member: ${arg ?? ''} not found.\n`);
        member.leaving = 'hup';
        member.leave();
        return reply(`+OK hup ${member.id}\n`);
      }
      default:
        return reply(`-ERR Unsupported command ${sub}\n`);
    }
  });
}
