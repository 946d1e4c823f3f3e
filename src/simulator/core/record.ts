/**
 * uuid_record start|stop <path>: RECORD_START / RECORD_STOP with Record-File-Path
 * (switch_ivr_async.c record_callback). Nothing is written; the recording stops by
 * itself when the channel hangs up.
 */
import type { Channel } from '../channels/channel.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import type { SwitchCore } from './switch-core.js';

const recordings = new WeakMap<Channel, Map<string, number>>();

export function startRecording(core: SwitchCore, ch: Channel, path: string): boolean {
  let map = recordings.get(ch);
  if (map === undefined) recordings.set(ch, (map = new Map()));
  if (map.has(path)) return false;
  map.set(path, core.clock.now());
  ch.fire('RECORD_START', ORIGIN.recordStart, { after: [HeaderBlock.of([['Record-File-Path', path]])] });
  return true;
}

export function stopRecording(core: SwitchCore, ch: Channel, path: string): boolean {
  const map = recordings.get(ch);
  const started = map?.get(path);
  if (map === undefined || started === undefined) return false;
  map.delete(path);
  const ms = Math.max(0, Math.round(core.clock.now() - started));
  ch.vars.setMany([
    ['record_seconds', String(Math.floor(ms / 1000))],
    ['record_ms', String(ms)],
    ['record_samples', String(ms * 8)],
  ]);
  ch.fire('RECORD_STOP', ORIGIN.recordStop, {
    after: [HeaderBlock.of([['Record-File-Path', path], ['Record-Completion-Cause', 'success']])],
  });
  return true;
}

export function stopAllRecordings(core: SwitchCore, ch: Channel): void {
  const map = recordings.get(ch);
  if (map === undefined) return;
  for (const path of [...map.keys()]) stopRecording(core, ch, path);
}
