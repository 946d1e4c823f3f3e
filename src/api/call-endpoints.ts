/**
 * Seed 001's switchboard endpoints: the calls up now (current-calls), click-number (ring
 * src, then call dst and bridge them), hangup of an extension's call, the blind transfer
 * of an extension's call, and extenSpy (src listens to dst's call). The changes are inputs of the core
 * (core/calls/switchboard.ts): the agent on an extension is moved, counted and recorded
 * as for its own commands, and every value that reaches FreeSWITCH passed the route's
 * schema first (digits, an optional leading +: src/numbers/phone-number.ts) and the switch
 * port's own checks (src/esl/validate.ts).
 */
import type { Call, Leg } from '../core/calls/call-model.js';
import { Outcome } from '../core/outcomes.js';
import type { Engine } from '../engine/engine.js';
import { reasonOf } from '../protocol/error-codes.js';
import { success, successSchema, type Endpoint } from './coocenter-endpoint.js';
import { HttpError } from './http-error.js';
import { tenantOf } from './tenant-of.js';

/** What a seed 001 answer tells of a call: the party that called, the party it is connected to. */
const CALL_SCHEMA = {
  type: 'object',
  properties: {
    calleridname: { type: 'string' },
    calleridnum: { type: 'string' },
    channel: { type: 'string', description: 'the calling leg: its FreeSWITCH channel uuid' },
    channelstate: { type: 'string', description: '4 Ring, 5 Ringing, 6 Up (as Asterisk numbers them)' },
    channelstatedesc: { type: 'string' },
    connectedlinename: { type: 'string' },
    connectedlinenum: { type: 'string' },
    duration: { type: 'string', description: 'HH:MM:SS since the call began' },
    uuid: { type: 'string', description: "polylink's call id (relation_uuid)" },
    kind: { type: 'string', enum: ['inbound', 'outbound', 'internal'] },
    agent: { type: 'string', description: 'the agent serving the call, or ""' },
    queue: { type: 'string', description: 'the queue the call came through, or ""' },
  },
} as const;

export const CALL_ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'POST',
    path: 'extensions/current-calls',
    summary: 'The calls up now',
    fields: { accountId: 'optional' },
    answer: successSchema({ data: { type: 'array', items: CALL_SCHEMA } }),
    handle({ engine, fields, now }) {
      const accountId = tenantOf(engine.services.org, fields);
      const data = [...engine.calls.desk.registry.all()]
        .filter((c) => c.accountId === accountId && !c.ended && c.kind !== 'check' && c.liveLegs().length > 0)
        .sort((a, b) => a.timeline.start - b.timeline.start)
        .map((c) => callInfo(engine, c, now));
      return success('Channels will follow', { data });
    },
  },
  {
    method: 'POST',
    path: 'extensions/click-number',
    summary: 'Ring src; when it answers, call dst and bridge them',
    fields: { accountId: 'optional', src: 'required', dst: 'required' },
    answer: successSchema({ src: { type: 'string' }, dst: { type: 'string' }, callId: { type: 'string' } }),
    handle({ engine, fields }) {
      const accountId = tenantOf(engine.services.org, fields);
      const src = fields.required('src');
      const dst = fields.required('dst');
      const step = engine.handle({ type: 'click-to-dial', accountId, src, dst });
      refuseUnless(step?.code, { src, dst, what: 'click-number' });
      return success('click number success', { src, dst, ...(step?.callId !== undefined ? { callId: step.callId } : {}) });
    },
  },
  {
    method: 'POST',
    path: 'extensions/hangup',
    summary: "Hang up an extension's call",
    fields: { accountId: 'optional', extension: 'required' },
    answer: successSchema({ extension: { type: 'string' } }),
    handle({ engine, fields }) {
      const accountId = tenantOf(engine.services.org, fields);
      const extension = fields.required('extension');
      const step = engine.handle({ type: 'extension-hangup', accountId, extension });
      refuseUnless(step?.code, { src: extension, dst: '', what: 'hangup' });
      return success('hangup extension success', { extension });
    },
  },
  {
    method: 'POST',
    path: 'extensions/transfer',
    summary: "Transfer the customer of src's call to dst (blind)",
    fields: { accountId: 'optional', src: 'required', dst: 'required' },
    answer: successSchema({ src: { type: 'string' }, dst: { type: 'string' } }),
    handle({ engine, fields }) {
      const accountId = tenantOf(engine.services.org, fields);
      const src = fields.required('src');
      const dst = fields.required('dst');
      const step = engine.handle({ type: 'extension-transfer', accountId, src, dst });
      refuseUnless(step?.code, { src, dst, what: 'transfer' });
      // The seed's own text, spelling included.
      return success('tansfer extension success', { src, dst });
    },
  },
  {
    method: 'POST',
    path: 'extensions/extenSpy',
    summary: "Extension src listens to the call of the agent on extension dst (the supervisor's listen)",
    fields: { accountId: 'optional', src: 'required', dst: 'required' },
    answer: successSchema({ src: { type: 'string' }, dst: { type: 'string' } }),
    handle({ engine, fields }) {
      const accountId = tenantOf(engine.services.org, fields);
      const src = fields.required('src');
      const dst = fields.required('dst');
      // The core's exten-spy input: src rings, and once answered hears both sides unheard
      // (core/calls/supervision.ts); a signed-in agent on src hears the listen events too.
      const step = engine.handle({ type: 'exten-spy', accountId, src, dst });
      refuseSpyUnless(step?.code, src, dst);
      return success('spy extension success', { src, dst });
    },
  },
];

