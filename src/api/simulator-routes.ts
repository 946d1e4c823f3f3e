/**
 * HTTP control of the built-in simulator (only when polylink runs on it): make a
 * simulated customer call in, hang it up, change how a phone behaves, register or
 * unregister a phone, list the channels. Documented in docs/api.md.
 */
import { PHONE_NUMBER } from '../numbers/phone-number.js';
import type http from 'node:http';
import type { CalleeBehaviour } from '../simulator/behaviour/callee-behaviour.js';
import type { SwitchSimulator } from '../simulator/switch-simulator.js';
import { HttpError, readJsonObject, sendJson } from './http-json.js';

const EXTENSION = /^[0-9]{1,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_MS = 3_600_000;

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean> | boolean;

export function simulatorRoutes(sim: SwitchSimulator | undefined): Route {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/simulator/')) return false;
    try {
      if (sim === undefined) throw new HttpError(404, 'polylink is connected to a real FreeSWITCH, not to the simulator');
      await handle(sim, req, res, url.pathname);
    } catch (err) {
      if (err instanceof HttpError) sendJson(res, err.status, { error: err.message });
      else throw err;
    }
    return true;
  };
}

async function handle(sim: SwitchSimulator, req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  let m: RegExpExecArray | null;
  if (path === '/simulator/calls' && method === 'POST') {
    const body = await readJsonObject(req);
    const to = text(body, 'to', PHONE_NUMBER, true)!;
    // FreeSWITCH would answer NO_ROUTE_DESTINATION: say so before placing a call that goes nowhere.
    if (!sim.routes(to)) throw new HttpError(404, `${to} is not a number the simulator routes; it routes ${sim.routedNumbers().join(', ')}`);
    const from = text(body, 'from', PHONE_NUMBER, false) ?? randomMobile();
    const hangupAfterMs = ms(body, 'hangupAfterMs');
    const abandonAfterMs = ms(body, 'abandonAfterMs');
    const dtmf = text(body, 'dtmf', /^[0-9*#]{1,32}$/, false);
    const call = sim.placeCall({
      from,
      to,
      ...(hangupAfterMs !== undefined ? { hangupAfterMs } : {}),
      ...(abandonAfterMs !== undefined ? { abandonAfterMs } : {}),
      ...(dtmf !== undefined ? { dtmf: { digits: dtmf, afterMs: 1000 } } : {}),
    });
    sendJson(res, 201, { uuid: call.uuid, from, to });
    return;
  }
  if ((m = /^\/simulator\/calls\/([^/]+)$/.exec(path)) && method === 'DELETE') {
    const uuid = m[1]!;
    if (!UUID.test(uuid)) throw new HttpError(400, 'not a call uuid');
    if (!sim.hangup(uuid)) throw new HttpError(404, 'no such call');
    sendJson(res, 200, { uuid, hungUp: true });
    return;
  }
  if ((m = /^\/simulator\/phones\/([^/]+)(\/register|\/unregister)?$/.exec(path))) {
    const ext = m[1]!;
    if (!EXTENSION.test(ext)) throw new HttpError(400, 'an extension is digits only');
    if (m[2] === '/register' && method === 'POST') {
      sim.register(ext);
      sendJson(res, 200, { extension: ext, registered: true });
      return;
    }
    if (m[2] === '/unregister' && method === 'POST') {
      if (!sim.unregister(ext)) throw new HttpError(404, 'that extension is not registered');
      sendJson(res, 200, { extension: ext, registered: false });
      return;
    }
    if (m[2] === undefined && method === 'PUT') {
      sim.setPhoneBehaviour(ext, behaviour(await readJsonObject(req)));
      sendJson(res, 200, { extension: ext });
      return;
    }
  }
  if (path === '/simulator/channels' && method === 'GET') {
    sendJson(res, 200, { channels: sim.channels() });
    return;
  }
  throw new HttpError(404, `no ${method} ${path}`);
}

function text(body: Record<string, unknown>, key: string, pattern: RegExp, required: boolean): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new HttpError(400, `${key} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || !pattern.test(v)) throw new HttpError(400, `${key} must be a string matching ${pattern}`);
  return v;
}

export function ms(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_MS) throw new HttpError(400, `${key} must be milliseconds, 0 … ${MAX_MS}`);
  return v;
}

/**
 * { "kind": "answer", "afterMs": 1000, "afterMsMax": 3000 } | { "kind": "no-answer" } | busy | reject | congestion |
 * unreachable. With afterMsMax the answer delay is drawn from [afterMs, afterMsMax] per call.
 */
export function behaviour(body: Record<string, unknown>): CalleeBehaviour {
  switch (body['kind']) {
    case 'answer': {
      const afterMs = ms(body, 'afterMs');
      const afterMsMax = ms(body, 'afterMsMax');
      const hangupAfterMs = ms(body, 'hangupAfterMs');
      if (afterMsMax !== undefined && afterMsMax < (afterMs ?? 0)) throw new HttpError(400, 'afterMsMax must not be less than afterMs');
      return {
        kind: 'answer',
        ...(afterMs !== undefined ? { afterMs } : {}),
        ...(afterMsMax !== undefined ? { afterMsMax } : {}),
        ...(hangupAfterMs !== undefined ? { hangupAfterMs } : {}),
      };
    }
    case 'no-answer':
      return { kind: 'no-answer' };
    case 'busy':
    case 'reject':
    case 'congestion': {
      const afterMs = ms(body, 'afterMs');
      return { kind: body['kind'], ...(afterMs !== undefined ? { afterMs } : {}) };
    }
    case 'unreachable':
      return { kind: 'unreachable' };
    default:
      throw new HttpError(400, 'kind must be answer, no-answer, busy, reject, congestion or unreachable');
  }
}

function randomMobile(): string {
  return `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}
