/**
 * The HTTP load generator, run as a process of its own (child_process.fork) so that on a
 * 2-core machine it competes with polylink for the CPU as a business system on another
 * host would not share its thread: an open loop that sends requests at a fixed rate
 * whatever the answers do (a slow server does not slow the load down), over keep-alive
 * connections, and times each one from the moment it is written to the moment its
 * answer has been read, with the process's high-resolution clock (sub-millisecond: the
 * target is a p99 under 5 ms). It is told its job over IPC and answers with its figures.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadJob {
  readonly port: number;
  readonly method: 'GET' | 'POST';
  /** Sent in turn. */
  readonly requests: ReadonlyArray<{ readonly path: string; readonly headers: Readonly<Record<string, string>>; readonly body?: string; readonly tag?: string }>;
  readonly rate: number;
  readonly seconds: number;
  readonly sockets: number;
}

export interface LoadResult {
  readonly sent: number;
  readonly answered: number;
  readonly failed: number;
  readonly statuses: Record<string, number>;
  /** Written → answer read, ms, each request. */
  readonly latencies: number[];
  /** How late each request left against its schedule, ms (the generator's own lag). */
  readonly lateness: number[];
  /** When each tagged request was written: ms since the epoch (performance.timeOrigin + now). */
  readonly sentAt: Array<{ readonly tag: string; readonly at: number }>;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

const TICK_MS = 2;

async function run(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.sockets });
  const latencies: number[] = [];
  const lateness: number[] = [];
  const sentAt: Array<{ tag: string; at: number }> = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let answered = 0;
  let failed = 0;
  const total = Math.round(job.rate * job.seconds);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let outstanding = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));

  const send = (i: number): void => {
    const r = job.requests[i % job.requests.length]!;
    const scheduled = start + (i * 1000) / job.rate;
    outstanding++;
    const req = http.request({ host: '127.0.0.1', port: job.port, method: job.method, path: r.path, headers: r.headers, agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        latencies.push(performance.now() - written);
        statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
        answered++;
        finish();
      });
    });
    req.on('error', () => {
      failed++;
      finish();
    });
    const written = performance.now();
    lateness.push(written - scheduled);
    if (r.tag !== undefined) sentAt.push({ tag: r.tag, at: performance.timeOrigin + written });
    req.end(r.body);
    sent++;
  };
  const finish = (): void => {
    outstanding--;
    if (sent === total && outstanding === 0) resolveDone();
  };

  await new Promise<void>((resolve) => {
    let next = 0;
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * job.rate) / 1000) + 1);
      while (next < due) send(next++);
      if (next >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  await done;
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  return { sent, answered, failed, statuses, latencies, lateness, sentAt, seconds: (performance.now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

process.once('message', (job: LoadJob) => {
  void run(job).then((result) => process.send!(result, () => process.exit(0)));
});
