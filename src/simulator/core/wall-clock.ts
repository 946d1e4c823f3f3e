/**
 * Microseconds since the epoch with sub-millisecond resolution, as FreeSWITCH stamps its
 * events (switch_micro_time_now): the process's wall-clock origin plus its monotonic
 * time. Every process of a machine reads the same clock this way, so a time taken in one
 * (a bar reading a message) can be compared with one stamped in another (the switch's
 * Event-Date-Timestamp).
 */
import { performance } from 'node:perf_hooks';

export function wallMicroseconds(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}
