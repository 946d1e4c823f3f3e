/**
 * Seed 004 at size: a month of a 500-agent centre generated into the operation log and
 * the CDRs (each agent-day: sign-in, 40 inbound calls — offered, talked, wrap-up, idle —
 * a break, sign-out), then one export of the whole month through the seed004 plugin on a
 * real HTTP port, signed with auth-v2, its callback caught by a local server. Measured:
 * the time from the request to the callback, the process's peak RSS and V8 heap while it
 * builds (against before the request), the zip's size and lines.
 */
import http from 'node:http';
import type net from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config-schema.js';
import { seed004, QUERY_PATH } from '../../src/api/seed004.js';
import { seed004Options } from '../../src/app/outbound-services.js';
import { authorize } from '../../src/exports/auth-v2.js';
import { createLogger } from '../../src/log.js';
import { startServer } from '../../src/server.js';
import { openDatabase } from '../../src/store/database.js';
import { createTimeFormat } from '../../src/time-format.js';
import { buildOrganisation } from '../acd/organisation.js';
import { LogSink } from '../acd/log-sink.js';
import type { WebhookBenchOptions } from './options.js';

const progress = (text: string): void => void process.stderr.write(`[webhooks] ${text}\n`);
const MB = 1024 * 1024;
const ACCOUNT = '30000001';
const APP = { ak: 'bench-app', sk: 'bench-app-secret-0001', accountId: ACCOUNT };
const CALLS_PER_DAY = 40;

export interface ExportResult {
  readonly agents: number;
  readonly days: number;
  readonly operationRows: number;
  readonly cdrRows: number;
  readonly generateSeconds: number;
  readonly answerMs: number;
  readonly secondsToCallback: number;
  readonly lines: number;
  readonly zipMB: number;
  readonly rssBeforeMB: number;
  readonly peakRssMB: number;
  readonly heapBeforeMB: number;
  readonly peakHeapMB: number;
}

