/**
 * mod_local_stream's sources: the named streams `local_stream://NAME` plays, each a
 * directory of files at one rate. A stream whose directory cannot be opened is dropped
 * from the table when its thread starts (read_stream_thread: "Can't open directory",
 * then done:), so a switch without the music files has no `moh` at all — what polylink
 * looks for at start. `stop` keeps a stream listed but not playable (get_source refuses a
 * stopped source), `start` revives it.
 */

export interface LocalStream {
  readonly name: string;
  /** The directory of its files. */
  readonly location: string;
  readonly rate: number;
  readonly channels: number;
  /** Milliseconds per frame (the `interval` param). */
  readonly interval: number;
  readonly shuffle: boolean;
  readonly timerName: string;
}

/** What freeswitch-conf/autoload_configs/local_stream.conf.xml defines, with conf_dir /etc/freeswitch. */
export const DEFAULT_LOCAL_STREAMS: readonly LocalStream[] = ['moh', 'default'].map((name) => ({
  name,
  location: '/etc/freeswitch/music/8000',
  rate: 8000,
  channels: 1,
  interval: 20,
  shuffle: false,
  timerName: 'soft',
}));

export class LocalStreams {
  private readonly streams = new Map<string, { stream: LocalStream; stopped: boolean }>();

  constructor(streams: readonly LocalStream[] = DEFAULT_LOCAL_STREAMS) {
    for (const s of streams) this.add(s);
  }

  /** A stream as the configuration defines it (a directory that exists). */
  add(stream: LocalStream): void {
    this.streams.set(stream.name, { stream, stopped: false });
  }

  /** The stream is gone, as one whose directory could not be opened. */
  remove(name: string): boolean {
    return this.streams.delete(name);
  }

  /** Every source in the table, stopped ones included (the `show` listing). */
  listed(): LocalStream[] {
    return [...this.streams.values()].map((s) => s.stream);
  }

  /** A source that can be played (get_source: known and not stopped). */
  playable(name: string): LocalStream | undefined {
    const entry = this.streams.get(name);
    return entry === undefined || entry.stopped ? undefined : entry.stream;
  }

  setStopped(name: string, stopped: boolean): boolean {
    const entry = this.streams.get(name);
    if (entry === undefined) return false;
    entry.stopped = stopped;
    return true;
  }
}
