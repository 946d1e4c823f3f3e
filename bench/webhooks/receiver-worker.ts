/**
 * The business systems of the benchmark, in a thread of their own (they are not
 * polylink): one HTTP server per target on 127.0.0.1 that answers 200 at once, records
 * when each push's fact happened (X-Polylink-Fact-At) against when it answers, and checks
 * the order of the push ids of each target. It can be taken down (connections refused)
 * and brought back on the same ports.
 */
import http from 'node:http';
import type net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromReceivers, LaneStats, ToReceivers } from './receiver-messages.js';

const lanes: readonly string[] = (workerData as { lanes: string[] }).lanes;
const port = parentPort!;

interface Lane {
  server: http.Server | undefined;
  port: number;
  sockets: Set<net.Socket>;
  delivered: number;
  outOfOrder: number;
  duplicates: number;
  idChanged: number;
  lastId: number;
  seen: Map<number, string>;
  latencies: number[];
}

const state = new Map<string, Lane>(lanes.map((l) => [l, { server: undefined, port: 0, sockets: new Set(), delivered: 0, outOfOrder: 0, duplicates: 0, idChanged: 0, lastId: 0, seen: new Map(), latencies: [] }]));

function listen(lane: Lane): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = Number(req.headers['x-polylink-push-id']);
      const eventId = String(req.headers['x-polylink-event-id']);
      const factAt = Number(req.headers['x-polylink-fact-at']);
      res.writeHead(200).end();
      lane.delivered++;
      const before = lane.seen.get(id);
      if (before !== undefined) {
        lane.duplicates++;
        if (before !== eventId) lane.idChanged++;
      } else {
        lane.seen.set(id, eventId);
        if (id < lane.lastId) lane.outOfOrder++;
        lane.lastId = Math.max(lane.lastId, id);
      }
      lane.latencies.push(Date.now() - factAt);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    lane.sockets.add(s);
    s.on('close', () => lane.sockets.delete(s));
  });
  return new Promise((resolve) => server.listen(lane.port, '127.0.0.1', () => {
    lane.server = server;
    lane.port = (server.address() as net.AddressInfo).port;
    resolve();
  }));
}

async function down(lane: Lane): Promise<void> {
  const server = lane.server;
  lane.server = undefined;
  if (server === undefined) return;
  for (const s of lane.sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
}

port.on('message', (m: ToReceivers) => {
  void (async () => {
    switch (m.type) {
      case 'up':
        for (const lane of state.values()) if (lane.server === undefined) await listen(lane);
        port.postMessage({ type: 'ports', ports: Object.fromEntries([...state].map(([k, v]) => [k, v.port])) } satisfies FromReceivers);
        return;
      case 'down':
        for (const lane of state.values()) await down(lane);
        port.postMessage({ type: 'done' } satisfies FromReceivers);
        return;
      case 'window':
        for (const lane of state.values()) lane.latencies = [];
        port.postMessage({ type: 'done' } satisfies FromReceivers);
        return;
      case 'stats': {
        const out: Record<string, LaneStats> = {};
        for (const [k, v] of state) out[k] = { delivered: v.delivered, outOfOrder: v.outOfOrder, duplicates: v.duplicates, idChanged: v.idChanged, latencies: v.latencies };
        port.postMessage({ type: 'stats', lanes: out } satisfies FromReceivers);
        return;
      }
    }
  })();
});
