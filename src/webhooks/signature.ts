/**
 * How a push is signed: X-Polylink-Signature is `sha256=` and the hex HMAC-SHA256 of the
 * body with the target's secret; X-Polylink-Timestamp the Unix seconds it was sent at.
 * docs/api.md shows a receiver's check in Node and Python.
 */
import { createHmac } from 'node:crypto';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface PushHeaders {
  readonly event: string;
  readonly eventId: string;
  readonly attempt: number;
  /** The push's number in the outbox: it grows with every push of a target (a gap or a step back shows at once). */
  readonly pushId: number;
  /** When the fact happened, ms since the epoch. */
  readonly factAt: number;
}

export function pushHeaders(secret: string, body: string, now: number, push: PushHeaders): Record<string, string> {
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'User-Agent': 'polylink-webhooks',
    'X-Polylink-Signature': signBody(secret, body),
    'X-Polylink-Timestamp': String(Math.floor(now / 1000)),
    'X-Polylink-Event': push.event,
    'X-Polylink-Event-Id': push.eventId,
    'X-Polylink-Attempt': String(push.attempt),
    'X-Polylink-Push-Id': String(push.pushId),
    'X-Polylink-Fact-At': String(push.factAt),
  };
}