/** Writes the month: rows per agent-day, one transaction per day. */
function generate(dbPath: string, agents: readonly { id: string; exten: string; queueNum: string }[], days: number, firstDay: number): { ops: number; cdrs: number } {
  const db = openDatabase(dbPath);
  const op = db.prepare(`INSERT INTO agent_operation_log (account_id, agent_id, operation, old_status, new_status, caused_by, reason, exten, remote, at)
    VALUES ('${ACCOUNT}', ?, ?, ?, ?, ?, NULL, ?, NULL, ?)`);
  const cdr = db.prepare(`INSERT INTO cdr (call_id, account_id, call_type, status, cdr_state, customer_number, agent_id, agent_exten, queue_num, start_time,
      agent_ring_time, agent_answer_time, bridge_time, hangup_time, end_time, ring_seconds, bridge_seconds, total_seconds, hangup_side, created_at)
    VALUES (?, '${ACCOUNT}', 'incoming', 'ANSWER', 'bridged', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 5, ?, ?, 'customer', ?)`);
  let ops = 0;
  let cdrs = 0;
  for (let d = 0; d < days; d++) {
    db.transaction(() => {
      for (const [i, a] of agents.entries()) {
        let t = firstDay + d * 86_400_000 + 8 * 3_600_000 + (i % 600) * 1000;
        const log = (operation: string, from: number, to: number, by: string) => {
          op.run(a.id, operation, from, to, by, a.exten, t);
          ops++;
        };
        log('signin', -1, 0, a.id);
        for (let c = 0; c < CALLS_PER_DAY; c++) {
          t += 300_000;
          log('offer', 0, 1, 'system');
          const start = t - 2000;
          const ring = t;
          t += 5000;
          log('bridge', 1, 2, 'system');
          const bridge = t;
          t += 180_000;
          log('call-end', 2, 4, 'system');
          cdr.run(`${a.id}-${d}-${c}`, `13${String(i * 1000 + c).padStart(9, '0')}`, a.id, a.exten, a.queueNum, start, ring, bridge, bridge, t, t, 180, 187, t);
          cdrs++;
          t += 15_000;
          log('wrap-up-end', 4, 0, 'system');
          if (c === 20) {
            t += 60_000;
            log('status', 0, 6, a.id);
            t += 1_800_000;
            log('status', 6, 0, a.id);
          }
        }
        t += 600_000;
        log('signout', 0, -1, a.id);
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { ops, cdrs };
}

export async function exportPhase(o: WebhookBenchOptions): Promise<ExportResult> {
  const dir = mkdtempSync(join(tmpdir(), 'polylink-bench-export-'));
  try {
    const org = await buildOrganisation(dir, o.exportAgents, Math.max(1, Math.ceil(o.exportAgents / 100)), 0, false);
    const firstDay = Date.parse('2026-10-01T00:00:00+08:00');
    progress(`generating ${o.exportDays} days of ${o.exportAgents} agents…`);
    const began = performance.now();
    const rows = generate(org.dbPath, org.agents, o.exportDays, firstDay);
    const generateSeconds = (performance.now() - began) / 1000;
    progress(`${rows.ops} operation-log rows, ${rows.cdrs} CDRs in ${generateSeconds.toFixed(1)} s`);
    const config: Config = structuredClone(DEFAULT_CONFIG);
    config.log.level = 'warn';
    config.agent = { ...config.agent, host: '127.0.0.1', tcpPort: 0 };
    config.http = { ...config.http, host: '127.0.0.1', port: 0 };
    config.database = { driver: 'sqlite', path: org.dbPath, url: null };
    config.organisation = { importOnEmpty: null };
    config.exports = { ...config.exports, dir: join(dir, 'exports'), apps: [APP], maxPeriodDays: 31 };
    const server = await startServer({ config, log: createLogger('warn', new LogSink()) });
    const callback = { at: 0, body: '' };
    const cbServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        callback.at = performance.now();
        callback.body = body;
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => cbServer.listen(0, '127.0.0.1', () => r()));
    const app = Fastify({ logger: false });
    try {
      await app.register(seed004, seed004Options(server.outbound!, config, server.engine.clock));
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as net.AddressInfo).port;
      const format = createTimeFormat(config.timeZone);
      const body = JSON.stringify({
        request: { version: '2.0' },
        msgBody: { beginTime: format(firstDay), endTime: format(firstDay + o.exportDays * 86_400_000 - 1000), callBackURL: `http://127.0.0.1:${(cbServer.address() as net.AddressInfo).port}/cb` },
      });
      const headers = { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(body)), host: `127.0.0.1:${port}` };
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 50);
      const asked = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}${QUERY_PATH}`, {
        method: 'POST',
        headers: { ...headers, authorization: authorize(APP, { method: 'POST', url: QUERY_PATH, headers, body }, Date.now()) },
        body,
      });
      const answerMs = performance.now() - asked;
      const answer = (await res.json()) as { resultCode: string };
      if (answer.resultCode !== '0') throw new Error(`export refused: ${JSON.stringify(answer)}`);
      while (callback.at === 0) await new Promise((r) => setTimeout(r, 100));
      clearInterval(sampler);
      const msg = (JSON.parse(callback.body) as { msgBody: { fileName: string } }).msgBody;
      const zip = statSync(join(dir, 'exports', msg.fileName)).size;
      const lines = (server.db.prepare('SELECT rows FROM export_jobs').get() as { rows: number }).rows;
      return {
        agents: o.exportAgents,
        days: o.exportDays,
        operationRows: rows.ops,
        cdrRows: rows.cdrs,
        generateSeconds: Number(generateSeconds.toFixed(1)),
        answerMs: Number(answerMs.toFixed(1)),
        secondsToCallback: Number(((callback.at - asked) / 1000).toFixed(1)),
        lines,
        zipMB: Number((zip / MB).toFixed(1)),
        rssBeforeMB: Math.round(before.rss / MB),
        peakRssMB: Math.round(peakRss / MB),
        heapBeforeMB: Math.round(before.heapUsed / MB),
        peakHeapMB: Math.round(peakHeap / MB),
      };
    } finally {
      await app.close();
      cbServer.close();
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
