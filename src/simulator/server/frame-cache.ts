/**
 * One event goes to many listeners, most in the same format: serialize it once per
 * format. The cache lives as long as the event does.
 */
import type { SwitchEvent } from '../events/switch-event.js';
import { eventFrame, type EventFormat } from '../protocol/event-format.js';

const cache = new WeakMap<SwitchEvent, Partial<Record<EventFormat, string>>>();

export function cachedEventFrame(event: SwitchEvent, format: EventFormat): string {
  let entry = cache.get(event);
  if (entry === undefined) cache.set(event, (entry = {}));
  return (entry[format] ??= eventFrame(event, format));
}
