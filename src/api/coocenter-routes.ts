/**
 * Seed 001's HTTP API under /coocenter-api/: authentication by WEBKEY, then the
 * endpoint the path and method name. Every answer is the seed's JSON: success bodies
 * from the endpoints, errors `{"status": "error", "message": <reason>}` with a 4xx.
 * Documented in docs/api.md.
 */
import type http from 'node:http';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../log.js';
import type { DayClock } from '../time-format.js';
import type { RouteHandler } from '../transport/http-server.js';
import { BLACKLIST_ENDPOINTS } from './blacklist-endpoints.js';
import type { Endpoint } from './coocenter-endpoint.js';
import { HttpError, sendJson } from './http-json.js';
import { QUEUE_ENDPOINTS } from './queue-endpoints.js';
import { readRequestFields } from './request-fields.js';
import { checkWebKey } from './web-key.js';

export const COOCENTER_PREFIX = '/coocenter-api/';

export interface CoocenterOptions {
  readonly engine: Engine;
  readonly days: DayClock;
  /** api.webKey: null lets only requests from this host in. */
  readonly webKey: string | null;
  readonly log: Logger;
}

const ENDPOINTS: readonly Endpoint[] = [...QUEUE_ENDPOINTS, ...BLACKLIST_ENDPOINTS];

export function coocenterRoutes(options: CoocenterOptions): RouteHandler {
  const log = options.log.child({ module: 'coocenter-api' });
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(COOCENTER_PREFIX)) return false;
    try {
      await answer(options, log, req, res, url);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      log.debug({ method: req.method, path: url.pathname, status: err.status, reason: err.message }, 'request refused');
      // A refused body may be only partly read: close rather than read the rest of it.
      const headers = err.status === 413 ? { connection: 'close' } : {};
      sendJson(res, err.status, { status: 'error', message: err.message }, headers);
    }
    return true;
  };
}

async function answer(options: CoocenterOptions, log: Logger, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const { engine, days, webKey } = options;
  // Before anything else: a client without the key learns nothing, not even which paths exist.
  if (webKey !== null) {
    // The business system computes the key from its own calendar: the wall clock's date, stepped or not.
    const check = checkWebKey(req.headers.authorization, webKey, engine.clock.wallNow(), days);
    if (!check.ok) throw new HttpError(401, check.reason);
  } else if (!isLoopback(req.socket.remoteAddress)) {
    // No key set (a fresh install): these endpoints change who takes calls, so only this host may use them.
    throw new HttpError(401, 'api.webKey is not set: the API answers requests from this host only');
  }
  const atPath = ENDPOINTS.filter((e) => e.path === url.pathname);
  if (atPath.length === 0) throw new HttpError(404, `no endpoint ${url.pathname}`);
  const endpoint = atPath.find((e) => e.method === req.method);
  if (endpoint === undefined) {
    const allowed = atPath.map((e) => e.method).join(', ');
    sendJson(res, 405, { status: 'error', message: `${url.pathname} takes ${allowed}, not ${req.method ?? '?'}` }, { allow: allowed });
    return;
  }
  const fields = await readRequestFields(req, url);
  const body = endpoint.handle({ engine, fields, now: engine.clock.now() });
  // Business systems change who takes calls and who is turned away: the log says who asked for what.
  if (endpoint.method !== 'GET') log.info({ method: endpoint.method, path: url.pathname, remote: req.socket.remoteAddress, ...body }, 'changed through the API');
  sendJson(res, 200, body);
}

/** 127.0.0.0/8, ::1, and IPv4 loopback as an IPv6-mapped address. */
function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}
