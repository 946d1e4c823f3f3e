/** A pino logger that keeps its JSON lines in memory, so tests can read what was logged. */
import { createLogger, type Logger } from '../../src/log.js';

export interface CapturedLog {
  readonly log: Logger;
  readonly lines: string[];
  /** Parsed entries whose `msg` equals `message`. */
  entries(message: string): Array<Record<string, unknown>>;
}

export function captureLog(level: 'debug' | 'info' | 'warn' = 'debug'): CapturedLog {
  const lines: string[] = [];
  const log = createLogger(level, { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream);
  return {
    log,
    lines,
    entries: (message) =>
      lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((entry) => entry['msg'] === message),
  };
}
