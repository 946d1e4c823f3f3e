/**
 * HTTP control of a standalone simulator (`polylink simulator`) for load tests: every
 * phone's behaviour and registration at once, and customers calling in at a steady rate
 * with the switch-side times of each (src/simulator/load/). A load harness (bench/load)
 * drives the switch from another process through these. polylink's own HTTP port does not
 * serve them: they exist only on the standalone simulator's control port, beside
 * simulator-plugin.ts's routes. Errors `{"error": <reason>}`. Documented in docs/simulator.md.
 */
import type { FastifyPluginAsync } from 'fastify';
import { PHONE_NUMBER } from '../numbers/phone-number.js';
import { LoadGenerator } from '../simulator/load/load-generator.js';
import type { SwitchSimulator } from '../simulator/switch-simulator.js';
import { HttpError } from './http-error.js';
import { BEHAVIOUR_SCHEMA, behaviourOf, ms, SIMULATOR_ERROR, SIMULATOR_TAGS, simulatorErrorHandler, type BehaviourBody } from './simulator-plugin.js';

/** Bodies list up to some tens of thousands of extensions. */
const BODY_LIMIT = 4 * 1024 * 1024;
const MAX_RATE = 10_000;
const MAX_SECONDS = 86_400;

const PHONES_BODY = {
  type: 'object',
  properties: {
    extensions: {
      type: 'array',
      description: "the phones to change; without it every user of the simulator's directory",
      items: { type: 'string', pattern: '^[0-9]{1,20}$', description: 'an extension: digits only' },
    },
    behaviour: BEHAVIOUR_SCHEMA,
    registered: { type: 'boolean', description: 'true or false: register or unregister the phones' },
  },
  additionalProperties: false,
} as const;

const LOAD_BODY = {
  type: 'object',
  properties: {
    callsPerSecond: { type: 'number', exclusiveMinimum: 0, maximum: MAX_RATE, description: `a number above 0, at most ${MAX_RATE}` },
    seconds: { type: 'number', exclusiveMinimum: 0, maximum: MAX_SECONDS, description: `a number above 0, at most ${MAX_SECONDS}` },
    accessNumbers: {
      type: 'array',
      minItems: 1,
      description: 'a non-empty list of numbers the simulator routes; customers call them in turn',
      items: { type: 'string', pattern: PHONE_NUMBER.source, description: 'a number: digits with an optional leading +' },
    },
    talkMs: {
      type: 'array',
      minItems: 2,
      maxItems: 2,
      description: '[min, max]: whole milliseconds a customer talks, min ≤ max',
      items: { type: 'integer', minimum: 0, description: 'whole milliseconds' },
    },
    talkFrom: { type: 'string', enum: ['answer', 'bridge'], description: '"answer" or "bridge": when the talk time starts' },
    patienceMs: ms('how long a customer waits for an agent before hanging up'),
    callerPrefix: { type: 'string', pattern: '^\\+?[0-9]{0,24}$', description: 'digits, optionally after a +: the callers’ numbers start with it' },
  },
  required: ['callsPerSecond', 'seconds', 'accessNumbers', 'talkMs'],
  additionalProperties: false,
} as const;

interface LoadBody {
  readonly callsPerSecond: number;
  readonly seconds: number;
  readonly accessNumbers: string[];
  readonly talkMs: [number, number];
  readonly talkFrom?: 'answer' | 'bridge';
  readonly patienceMs?: number;
  readonly callerPrefix?: string;
}

const OPEN_OBJECT = { type: 'object', additionalProperties: true } as const;

export interface SimulatorLoadOptions {
  readonly simulator: SwitchSimulator;
  /** How the simulator's own process is doing (its event loop), reported with its status. */
  readonly process: () => Record<string, number>;
}

