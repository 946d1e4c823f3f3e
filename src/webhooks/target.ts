/**
 * A push target: where a format's pushes go, which of its events, signed with which
 * secret, and how long an answer may take. Checked the same way from the config file
 * (webhooks.targets, POLYLINK_WEBHOOKS_TARGETS) and from the admin API.
 */
import { SEED001_EVENTS } from './formats/seed001.js';
import { SEED003_EVENTS } from './formats/seed003.js';

export type PushFormatName = 'seed001' | 'seed003';

export interface WebhookTarget {
  readonly id: string;
  readonly url: string;
  readonly format: PushFormatName;
  /** The format's event names the target takes, or all of them. */
  readonly events: readonly string[] | 'all';
  /** HMAC-SHA256 key of X-Polylink-Signature. */
  readonly secret: string;
  /** How long a push may wait for the target's answer. */
  readonly timeoutMs: number;
}

export const FORMAT_EVENTS: Readonly<Record<PushFormatName, readonly string[]>> = { seed001: SEED001_EVENTS, seed003: SEED003_EVENTS };

export const DEFAULT_TIMEOUT_MS = 5000;
export const MIN_SECRET_LENGTH = 16;

/** A target that fails a check: `key` names the bad field. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
  }
}

/** Checks a target as given (a mapping from YAML or JSON) and returns it typed; `where` prefixes the field names. */
export function checkTarget(raw: unknown, where = ''): WebhookTarget {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new TargetError(where || 'target', 'must be a mapping');
  const t = raw as Record<string, unknown>;
  const key = (k: string) => (where === '' ? k : `${where}.${k}`);
  for (const k of Object.keys(t)) if (!['id', 'url', 'format', 'events', 'secret', 'timeoutMs'].includes(k)) throw new TargetError(key(k), 'unknown key');
  const id = t['id'];
  if (typeof id !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(id)) throw new TargetError(key('id'), 'must be 1 to 64 letters, digits, _ . -');
  const format = t['format'];
  if (format !== 'seed001' && format !== 'seed003') throw new TargetError(key('format'), 'must be seed001 or seed003');
  return { id, url: checkUrl(t['url'], key('url')), format, events: checkEvents(t['events'], format, key('events')), secret: checkSecret(t['secret'], key('secret')), timeoutMs: checkTimeout(t['timeoutMs'], key('timeoutMs')) };
}

/** An http:// or https:// URL with a host, no credentials in it. */
export function checkUrl(v: unknown, key: string): string {
  if (typeof v !== 'string') throw new TargetError(key, 'must be an http:// or https:// URL');
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new TargetError(key, 'must be an http:// or https:// URL');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') throw new TargetError(key, 'must be an http:// or https:// URL');
  if (url.username !== '' || url.password !== '') throw new TargetError(key, 'must not carry a user or password');
  return v;
}

function checkEvents(v: unknown, format: PushFormatName, key: string): readonly string[] | 'all' {
  if (v === undefined || v === 'all') return 'all';
  const known = FORMAT_EVENTS[format];
  if (!Array.isArray(v) || v.length === 0) throw new TargetError(key, `must be "all" or a list of ${format} events (${known.join(', ')})`);
  for (const e of v) if (typeof e !== 'string' || !known.includes(e)) throw new TargetError(key, `${JSON.stringify(e)} is not a ${format} event (${known.join(', ')})`);
  return [...new Set(v as string[])];
}

function checkSecret(v: unknown, key: string): string {
  if (typeof v !== 'string' || v.length < MIN_SECRET_LENGTH || v.length > 256) throw new TargetError(key, `must be ${MIN_SECRET_LENGTH} to 256 characters`);
  return v;
}

function checkTimeout(v: unknown, key: string): number {
  if (v === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 100 || v > 60_000) throw new TargetError(key, 'must be a whole number of milliseconds from 100 to 60000');
  return v;
}

/** Does the target take this event? */
export function takes(target: WebhookTarget, event: string): boolean {
  return target.events === 'all' || target.events.includes(event);
}