/** extenSpy's refusals in HTTP terms. */
function refuseSpyUnless(code: number | undefined, src: string, dst: string): void {
  switch (code) {
    case Outcome.OK:
      return;
    case undefined:
      throw new HttpError(503, 'polylink is shutting down');
    case Outcome.CALLER_IS_CALLEE:
      throw new HttpError(400, 'src and dst are the same number');
    case Outcome.TARGET_AGENT_NOT_FOUND:
      throw new HttpError(404, `no agent of the tenant is signed in on extension ${dst}`);
    case Outcome.TARGET_AGENT_STATUS_ERROR:
      throw new HttpError(409, `the agent on extension ${dst} is not talking to anyone`);
    case Outcome.EXTEN_BOUND_BY_OTHER:
      throw new HttpError(409, `extension ${src} is another tenant's agent's`);
    case Outcome.EXTEN_NOT_REGISTERED:
    case Outcome.BOUND_EXTEN_STATE_ERROR:
      throw new HttpError(409, `extension ${src} is not registered`);
    case Outcome.AGENT_STATE_ERROR:
      throw new HttpError(409, `${src} is busy: its agent is in a call or already listening`);
    case Outcome.CALL_MODULE_FAILED:
      throw new HttpError(503, 'no switch node is connected');
    default:
      throw new HttpError(409, `extenSpy refused: ${reasonOf(code)}`);
  }
}

/** A refusal of the core said in HTTP terms: what was wrong with which number. */
function refuseUnless(code: number | undefined, about: { src: string; dst: string; what: 'click-number' | 'hangup' | 'transfer' }): void {
  const { src, dst, what } = about;
  switch (code) {
    case Outcome.OK:
      return;
    case undefined:
      throw new HttpError(503, 'polylink is shutting down');
    case Outcome.CALLER_NOT_FOUND:
      throw new HttpError(404, `no phone ${src}: no agent is signed in on it, it is no agent's extension and it is not registered`);
    case Outcome.CALLER_STATE_ERROR:
      throw new HttpError(409, what === 'click-number' ? `${src} is busy: it is in a call, or its agent is not free` : what === 'hangup' ? `extension ${src} is in no call` : `extension ${src} is not talking to a customer that could be transferred`);
    case Outcome.CALLER_EXTEN_STATE_ERROR:
      throw new HttpError(409, `extension ${src} is not registered`);
    case Outcome.CALLER_IS_CALLEE:
      throw new HttpError(400, 'src and dst are the same number');
    case Outcome.DISPLAY_NUM_EMPTY:
      throw new HttpError(409, `the tenant has no default access number to show ${dst}: an outside number cannot be called`);
    case Outcome.CALLOUT_FAILED:
      throw new HttpError(503, 'no switch node is connected');
    case Outcome.CALLEE_NOT_FOUND:
    case Outcome.CALLEE_STATE_ERROR:
    case Outcome.CALLEE_EXTEN_NOT_BOUND:
    case Outcome.CALLEE_EXTEN_STATE_ERROR:
      throw new HttpError(409, `${dst} cannot take the call now: ${reasonOf(code)}`);
    default:
      throw new HttpError(409, `${what} refused: ${reasonOf(code)}`);
  }
}

/** Asterisk's channel states (AST_STATE_*), which the seed's channelstate shows. */
function stateOf(leg: Leg | undefined): [string, string] {
  if (leg === undefined || leg.state === 'dialing') return ['4', 'Ring'];
  if (leg.state === 'ringing') return ['5', 'Ringing'];
  return ['6', 'Up'];
}

function callInfo(engine: Engine, call: Call, now: number): Record<string, string> {
  // Who called: the customer of an inbound call; the phone rung first of an outbound or internal one.
  const caller = call.kind === 'inbound' ? call.customer : call.agentLeg;
  const connected = call.kind === 'inbound' ? call.agentLeg : call.customer;
  const [channelstate, channelstatedesc] = stateOf(caller);
  return {
    calleridname: partyName(engine, caller),
    calleridnum: caller?.number ?? call.customerNumber,
    channel: caller?.uuid ?? '',
    channelstate,
    channelstatedesc,
    connectedlinename: partyName(engine, connected),
    connectedlinenum: connected?.number ?? '',
    duration: hms(now - call.timeline.start),
    uuid: call.id,
    kind: call.kind,
    agent: call.agentId ?? '',
    queue: call.queueNum ?? '',
  };
}

/** An agent's leg is named by its agent; any other party by its number, as a phone shows a caller without a name. */
function partyName(engine: Engine, leg: Leg | undefined): string {
  if (leg === undefined) return '';
  return (leg.agentId === undefined ? undefined : engine.services.org.agent(leg.agentId)?.name) ?? leg.number;
}

function hms(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}
