/**
 * uuid_transfer <uuid> [-bleg|-both] <dest> [<dialplan>] [<context>]: the leg leaves
 * what it was doing and runs <dest> — a dialplan extension, or with the inline
 * dialplan an application (`conference:<name>@default inline`, how polylink makes a
 * three-way call: capture e). A bridged leg transferred alone leaves its partner to
 * its after-bridge rules; -both takes the partner along.
 */
import { dropActions } from '../apps/app-runner.js';
import type { Channel } from '../channels/channel.js';
import { routeCall } from '../endpoints/sofia-inbound.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import { newProfileForTransfer, takeOver } from './bridge.js';
import type { SimContext } from './sim-context.js';
import { randomUUID } from 'node:crypto';

export interface TransferRequest {
  readonly leg: 'self' | 'bleg' | 'both';
  readonly destination: string;
  readonly dialplan: string;
  readonly context: string;
}

export function parseTransfer(words: readonly string[]): TransferRequest | undefined {
  let leg: TransferRequest['leg'] = 'self';
  let i = 0;
  if (words[0] === '-bleg' || words[0] === '-both') {
    leg = words[0] === '-bleg' ? 'bleg' : 'both';
    i = 1;
  }
  const destination = words[i];
  if (destination === undefined) return undefined;
  return { leg, destination, dialplan: words[i + 1] ?? 'XML', context: words[i + 2] ?? 'default' };
}

function source(ch: Channel, req: TransferRequest): string {
  return `${Math.floor(ch.nowUs() / 1e6)}:${randomUUID()}:bl_xfer:${req.destination}/${req.context}/${req.dialplan}`;
}

function recordTransfer(ch: Channel, req: TransferRequest): string {
  const src = source(ch, req);
  const history = ch.vars.get('transfer_history');
  ch.vars.set('transfer_history', history === undefined ? src : [...history.split(','), src]);
  ch.vars.set('transfer_source', src);
  ch.vars.set('max_forwards', String(Number(ch.vars.get('max_forwards') ?? '70') - 1));
  ch.vars.delete('signal_bond');
  ch.vars.delete('bridge_to');
  return src;
}

/** Runs the destination on a leg that has already left what it was doing. */
function runDestination(sim: SimContext, ch: Channel, req: TransferRequest): void {
  if (req.dialplan === 'inline') {
    const actions = req.destination.split(',').map((step) => {
      const colon = step.indexOf(':');
      return colon === -1 ? { app: step } : { app: step.slice(0, colon), data: step.slice(colon + 1) };
    });
    ch.runningState = 'CS_EXECUTE';
    sim.flows.runActions(ch, actions);
    return;
  }
  ch.enterState('CS_ROUTING', 'CS_EXECUTE');
  routeCall(sim, ch, req.destination, req.context);
}

export function transfer(sim: SimContext, ch: Channel, req: TransferRequest): void {
  const partner = ch.bridge?.partner;
  if (req.leg === 'both' && partner !== undefined) {
    transferBoth(sim, ch, partner, req);
    return;
  }
  const target = req.leg === 'bleg' ? partner : ch;
  if (target === undefined) return;
  const src = recordTransfer(target, req);
  newProfileForTransfer(target, src);
  target.profile?.update({ dialplan: req.dialplan, rdnis: target.profile.fields.destinationNumber });
  target.markTime('bridged', 0);
  takeOver(sim, target);
  target.other = undefined;
  runDestination(sim, target, req);
}

/**
 * Both legs of a bridge go to the same destination. Capture e: the B side first (its
 * caller id flips back: CALL_UPDATE RECV) and joins; then the A side reports the
 * unbridge, rings and answers again in the new dialplan (CALLSTATE ACTIVE→RINGING→
 * ACTIVE) and joins.
 */
function transferBoth(sim: SimContext, ch: Channel, partner: Channel, req: TransferRequest): void {
  const a = ch.bridge?.side === 'a' ? ch : partner;
  const b = a === ch ? partner : ch;
  a.bridge = undefined;
  b.bridge = undefined;
  dropActions(a);
  dropActions(b);

  const bSource = recordTransfer(b, req);
  newProfileForTransfer(b, bSource);
  // The new profile starts unbridged (capture e: no bridge_stamp at hangup).
  b.markTime('bridged', 0);
  const bp = b.profile?.fields;
  if (bp !== undefined) {
    b.profile!.update({
      dialplan: req.dialplan,
      logicalDirection: b.direction,
      callerIdName: bp.calleeIdName,
      callerIdNumber: bp.calleeIdNumber,
      calleeIdName: bp.callerIdName,
      calleeIdNumber: bp.callerIdNumber,
    });
  }
  b.other = undefined;
  b.runningState = 'CS_ROUTING';
  b.targetState = 'CS_ROUTING';
  b.fire('CALL_UPDATE', ORIGIN.callUpdateFlipCid, { before: [HeaderBlock.of([['Direction', 'RECV']])] });
  runDestination(sim, b, req);

  const aSource = recordTransfer(a, req);
  newProfileForTransfer(a, aSource);
  a.markTime('bridged', 0);
  a.profile?.update({ dialplan: req.dialplan, rdnis: a.profile.fields.destinationNumber });
  a.other = undefined;
  a.fire('CHANNEL_UNBRIDGE', ORIGIN.unbridge, {
    before: [HeaderBlock.of([['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid]])],
  });
  a.runningState = 'CS_ROUTING';
  a.setCallState('RINGING');
  a.profile?.update({ rdnis: '' });
  a.runningState = 'CS_EXECUTE';
  a.setCallState('ACTIVE');
  runDestination(sim, a, req);
}
