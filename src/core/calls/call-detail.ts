/**
 * GetDetailCallInfoEvent (seed 002): an agent's call as a supervisor sees it — every leg
 * (Leg_Info_Struct) and how they relate (Relation_Info_Struct). The seed names the
 * structs but not their fields; polylink's are documented in docs/protocol.md.
 */
import type { FieldRecord } from '../agent-event.js';
import type { Call, Leg } from './call-model.js';

const RELATION: Record<Leg['purpose'], string> = {
  customer: 'customer',
  dialer: 'agent',
  callee: 'internal',
  offer: 'agent',
  consult: 'consult',
  threeway: 'threeway',
  check: 'check',
  monitor: 'monitor',
};

export function legInfo(leg: Leg, formatTime: (ms: number) => string): FieldRecord {
  return {
    leg_uuid: leg.uuid,
    leg_role: RELATION[leg.purpose],
    number: leg.number,
    agent_num: leg.agentId ?? '',
    // The wire knows a bridged leg as answered (GetDetailCallInfoEvent's leg states).
    state: leg.state === 'bridged' ? 'answered' : leg.state,
    held: leg.held ? 'true' : 'false',
    muted: leg.muted ? 'true' : 'false',
    create_time: formatTime(leg.createdAt),
    answer_time: leg.answeredAt === undefined ? '' : formatTime(leg.answeredAt),
    bridged_uuid: leg.bridgedTo ?? '',
    node: leg.node ?? '',
  };
}

/** Who is connected with whom: each bridge once, and every leg of the call's conference with the customer. */
export function relationInfo(call: Call): FieldRecord[] {
  const out: FieldRecord[] = [];
  const seen = new Set<string>();
  for (const leg of call.legs.values()) {
    if (leg.ended || leg.bridgedTo === undefined) continue;
    const key = [leg.uuid, leg.bridgedTo].sort().join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    const other = call.leg(leg.bridgedTo);
    out.push({ relation_uuid: call.id, relation_type: relationType(leg, other), from_uuid: leg.uuid, to_uuid: leg.bridgedTo });
  }
  if (call.conference !== undefined) {
    for (const leg of call.legs.values()) {
      if (leg.ended || leg.uuid === call.customerUuid || leg.conferenceMember === undefined) continue;
      out.push({ relation_uuid: call.id, relation_type: leg.purpose === 'threeway' ? 'threeway' : 'conference', from_uuid: call.customerUuid ?? '', to_uuid: leg.uuid });
    }
  }
  return out;
}

function relationType(a: Leg, b: Leg | undefined): string {
  const purposes = new Set([a.purpose, b?.purpose]);
  if (purposes.has('consult')) return 'consult';
  if (purposes.has('callee')) return 'internal';
  if (purposes.has('check')) return 'check';
  return 'talk';
}
