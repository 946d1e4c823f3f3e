/**
 * The link to a switch node went down (its ESL connection was lost). The calls on that
 * node go on in FreeSWITCH, but polylink can neither see nor steer them until the link is
 * back (or gives them up after calls.nodeLostSeconds). Every agent taking part in such a
 * call hears it at once: SysThrowExceptionEvent (seed 002, 系统异常事件), so that its bar
 * can say why hold, transfer or hangup do nothing for now.
 */
import { Outcome } from '../outcomes.js';
import type { CoreEffect } from '../effects.js';
import type { CallDesk } from './call-desk.js';

export function switchLinkLost(desk: CallDesk, node: string, now: number): CoreEffect[] {
  const told = new Set<string>();
  for (const call of desk.registry.all()) {
    const live = call.liveLegs();
    if (!live.some((l) => l.node === node)) continue;
    for (const agentId of [call.agentId, ...live.map((l) => l.agentId)]) {
      if (agentId !== undefined) told.add(agentId);
    }
  }
  return [...told].map((agentId) =>
    desk.send(agentId, 'SysThrowExceptionEvent', now, {
      reason: `Lost the link to switch node ${node}: your call cannot be controlled until it is back`,
      retCode: Outcome.CALL_MODULE_FAILED,
    }),
  );
}
