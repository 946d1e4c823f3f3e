/**
 * How seed 001's channel fields name a leg. polylink reports the leg as it dialled it
 * (FreeSWITCH dial strings: `user/<exten>` for a registered phone, mod_dptools' user
 * endpoint; `sofia/gateway/<gateway>/<number>` for an outside number, mod_sofia), and a
 * customer who called in as `inbound/<caller>`: the switch's own channel name is not part
 * of what polylink keeps of a leg.
 */
import type { LegFacts } from '../../core/records/push-facts.js';

export function dialString(leg: LegFacts): string {
  if (leg.gateway !== null) return `sofia/gateway/${leg.gateway}/${leg.number}`;
  return `user/${leg.number}`;
}

export function channelName(leg: LegFacts | null): string {
  if (leg === null) return '';
  // The customer of an inbound call was not dialled by polylink: it called in.
  if (leg.purpose === 'customer' && leg.gateway === null) return `inbound/${leg.number}`;
  return dialString(leg);
}
