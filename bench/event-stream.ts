/**
 * A realistic event stream for the parse benchmark: every channel event of the real
 * captures with 70–120 headers and at least 3 KB of body becomes a template; the
 * stream cycles through them, giving each event a fresh channel uuid (everywhere
 * the template's uuid appeared), its own Event-Sequence and timestamp, and varied
 * caller numbers, then encodes it as FreeSWITCH does (`text/event-json`: one JSON
 * object, no trailing newline; `text/event-plain`: URL-encoded lines).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeFrame } from '../src/esl/event.js';
import { EslFramer } from '../src/esl/framer.js';
import { repositoryRoot } from './results-file.js';

export type Format = 'json' | 'plain';

export interface EventStream {
  readonly format: Format;
  readonly bytes: Buffer;
  readonly count: number;
  /** Unique-ID of the event with Event-Sequence i + 1. */
  readonly uuids: ReadonlyArray<string>;
  readonly averageHeaders: number;
}

type Headers = Record<string, string>;

/** The captures live next to the repository: ../shared/fixtures/esl (or ESL_CAPTURE_DIR). */
export function captureDir(): string {
  if (process.env['ESL_CAPTURE_DIR']) return process.env['ESL_CAPTURE_DIR'];
  return resolve(repositoryRoot(), '..', 'shared', 'fixtures', 'esl');
}

export function loadTemplates(): Headers[] {
  const dir = captureDir();
  const templates: Headers[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.raw')).sort()) {
    for (const frame of new EslFramer().pushAll(readFileSync(join(dir, file)))) {
      if (frame.headers['Content-Type'] !== 'text/event-plain') continue;
      const message = decodeFrame(frame);
      if (message.kind !== 'event' || message.event.body !== undefined) continue;
      const headers = { ...message.event.headers };
      const count = Object.keys(headers).length;
      if (count >= 70 && count <= 120 && (frame.body?.length ?? 0) >= 3_000 && headers['Unique-ID']) templates.push(headers);
    }
  }
  if (templates.length === 0) throw new Error(`no templates found in ${dir}`);
  return templates;
}

export function buildStream(format: Format, count: number, templates: ReadonlyArray<Headers>, seed = 1): EventStream {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const chunks: Buffer[] = [];
  const uuids: string[] = [];
  let headerTotal = 0;
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length]!;
    const oldUuid = template['Unique-ID']!;
    const uuid = randomUUID();
    const caller = String(13_000_000_000 + Math.floor(random() * 999_999_999));
    const headers: Headers = {};
    for (const [name, value] of Object.entries(template)) {
      headers[name] = value.includes(oldUuid) ? value.split(oldUuid).join(uuid) : value;
    }
    headers['Event-Sequence'] = String(i + 1);
    headers['Event-Date-Timestamp'] = String(1_795_246_233_822_617 + i * 50_000);
    if (headers['Caller-Caller-ID-Number'] !== undefined) headers['Caller-Caller-ID-Number'] = caller;
    if (headers['Caller-ANI'] !== undefined) headers['Caller-ANI'] = caller;
    if (headers['variable_sip_call_id'] !== undefined) headers['variable_sip_call_id'] = `${Math.floor(random() * 1e9)}-${i}@10.0.0.8`;
    uuids.push(uuid);
    headerTotal += Object.keys(headers).length;
    chunks.push(format === 'json' ? jsonFrame(headers) : plainFrame(headers));
  }
  return { format, bytes: Buffer.concat(chunks), count, uuids, averageHeaders: headerTotal / count };
}

function jsonFrame(headers: Headers): Buffer {
  const body = Buffer.from(JSON.stringify(headers), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\nContent-Type: text/event-json\n\n`), body]);
}

function plainFrame(headers: Headers): Buffer {
  let text = '';
  for (const [name, value] of Object.entries(headers)) text += `${name}: ${encodeURIComponent(value).replace(/%2F/g, '/')}\n`;
  const body = Buffer.from(`${text}\n`, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\nContent-Type: text/event-plain\n\n`), body]);
}
