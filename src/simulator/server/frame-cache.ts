/**
 * One event goes to many listeners, most in the same format: serialize it once per
 * format. The frames live on the event (a slot the bus gives it) rather than in a
 * WeakMap beside it: the garbage collector treats each WeakMap entry as an ephemeron,
 * extra work for every one of the thousands of events a busy switch has in flight.
 */
import type { SwitchEvent } from '../events/switch-event.js';
import { eventFrame, type EventFormat } from '../protocol/event-format.js';

export function cachedEventFrame(event: SwitchEvent, format: EventFormat): string {
  const frames = event.frames;
  if (frames === undefined) return eventFrame(event, format);
  return (frames[format] ??= eventFrame(event, format));
}
