/** The real FreeSWITCH 1.10 captures in ../shared/fixtures/esl, and their frame summaries. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const CAPTURE_DIR = resolve(here, '..', '..', '..', 'shared', 'fixtures', 'esl');

export interface SummaryLine {
  offset: number;
  /** `EVENT` lines: the event name; other lines: the content type. */
  kind: 'event' | 'frame';
  name: string;
  /** `Event-Subclass=` of CUSTOM events. */
  subclass: string | undefined;
}

export function captureNames(): string[] {
  return readdirSync(CAPTURE_DIR)
    .filter((f) => f.endsWith('.raw'))
    .map((f) => f.slice(0, -'.raw'.length))
    .sort();
}

export function readCapture(name: string): Buffer {
  return readFileSync(join(CAPTURE_DIR, `${name}.raw`));
}

export function readSummary(name: string): SummaryLine[] {
  const lines = readFileSync(join(CAPTURE_DIR, `${name}.summary.txt`), 'utf8').split('\n');
  const out: SummaryLine[] = [];
  for (const line of lines) {
    const m = /^\s*(\d+) (\S+)(?: (\S+))?(.*)$/.exec(line);
    if (!m) continue;
    const offset = Number(m[1]);
    if (m[2] === 'EVENT') {
      const sub = /Event-Subclass=(\S+)/.exec(m[4] ?? '');
      out.push({ offset, kind: 'event', name: m[3] ?? '', subclass: sub?.[1] });
    } else {
      out.push({ offset, kind: 'frame', name: m[2] ?? '', subclass: undefined });
    }
  }
  return out;
}
