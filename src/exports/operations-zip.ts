/**
 * Builds `yyyyMMdd_{responseId}.zip`: the agent operation details of a period as CSV
 * parts (`<yyyyMMddHHmmssSSS><3 random digits>_agentOprInfo_<n>.csv`, at most `rowsPerFile`
 * lines each), streamed: the operation log and the CDRs are read a page at a time (keyset
 * pages), each page turned into CSV and handed to yazl, which deflates it into the file as
 * it is written. Reading waits while the file's writes are behind (stream backpressure),
 * and yields to the event loop between pages, so calls are not held up and a month of a
 * large centre never sits in memory.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import yazl from 'yazl';
import type { CallRow, ExportFilter, OperationRow } from '../store/export-store.js';
import type { TimeFormat } from '../time-format.js';
import { OperationLines } from './operation-rows.js';

/** What the builder reads (the engine's store implements it). */
export interface OperationReads {
  operations(filter: ExportFilter, after: { agentId: string; at: number; id: number }, limit: number): OperationRow[];
  nextOperationAt(agentId: string, at: number): number | undefined;
  calls(filter: ExportFilter, after: { startTime: number; callId: string }, limit: number): CallRow[];
}

export interface BuildOptions {
  readonly reads: OperationReads;
  readonly filter: ExportFilter;
  /** developer_id of every line: the app key that asked. */
  readonly developerId: string;
  readonly formatTime: TimeFormat;
  /** The zip's path; it is written as <path>.part and renamed when complete. */
  readonly path: string;
  readonly rowsPerFile: number;
  readonly pageSize?: number;
  readonly now: () => number;
  readonly random?: () => number;
}

/** Writes the zip; resolves with the number of CSV lines. */
export async function buildOperationsZip(o: BuildOptions): Promise<number> {
  const part = `${o.path}.part`;
  const zip = new yazl.ZipFile();
  const out = createWriteStream(part);
  const written = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
    zip.outputStream.on('error', reject);
  });
  zip.outputStream.pipe(out);
  const source = pages(o)[Symbol.asyncIterator]();
  let pending: string[] = [];
  let exhausted = false;
  let total = 0;
  let n = 0;
  try {
    do {
      n++;
      const name = `${partStamp(o.formatTime, o.now(), o.random ?? Math.random)}_agentOprInfo_${n}.csv`;
      // Each part takes lines from the shared source until it holds rowsPerFile of them.
      const body = Readable.from(
        (async function* () {
          let rows = 0;
          while (rows < o.rowsPerFile) {
            if (pending.length === 0) {
              const next = await source.next();
              if (next.done === true) {
                exhausted = true;
                return;
              }
              pending = next.value;
            }
            const take = pending.splice(0, o.rowsPerFile - rows);
            rows += take.length;
            total += take.length;
            if (take.length > 0) yield take.join('');
          }
          // Full: is there more for another part?
          if (pending.length === 0) {
            const next = await source.next();
            if (next.done === true) exhausted = true;
            else pending = next.value;
          }
        })(),
        { objectMode: false },
      );
      const ended = new Promise<void>((resolve, reject) => {
        body.on('end', resolve);
        body.on('error', reject);
      });
      zip.addReadStream(body, name, { mtime: new Date(o.now()) });
      await ended;
    } while (!exhausted);
    zip.end();
    await written;
    await rename(part, o.path);
    return total;
  } catch (err) {
    out.destroy();
    await rm(part, { force: true });
    throw err;
  }
}

/** yyyyMMddHHmmssSSS and three random digits. */
function partStamp(formatTime: TimeFormat, now: number, random: () => number): string {
  const t = formatTime(now).replace(/[- :]/g, '');
  return `${t}${String(now % 1000).padStart(3, '0')}${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
}

/** The lines of the period, a page at a time: the operation log by agent and time, then the calls by time. */
async function* pages(o: BuildOptions): AsyncGenerator<string[]> {
  const size = o.pageSize ?? 1000;
  const lines = new OperationLines(o.developerId, o.formatTime);
  // One agent's rows arrive in order; a row's end is the agent's next change, so each row
  // waits for the next one of its agent (or, for its last in the period, a look past it).
  let held: OperationRow | undefined;
  let logonSn = '';
  let after = { agentId: '', at: 0, id: 0 };
  const flush = (row: OperationRow, nextAt: number | undefined): string => {
    const text = lines.ofOperation(row, nextAt, row.operation === 'signin' ? String(row.id) : logonSn);
    if (row.operation === 'signin') logonSn = String(row.id);
    if (row.operation === 'signout') logonSn = '';
    return text;
  };
  for (;;) {
    const rows = o.reads.operations(o.filter, after, size);
    if (rows.length === 0) break;
    const out: string[] = [];
    for (const row of rows) {
      if (held !== undefined && held.agentId !== row.agentId) {
        out.push(flush(held, o.reads.nextOperationAt(held.agentId, held.at)));
        held = undefined;
        logonSn = '';
      }
      if (!OperationLines.changesState(row)) continue;
      if (held !== undefined) out.push(flush(held, row.at));
      held = row;
    }
    const last = rows.at(-1)!;
    after = { agentId: last.agentId, at: last.at, id: last.id };
    yield out.filter((l) => l !== '');
    await yieldToLoop();
  }
  if (held !== undefined) yield [flush(held, o.reads.nextOperationAt(held.agentId, held.at))].filter((l) => l !== '');
  let afterCall = { startTime: 0, callId: '' };
  for (;;) {
    const rows = o.reads.calls(o.filter, afterCall, size);
    if (rows.length === 0) break;
    yield rows.filter((r) => r.bridgeTime !== null).map((r) => lines.ofCall(r));
    const last = rows.at(-1)!;
    afterCall = { startTime: last.startTime, callId: last.callId };
    await yieldToLoop();
  }
}
