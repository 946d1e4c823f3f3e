/**
 * Seed 001's extension lists: every extension with its registration (extension-status)
 * and with its state code (extension-hints-status). The extensions of a tenant are its
 * agents' default extensions, the extensions its agents are signed in on, and the phones
 * registered on the switch that are no other tenant's. Registrations are those polylink
 * tracks (src/switch/freeswitch/registration-tracker.ts); states come from the calls the
 * core follows and the agents' statuses, live.
 */
import { AgentStatus } from '../core/agent-status.js';
import type { Engine } from '../engine/engine.js';
import { success, successSchema, type Endpoint, type RegisteredPhone } from './coocenter-endpoint.js';
import { tenantOf } from './tenant-of.js';

/** The seed's extension state codes (Asterisk's extension states). */
export const HintStatus = { IDLE: 0, IN_USE: 1, BUSY: 2, UNAVAILABLE: 4, RINGING: 8, ON_HOLD: 16 } as const;

const HINT_TEXT: Readonly<Record<number, string>> = { 0: 'Idle', 1: 'InUse', 2: 'Busy', 4: 'Unavailable', 8: 'Ringing', 16: 'OnHold' };

export const EXTENSION_ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'GET',
    path: 'extensions/extension-status',
    summary: 'Every extension with its registration',
    fields: { accountId: 'optional' },
    answer: successSchema({
      data: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            Exten: { type: 'string' },
            Type: { type: 'string' },
            IPAddr: { type: 'string', description: 'the address of its registered contact, or -none-' },
            Status: { type: 'string', description: 'OK when registered, UNKNOWN when not' },
          },
        },
      },
    }),
    handle({ engine, fields, registrations }) {
      const accountId = tenantOf(engine.services.org, fields);
      const registered = registrations();
      const data = extensionsOf(engine, accountId, registered).map((exten) => {
        const phone = registered.find((r) => r.user === exten);
        // FreeSWITCH does not time a phone's answers to its OPTIONS pings (sofia_reg.c
        // sofia_reg_fire_custom_sip_user_state_event carries Ping-Status and the SIP status,
        // no round trip), so there is no "(45 ms)" to add to OK.
        return { Exten: exten, Type: 'SIP', IPAddr: phone === undefined ? '-none-' : hostOf(phone.contact), Status: phone === undefined ? 'UNKNOWN' : 'OK' };
      });
      return success('Peer status list will follow', { data });
    },
  },
  {
    method: 'GET',
    path: 'extensions/extension-hints-status',
    summary: "Every extension's state: 0 idle, 1 in a call, 2 busy, 4 offline, 8 ringing, 16 on hold",
    fields: { accountId: 'optional' },
    answer: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          agentName: { type: 'string', description: 'the name of the agent on it (or whose extension it is), else the extension' },
          extension: { type: 'string' },
          extenType: { type: 'string' },
          status: { type: 'string', enum: Object.keys(HINT_TEXT) },
          statustext: { type: 'string' },
        },
      },
    },
    handle({ engine, fields, registrations }) {
      const accountId = tenantOf(engine.services.org, fields);
      const registered = new Set(registrations().map((r) => r.user));
      // The seed answers this one with the bare list.
      return extensionsOf(engine, accountId, registrations()).map((exten) => {
        const status = hintOf(engine, accountId, exten, registered.has(exten));
        return { agentName: agentNameOf(engine, accountId, exten) ?? exten, extension: exten, extenType: 'SIP', status: String(status), statustext: HINT_TEXT[status]! };
      });
    },
  },
];

/** The tenant's extensions, in number order. */
function extensionsOf(engine: Engine, accountId: string, registered: readonly RegisteredPhone[]): string[] {
  const mine = new Set<string>();
  const others = new Set<string>();
  for (const a of engine.services.org.allAgents()) if (a.defaultExten !== null) (a.accountId === accountId ? mine : others).add(a.defaultExten);
  for (const s of engine.agents.allSessions()) {
    if (s.bindExten && s.exten !== null && !s.extenIsOutbound) (s.profile.accountId === accountId ? mine : others).add(s.exten);
  }
  for (const r of registered) if (!others.has(r.user)) mine.add(r.user);
  return [...mine].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** The agent of the tenant signed in on the extension. */
function agentOn(engine: Engine, accountId: string, exten: string): string | undefined {
  const signedIn = engine.agents.agentOfExten(exten);
  if (signedIn !== undefined && engine.agents.session(signedIn)?.profile.accountId === accountId) return signedIn;
  return undefined;
}

function agentNameOf(engine: Engine, accountId: string, exten: string): string | undefined {
  const org = engine.services.org;
  const agentId = agentOn(engine, accountId, exten);
  if (agentId !== undefined) return org.agent(agentId)?.name;
  for (const a of org.allAgents()) if (a.accountId === accountId && a.defaultExten === exten) return a.name;
  return undefined;
}

function hintOf(engine: Engine, accountId: string, exten: string, registered: boolean): number {
  const legs = engine.calls.legsOnExtension(accountId, exten).map((x) => x.leg);
  if (legs.some((l) => l.answered && l.held)) return HintStatus.ON_HOLD;
  if (legs.some((l) => l.answered)) return HintStatus.IN_USE;
  if (legs.length > 0) return HintStatus.RINGING;
  if (!registered) return HintStatus.UNAVAILABLE;
  const agentId = agentOn(engine, accountId, exten);
  const status = agentId === undefined ? undefined : engine.agents.statusOf(agentId);
  // Signed in but taking no calls (after-call work, busy, leave, a custom not-ready status).
  if (status !== undefined && status !== AgentStatus.IDLE && status !== AgentStatus.CALL_OUT) return HintStatus.BUSY;
  return HintStatus.IDLE;
}

/** The host of a SIP contact URI (sip:1007@10.0.0.5:5060;transport=UDP → 10.0.0.5). */
export function hostOf(contact: string): string {
  const m = /@(\[[^\]]+\]|[^:;>\s]+)/.exec(contact) ?? /^sips?:(\[[^\]]+\]|[^:;>@\s]+)/.exec(contact);
  return m === null ? '-none-' : m[1]!.replace(/^\[|\]$/g, '');
}
