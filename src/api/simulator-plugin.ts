/**
 * HTTP control of the built-in simulator (only when polylink runs on it): make a
 * simulated customer call in, hang it up, change how a phone behaves, register or
 * unregister a phone, list the channels. Against a real FreeSWITCH every path answers
 * 404. Errors `{"error": <reason>}`. Documented in docs/api.md.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { PHONE_NUMBER } from '../numbers/phone-number.js';
import type { CalleeBehaviour } from '../simulator/behaviour/callee-behaviour.js';
import type { SwitchSimulator } from '../simulator/switch-simulator.js';
import { HttpError, unreachable } from './http-error.js';
import { problemOf } from './request-problem.js';

const MAX_MS = 3_600_000;
export const SIMULATOR_TAGS = ['simulator'];
export const SIMULATOR_ERROR = { type: 'object', properties: { error: { type: 'string' } } } as const;
export const ms = (what: string) => ({ type: 'integer', minimum: 0, maximum: MAX_MS, description: `${what}: milliseconds, 0 … ${MAX_MS}` });
const EXTENSION = { type: 'object', properties: { extension: { type: 'string', pattern: '^[0-9]{1,20}$', description: 'an extension: digits only' } } } as const;
const BEHAVIOURS = ['answer', 'no-answer', 'busy', 'reject', 'congestion', 'unreachable'] as const;

export interface BehaviourBody {
  readonly kind: (typeof BEHAVIOURS)[number];
  readonly afterMs?: number;
  readonly afterMsMax?: number;
  readonly hangupAfterMs?: number;
}

/** How a phone behaves when rung (src/simulator/behaviour/callee-behaviour.ts). */
export const BEHAVIOUR_SCHEMA = {
  type: 'object',
  description: 'how a phone behaves when rung',
  properties: {
    kind: { type: 'string', enum: [...BEHAVIOURS], description: `one of ${BEHAVIOURS.join(', ')}` },
    afterMs: ms('how long it rings first'),
    afterMsMax: ms('with afterMs, the answer delay of each call is drawn from [afterMs, afterMsMax]'),
    hangupAfterMs: ms('how long after answering it hangs up'),
  },
  required: ['kind'],
  additionalProperties: false,
} as const;

/** The simulator's answers to what a request got wrong: `{"error": <reason>}`. */
export function simulatorErrorHandler(err: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof HttpError) return reply.code(err.status).send({ error: err.message });
  const p = problemOf(err);
  switch (p.kind) {
    case 'missing':
      return reply.code(400).send({ error: `${p.field} is required` });
    case 'invalid':
      return reply.code(400).send({ error: `${p.field} must be ${p.what ?? p.rule}` });
    case 'unknown-field':
      return reply.code(400).send({ error: `${p.field} is not a field of this request` });
    case 'not-an-object':
      return reply.code(400).send({ error: 'body must be a JSON object' });
    case 'not-json':
      return reply.code(400).send({ error: 'body is not valid JSON' });
    case 'too-large':
      return reply.code(413).send({ error: 'body too large' });
    case 'media-type':
      return reply.code(415).send({ error: 'send the body as application/json' });
    case 'other':
      if (p.status < 500) return reply.code(p.status).send({ error: p.message });
      // A fault of the simulator, not of the request: logged, and its text kept out of the answer.
      request.log.error({ err, url: request.url }, 'simulator control request failed');
      return reply.code(500).send({ error: 'internal error' });
  }
}