export const simulatorLoadPlugin: FastifyPluginAsync<SimulatorLoadOptions> = async (app, { simulator: sim, process }) => {
  app.setErrorHandler(simulatorErrorHandler);
  let load: LoadGenerator | undefined;

  app.get('/status', {
    schema: { tags: SIMULATOR_TAGS, summary: "The switch's counters, its users and its process's event loop", response: { 200: OPEN_OBJECT } },
    handler: async () => ({ eslPort: sim.port, ...sim.stats, users: sim.users().length, process: process() }),
  });

  app.put('/phones', {
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: SIMULATOR_TAGS,
      summary: 'Many phones at once: their behaviour, their registration',
      body: PHONES_BODY,
      response: { 200: { type: 'object', properties: { extensions: { type: 'integer' }, registered: { type: 'integer' } } }, '4xx': SIMULATOR_ERROR },
    },
    handler: async (request) => setPhones(sim, request.body as { extensions?: string[]; behaviour?: BehaviourBody; registered?: boolean }),
  });

  app.post('/load', {
    bodyLimit: BODY_LIMIT,
    schema: {
      tags: SIMULATOR_TAGS,
      summary: 'Customers call in at a steady rate',
      body: LOAD_BODY,
      response: { 202: { type: 'object', properties: { started: { type: 'boolean' } } }, '4xx': SIMULATOR_ERROR },
    },
    handler: async (request, reply) => {
      if (load !== undefined && (load.arriving || load.activeCalls > 0)) throw new HttpError(409, 'a load is running: DELETE /simulator/load first');
      load = startLoad(sim, request.body as LoadBody);
      return reply.code(202).send({ started: true });
    },
  });

  app.get('/load', {
    schema: { tags: SIMULATOR_TAGS, summary: 'How the load is going: arriving, live calls, counters', response: { 200: OPEN_OBJECT, '4xx': SIMULATOR_ERROR } },
    handler: async () => {
      if (load === undefined) throw new HttpError(404, 'no load was started');
      return { arriving: load.arriving, live: load.activeCalls, ...load.stats };
    },
  });

  app.get('/load/customers', {
    schema: {
      tags: SIMULATOR_TAGS,
      summary: "Every customer of the load with its switch-side times (microseconds)",
      response: { 200: { type: 'object', properties: { customers: { type: 'array', items: OPEN_OBJECT } } }, '4xx': SIMULATOR_ERROR },
    },
    handler: async () => {
      if (load?.timeline === undefined) throw new HttpError(404, 'no load with a timeline was started');
      return { customers: load.timeline.customers() };
    },
  });

  app.delete('/load', {
    schema: {
      tags: SIMULATOR_TAGS,
      summary: "Stop the load: hang up every customer still on the line",
      response: { 200: { type: 'object', properties: { stopped: { type: 'boolean' }, hungUp: { type: 'integer' } } }, '4xx': SIMULATOR_ERROR },
    },
    handler: async () => {
      if (load === undefined) throw new HttpError(404, 'no load was started');
      const live = load.activeCalls;
      load.hangupAll();
      return { stopped: true, hungUp: live };
    },
  });
};

function setPhones(sim: SwitchSimulator, body: { extensions?: string[]; behaviour?: BehaviourBody; registered?: boolean }): { extensions: number; registered: number } {
  let extensions: string[];
  if (body.extensions === undefined) {
    extensions = sim.users();
  } else {
    const known = new Set(sim.users());
    const unknown = body.extensions.find((e) => !known.has(e));
    if (unknown !== undefined) throw new HttpError(404, `no user ${unknown} in the simulator's directory`);
    extensions = body.extensions;
  }
  const phone = body.behaviour === undefined ? undefined : behaviourOf(body.behaviour);
  for (const ext of extensions) {
    if (phone !== undefined) sim.setPhoneBehaviour(ext, phone);
    if (body.registered === true && !sim.isRegistered(ext)) sim.register(ext);
    else if (body.registered === false && sim.isRegistered(ext)) sim.unregister(ext);
  }
  return { extensions: extensions.length, registered: sim.users().filter((e) => sim.isRegistered(e)).length };
}

function startLoad(sim: SwitchSimulator, body: LoadBody): LoadGenerator {
  const unrouted = body.accessNumbers.find((n) => !sim.routes(n));
  if (unrouted !== undefined) throw new HttpError(404, `${unrouted} is not a number the simulator routes`);
  const [talkMin, talkMax] = body.talkMs;
  if (talkMin > talkMax) throw new HttpError(400, 'talkMs must be [min, max], whole milliseconds, min ≤ max');
  const load = new LoadGenerator(sim, {
    callsPerSecond: body.callsPerSecond,
    durationMs: body.seconds * 1000,
    accessNumbers: body.accessNumbers,
    talkMs: [talkMin, talkMax],
    talkFrom: body.talkFrom ?? 'answer',
    timeline: true,
    ...(body.patienceMs !== undefined ? { patienceMs: body.patienceMs } : {}),
    ...(body.callerPrefix !== undefined ? { callerPrefix: body.callerPrefix } : {}),
  });
  void load.run();
  return load;
}
