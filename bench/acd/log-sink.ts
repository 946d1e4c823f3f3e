/**
 * polylink's log during the benchmark: warnings and errors only, counted by message
 * (a bug under load usually shows here first: "effect failed", "consumer is behind" …).
 */
import { Writable } from 'node:stream';

export class LogSink extends Writable {
  readonly counts = new Map<string, number>();

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      let key: string;
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; module?: string };
        const level = entry.level === undefined ? '?' : entry.level >= 50 ? 'error' : entry.level >= 40 ? 'warn' : 'info';
        key = `${level} [${entry.module ?? '-'}] ${entry.msg ?? ''}`;
      } catch {
        key = `unparsed: ${line.slice(0, 120)}`;
      }
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
    done();
  }
}