export const simulatorPlugin: FastifyPluginAsync<{ readonly simulator: SwitchSimulator | undefined }> = async (app, { simulator }) => {
  app.setErrorHandler(simulatorErrorHandler);
  app.addHook('onRequest', async () => {
    if (simulator === undefined) throw new HttpError(404, 'polylink is connected to a real FreeSWITCH, not to the simulator');
  });
  const sim = (): SwitchSimulator => simulator!;

  app.post('/calls', {
    schema: {
      tags: SIMULATOR_TAGS,
      summary: 'A customer calls in',
      body: {
        type: 'object',
        properties: {
          to: { type: 'string', pattern: PHONE_NUMBER.source, description: 'a number the simulator routes: an access number, an IVR, a dialplan number' },
          from: { type: 'string', pattern: PHONE_NUMBER.source, description: "the customer's number: digits with an optional leading +" },
          hangupAfterMs: ms('how long after being answered the customer hangs up'),
          abandonAfterMs: ms('how long the customer waits to be answered'),
          dtmf: { type: 'string', pattern: '^[0-9*#]{1,32}$', description: 'keys pressed a second after being answered: 0-9 * #' },
        },
        required: ['to'],
        additionalProperties: false,
      },
      response: { 201: { type: 'object', properties: { uuid: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } }, '4xx': SIMULATOR_ERROR },
    },
    handler: async (request, reply) => {
      const body = request.body as { to: string; from?: string; hangupAfterMs?: number; abandonAfterMs?: number; dtmf?: string };
      // FreeSWITCH would answer NO_ROUTE_DESTINATION: say so before placing a call that goes nowhere.
      if (!sim().routes(body.to)) throw new HttpError(404, `${body.to} is not a number the simulator routes; it routes ${sim().routedNumbers().join(', ')}`);
      const from = body.from ?? randomMobile();
      const call = sim().placeCall({
        from,
        to: body.to,
        ...(body.hangupAfterMs !== undefined ? { hangupAfterMs: body.hangupAfterMs } : {}),
        ...(body.abandonAfterMs !== undefined ? { abandonAfterMs: body.abandonAfterMs } : {}),
        ...(body.dtmf !== undefined ? { dtmf: { digits: body.dtmf, afterMs: 1000 } } : {}),
      });
      return reply.code(201).send({ uuid: call.uuid, from, to: body.to });
    },
  });

  app.delete('/calls/:uuid', {
    schema: {
      tags: SIMULATOR_TAGS,
      summary: 'The customer hangs up',
      params: { type: 'object', properties: { uuid: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', description: 'a call uuid' } } },
      response: { 200: { type: 'object', properties: { uuid: { type: 'string' }, hungUp: { type: 'boolean' } } }, '4xx': SIMULATOR_ERROR },
    },
    handler: async (request) => {
      const { uuid } = request.params as { uuid: string };
      if (!sim().hangup(uuid)) throw new HttpError(404, 'no such call');
      return { uuid, hungUp: true };
    },
  });

  app.put('/phones/:extension', {
    schema: {
      tags: SIMULATOR_TAGS,
      summary: 'How a phone behaves when rung',
      params: EXTENSION,
      body: BEHAVIOUR_SCHEMA,
      response: { 200: { type: 'object', properties: { extension: { type: 'string' } } }, '4xx': SIMULATOR_ERROR },
    },
    handler: async (request) => {
      const { extension } = request.params as { extension: string };
      sim().setPhoneBehaviour(extension, behaviourOf(request.body as BehaviourBody));
      return { extension };
    },
  });

  const registration = { type: 'object', properties: { extension: { type: 'string' }, registered: { type: 'boolean' } } } as const;
  app.post('/phones/:extension/register', {
    schema: { tags: SIMULATOR_TAGS, summary: 'A phone registers', params: EXTENSION, response: { 200: registration, '4xx': SIMULATOR_ERROR } },
    handler: async (request) => {
      const { extension } = request.params as { extension: string };
      sim().register(extension);
      return { extension, registered: true };
    },
  });
  app.post('/phones/:extension/unregister', {
    schema: { tags: SIMULATOR_TAGS, summary: 'A phone unregisters', params: EXTENSION, response: { 200: registration, '4xx': SIMULATOR_ERROR } },
    handler: async (request) => {
      const { extension } = request.params as { extension: string };
      if (!sim().unregister(extension)) throw new HttpError(404, 'that extension is not registered');
      return { extension, registered: false };
    },
  });

  app.get('/channels', {
    schema: {
      tags: SIMULATOR_TAGS,
      summary: "The simulator's live channels",
      response: { 200: { type: 'object', properties: { channels: { type: 'array', items: { type: 'object', additionalProperties: true } } } } },
    },
    handler: async () => ({ channels: sim().channels() }),
  });

  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '/*',
    schema: { hide: true },
    onRequest: async (request) => {
      throw new HttpError(404, `no ${request.method} ${(request.raw.url ?? '').split('?')[0]}`);
    },
    handler: unreachable,
  });
};

/** A phone's behaviour as a request gives it (BEHAVIOUR_SCHEMA), checked beyond what the schema can say. */
export function behaviourOf(body: BehaviourBody): CalleeBehaviour {
  const afterMs = body.afterMs !== undefined ? { afterMs: body.afterMs } : {};
  switch (body.kind) {
    case 'answer':
      if (body.afterMsMax !== undefined && body.afterMsMax < (body.afterMs ?? 0)) throw new HttpError(400, 'afterMsMax must not be less than afterMs');
      return {
        kind: 'answer',
        ...afterMs,
        ...(body.afterMsMax !== undefined ? { afterMsMax: body.afterMsMax } : {}),
        ...(body.hangupAfterMs !== undefined ? { hangupAfterMs: body.hangupAfterMs } : {}),
      };
    case 'busy':
    case 'reject':
    case 'congestion':
      return { kind: body.kind, ...afterMs };
    case 'no-answer':
    case 'unreachable':
      return { kind: body.kind };
  }
}

function randomMobile(): string {
  return `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}
