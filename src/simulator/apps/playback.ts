/**
 * playback and what uses it (uuid_broadcast, hold music): CHANNEL_EXECUTE playback,
 * PLAYBACK_START, after the file's length PLAYBACK_STOP, CHANNEL_EXECUTE_COMPLETE
 * "FILE PLAYED" (captures c2, v). A file's length is read from tone_stream / silence
 * stream arguments; anything looping (loops=-1, local_stream://) plays until stopped.
 */
import type { TimerHandle } from '../../clock.js';
import type { Channel } from '../channels/channel.js';
import type { SwitchCore } from '../core/switch-core.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import type { AppRun } from './app-runner.js';

/** How long a plain file "plays" when nothing in its name says (a prompt of a few seconds). */
export const DEFAULT_FILE_MS = 3000;

/** Milliseconds the path plays for, or undefined when it never ends on its own. */
export function playLength(path: string, fileMs = DEFAULT_FILE_MS): number | undefined {
  if (path.startsWith('local_stream://')) return undefined;
  const silence = /^silence_stream:\/\/(-?\d+)/.exec(path);
  if (silence) return Number(silence[1]) < 0 ? undefined : Number(silence[1]);
  const tone = /^tone_stream:\/\/(.*)$/.exec(path);
  if (tone) {
    const loops = /loops=(-?\d+)/.exec(tone[1] ?? '');
    const count = loops ? Number(loops[1]) : 1;
    if (count < 0) return undefined;
    let total = 0;
    for (const m of (tone[1] ?? '').matchAll(/%\((\d+),(\d+)/g)) total += Number(m[1]) + Number(m[2]);
    return total * Math.max(1, count);
  }
  return fileMs;
}

export function playbackFileType(path: string): string {
  const scheme = /^([a-z_]+):\/\//.exec(path);
  if (scheme) return scheme[1]!;
  const ext = /\.([A-Za-z0-9]+)$/.exec(path);
  return ext ? ext[1]! : 'file';
}

export interface Playing {
  /** What plays: the leg hears it (the media model). */
  readonly path: string;
  /** Stops it early (uuid_break, unhold, hangup): PLAYBACK_STOP with status break. */
  stop(): void;
}

/**
 * Plays a file on a channel: PLAYBACK_START now, PLAYBACK_STOP when done or stopped.
 * `done` is told whether the file played to its end.
 */
export function play(core: SwitchCore, ch: Channel, path: string, done: (completed: boolean) => void): Playing {
  const fileHeaders = (status: string | undefined) => {
    const pairs: Array<[string, string]> = [
      ['Playback-File-Type', playbackFileType(path)],
      ['Playback-File-Path', path],
    ];
    if (status !== undefined) pairs.push(['Playback-Status', status]);
    return HeaderBlock.of(pairs);
  };
  ch.fire('PLAYBACK_START', ORIGIN.playbackStart, { after: [fileHeaders(undefined)] });
  const startedMs = core.clock.now();
  let timer: TimerHandle | undefined;
  let finished = false;
  const end = (completed: boolean) => {
    if (finished) return;
    finished = true;
    core.cancel(timer);
    playing.delete(ch, stopper);
    const ms = Math.max(0, Math.round(core.clock.now() - startedMs));
    ch.vars.setMany([
      ['playback_last_offset_pos', String(ms * 8)],
      ['playback_seconds', String(Math.floor(ms / 1000))],
      ['playback_ms', String(ms)],
      ['playback_samples', String(ms * 8)],
    ]);
    ch.fire('PLAYBACK_STOP', ORIGIN.playbackStop, { after: [fileHeaders(completed ? 'done' : 'break')] });
    done(completed);
  };
  const length = playLength(path);
  if (length !== undefined) timer = core.after(length, () => end(true));
  const stopper: Playing = { path, stop: () => end(false) };
  playing.add(ch, stopper);
  return stopper;
}

/** Everything playing on each channel, so uuid_break and hangup can stop it. */
export const playing = {
  map: new WeakMap<Channel, Set<Playing>>(),
  add(ch: Channel, p: Playing): void {
    let set = this.map.get(ch);
    if (set === undefined) this.map.set(ch, (set = new Set()));
    set.add(p);
  },
  delete(ch: Channel, p: Playing): void {
    this.map.get(ch)?.delete(p);
  },
  /** What the channel is playing now, oldest first. */
  paths(ch: Channel): string[] {
    return [...(this.map.get(ch) ?? [])].map((p) => p.path);
  },
  stopAll(ch: Channel): number {
    const set = this.map.get(ch);
    if (set === undefined) return 0;
    const list = [...set];
    for (const p of list) p.stop();
    return list.length;
  },
};

/** switch_core_session_exec's loop counters, set before CHANNEL_EXECUTE (capture c2). */
export function preparePlayback(ch: Channel): void {
  ch.vars.set('current_loop', '1');
  ch.vars.set('total_loops', '1');
}

/** The playback application (dialplan, IVR prompts, uuid_broadcast). */
export function playbackApp(run: AppRun): void {
  const ch = run.ch;
  const p = play(run.sim.core, ch, run.data, (completed) => {
    const response = completed ? 'FILE PLAYED' : 'PLAYBACK ERROR';
    ch.vars.set('current_application_response', response);
    ch.vars.delete('current_loop');
    ch.vars.delete('total_loops');
    run.complete(response);
  });
  run.hold({ interrupt: () => p.stop() });
}
