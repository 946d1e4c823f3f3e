/**
 * intercept [-bleg] <uuid>: the running leg takes the named channel over, as
 * switch_ivr_intercept_session (src/switch_ivr_bridge.c) does for mod_dptools'
 * intercept_function. With -bleg the named channel's partner is taken instead
 * (switch_ivr_find_bridged_uuid: its originate_signal_bond or signal_bond). Then:
 *
 * - intercept_unbridged_only / intercept_unanswered_only refuse a bridged / answered target;
 * - the interceptor is answered, and so is the target if it is an inbound leg not yet
 *   answered (switch_channel_answer does nothing to an outbound one);
 * - the target's partner, if it has one (signal_bond, or the bridge), gets
 *   park_after_bridge=true; the target is taken out of what it does and uuid_bridge
 *   joins it to the interceptor; the partner is hung up PICKED_OFF. So intercept
 *   takes the named leg itself and drops the one it was talking to or being rung for:
 *   the caller of a ringing phone keeps its call and gets the interceptor instead.
 *
 * The intercept application returns as soon as the bridge is set up, before the legs
 * change state (capture d2: its EXECUTE_COMPLETE already names the target as the
 * other leg). A target that is an outbound leg still ringing cannot be bridged: it
 * lost its originate (which reports -ERR ORIGINATOR_CANCEL), intercept's
 * switch_channel_set_state_flag(CF_TRANSFER) leaves it not ready, so
 * switch_ivr_wait_for_answer gives up at once and hangs it up DESTINATION_OUT_OF_ORDER,
 * and uuid_bridge_on_soft_execute hangs the interceptor up ORIGINATOR_CANCEL — 40 ms
 * after the intercept in capture d2.
 */
import type { Channel } from '../channels/channel.js';
import { switchTrue } from '../channels/channel-variables.js';
import { uuidBridge } from '../core/bridge.js';
import { hangupFromOneThread } from '../core/hangup.js';
import { cancelVars } from '../endpoints/sofia-outbound.js';
import { type AppRun, dropActions } from './app-runner.js';

/** How long after the intercept an unanswered outbound target is given up (capture d2: two 20 ms loops). */
export const INTERCEPT_GIVE_UP_MS = 40;

export function interceptApp(run: AppRun): void {
  const sim = run.sim;
  const ch = run.ch;
  const target = interceptTarget(run);
  const refused =
    target === undefined ||
    target === ch ||
    (switchTrue(ch.vars.get('intercept_unbridged_only')) && target.bridge !== undefined) ||
    (switchTrue(ch.vars.get('intercept_unanswered_only')) && target.answered);
  if (refused) {
    run.complete();
    return;
  }
  sim.flows.answer(ch);
  const partner = partnerOf(sim, target);
  if (!target.answered && target.direction === 'inbound') sim.flows.answer(target);
  if (partner !== undefined && partner !== ch) partner.vars.set('park_after_bridge', 'true');
  if (switchTrue(ch.vars.get('intercept_pre_bond'))) ch.vars.set('signal_bond', target.uuid);
  uuidBridge(sim, ch, target, () => {
    // The application returns here: the interceptor is on its way to CS_HIBERNATE.
    dropActions(ch);
    ch.requestState('CS_HIBERNATE');
    run.complete();
  });
  if (!target.answered && target.direction === 'outbound' && !target.isDown) {
    // The interceptor's thread hangs up the target, then itself, and tears itself down first.
    const giveUp = () =>
      hangupFromOneThread(
        sim,
        [
          { ch: target, cause: 'DESTINATION_OUT_OF_ORDER', options: target.tech === 'sofia' ? { lateVars: cancelVars(target) } : {} },
          { ch, cause: 'ORIGINATOR_CANCEL' },
        ],
        [ch, target],
      );
    target.timers.push(sim.core.after(INTERCEPT_GIVE_UP_MS, giveUp));
  }
  if (partner !== undefined && partner !== ch && !partner.isDown) sim.flows.hangup(partner, 'PICKED_OFF');
}

function interceptTarget(run: AppRun): Channel | undefined {
  const [first = '', second] = run.data.trim().split(/\s+/);
  const core = run.sim.core;
  const live = (uuid: string | undefined) => {
    const ch = uuid === undefined ? undefined : core.findChannel(uuid);
    return ch === undefined || ch.isDown ? undefined : ch;
  };
  if (first.toLowerCase() !== '-bleg') return live(first);
  const named = live(second);
  return named === undefined ? undefined : partnerOf(run.sim, named);
}

/** switch_channel_get_partner_uuid: signal_bond, else originate_signal_bond; the simulator's bridge says the same. */
function partnerOf(sim: AppRun['sim'], ch: Channel): Channel | undefined {
  const uuid = ch.vars.get('signal_bond') ?? ch.vars.get('originate_signal_bond') ?? ch.bridge?.partner.uuid;
  const partner = uuid === undefined ? undefined : sim.core.findChannel(uuid);
  return partner === undefined || partner.isDown ? undefined : partner;
}
