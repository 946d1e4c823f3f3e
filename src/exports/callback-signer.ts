/**
 * Seed 004's callbacks are signed like its requests: auth-v2 with the app's key. Built
 * from the configured apps wherever the delivery runs (the delivery thread builds its own).
 */
import type { CallbackSigner } from '../webhooks/destinations.js';
import { authorize } from './auth-v2.js';

export interface CallbackApp {
  readonly ak: string;
  readonly sk: string;
}

export function callbackSigner(apps: readonly CallbackApp[]): CallbackSigner {
  const byAk = new Map(apps.map((a) => [a.ak, a]));
  return (auth, url, body, now) => {
    const app = byAk.get(auth.replace(/^auth-v2:/, ''));
    if (app === undefined) return undefined;
    const target = new URL(url);
    const headers = { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(body)), host: target.host };
    return { ...headers, authorization: authorize(app, { method: 'POST', url: `${target.pathname}${target.search}`, headers, body }, now) };
  };
}
