/**
 * HTTP control of a standalone simulator (`polylink simulator`) for load tests: every
 * phone's behaviour and registration at once, and customers calling in at a steady rate
 * with the switch-side times of each (src/simulator/load/). A load harness drives the
 * switch from another process through these. Documented in docs/simulator.md.
 */
import { PHONE_NUMBER } from '../numbers/phone-number.js';
import { LoadGenerator } from '../simulator/load/load-generator.js';
import type { SwitchSimulator } from '../simulator/switch-simulator.js';
import { HttpError, readJsonObject, sendJson } from './http-json.js';
import { behaviour, ms, type Route } from './simulator-routes.js';

const EXTENSION = /^[0-9]{1,20}$/;
const CALLER_PREFIX = /^\+?[0-9]{0,24}$/;
/** Bodies list up to some tens of thousands of extensions. */
const BODY_LIMIT = 4 * 1024 * 1024;
const MAX_RATE = 10_000;
const MAX_SECONDS = 86_400;

/** `process`: how the simulator's own process is doing (its event loop), reported with its status. */
export function simulatorLoadRoutes(sim: SwitchSimulator, process: () => Record<string, number> = () => ({})): Route {
  let load: LoadGenerator | undefined;
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    try {
      if (path === '/simulator/status' && method === 'GET') {
        sendJson(res, 200, { eslPort: sim.port, ...sim.stats, users: sim.users().length, process: process() });
        return true;
      }
      if (path === '/simulator/phones' && method === 'PUT') {
        sendJson(res, 200, setPhones(sim, await readJsonObject(req, BODY_LIMIT)));
        return true;
      }
      if (path === '/simulator/load' && method === 'POST') {
        if (load !== undefined && (load.arriving || load.activeCalls > 0)) throw new HttpError(409, 'a load is running: DELETE /simulator/load first');
        load = startLoad(sim, await readJsonObject(req, BODY_LIMIT));
        sendJson(res, 202, { started: true });
        return true;
      }
      if (path === '/simulator/load' && method === 'GET') {
        if (load === undefined) throw new HttpError(404, 'no load was started');
        sendJson(res, 200, { arriving: load.arriving, live: load.activeCalls, ...load.stats });
        return true;
      }
      if (path === '/simulator/load/customers' && method === 'GET') {
        if (load?.timeline === undefined) throw new HttpError(404, 'no load with a timeline was started');
        sendJson(res, 200, { customers: load.timeline.customers() });
        return true;
      }
      if (path === '/simulator/load' && method === 'DELETE') {
        if (load === undefined) throw new HttpError(404, 'no load was started');
        const live = load.activeCalls;
        load.hangupAll();
        sendJson(res, 200, { stopped: true, hungUp: live });
        return true;
      }
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      sendJson(res, err.status, { error: err.message });
      return true;
    }
    return false;
  };
}

/** { extensions?: [..] (default every user), behaviour?: {...}, registered?: boolean }. */
function setPhones(sim: SwitchSimulator, body: Record<string, unknown>): { extensions: number; registered: number } {
  const listed = body['extensions'];
  let extensions: string[];
  if (listed === undefined || listed === null) {
    extensions = sim.users();
  } else {
    if (!Array.isArray(listed) || !listed.every((e): e is string => typeof e === 'string' && EXTENSION.test(e))) {
      throw new HttpError(400, 'extensions must be a list of extensions (digits only)');
    }
    const known = new Set(sim.users());
    const unknown = listed.find((e) => !known.has(e));
    if (unknown !== undefined) throw new HttpError(404, `no user ${unknown} in the simulator's directory`);
    extensions = listed;
  }
  const given = body['behaviour'];
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) throw new HttpError(400, 'behaviour must be an object');
  const phone = given === undefined ? undefined : behaviour(given as Record<string, unknown>);
  const registered = body['registered'];
  if (registered !== undefined && typeof registered !== 'boolean') throw new HttpError(400, 'registered must be true or false');
  for (const ext of extensions) {
    if (phone !== undefined) sim.setPhoneBehaviour(ext, phone);
    if (registered === true && !sim.isRegistered(ext)) sim.register(ext);
    else if (registered === false && sim.isRegistered(ext)) sim.unregister(ext);
  }
  return { extensions: extensions.length, registered: sim.users().filter((e) => sim.isRegistered(e)).length };
}

/** { callsPerSecond, seconds, accessNumbers: [..], talkMs: [min, max], talkFrom?, patienceMs?, callerPrefix? }. */
function startLoad(sim: SwitchSimulator, body: Record<string, unknown>): LoadGenerator {
  const rate = body['callsPerSecond'];
  if (typeof rate !== 'number' || !(rate > 0 && rate <= MAX_RATE)) throw new HttpError(400, `callsPerSecond must be a number above 0, at most ${MAX_RATE}`);
  const seconds = body['seconds'];
  if (typeof seconds !== 'number' || !(seconds > 0 && seconds <= MAX_SECONDS)) throw new HttpError(400, `seconds must be a number above 0, at most ${MAX_SECONDS}`);
  const numbers = body['accessNumbers'];
  if (!Array.isArray(numbers) || numbers.length === 0 || !numbers.every((n): n is string => typeof n === 'string' && PHONE_NUMBER.test(n))) {
    throw new HttpError(400, 'accessNumbers must be a non-empty list of numbers');
  }
  const unrouted = numbers.find((n) => !sim.routes(n));
  if (unrouted !== undefined) throw new HttpError(404, `${unrouted} is not a number the simulator routes`);
  const talk = body['talkMs'];
  if (!Array.isArray(talk) || talk.length !== 2 || talk.some((t) => typeof t !== 'number' || !Number.isInteger(t) || t < 0) || talk[0] > talk[1]) {
    throw new HttpError(400, 'talkMs must be [min, max], whole milliseconds, min ≤ max');
  }
  const talkFrom = body['talkFrom'] ?? 'answer';
  if (talkFrom !== 'answer' && talkFrom !== 'bridge') throw new HttpError(400, 'talkFrom must be "answer" or "bridge"');
  const patienceMs = ms(body, 'patienceMs');
  const prefix = body['callerPrefix'];
  if (prefix !== undefined && (typeof prefix !== 'string' || !CALLER_PREFIX.test(prefix))) throw new HttpError(400, 'callerPrefix must be digits, optionally after a +');
  const load = new LoadGenerator(sim, {
    callsPerSecond: rate,
    durationMs: seconds * 1000,
    accessNumbers: numbers,
    talkMs: [talk[0] as number, talk[1] as number],
    talkFrom,
    timeline: true,
    ...(patienceMs !== undefined ? { patienceMs } : {}),
    ...(prefix !== undefined ? { callerPrefix: prefix } : {}),
  });
  void load.run();
  return load;
}
