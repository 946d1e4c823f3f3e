/**
 * Seed 000's statistics endpoint polled beside the ACD benchmark's calls: once every agent
 * is signed in, each agent's own figures are asked for in turn (the Guid header is its
 * sign-in's token, as a wallboard polling for its agents would send it), at a fixed rate
 * for the seconds the customers arrive, from a process of its own (load-process.ts).
 */
import type { Beside } from '../acd/run.js';
import type { RunningServer } from '../../src/server.js';
import { STATISTICS_PREFIX } from '../../src/api/statistics-plugin.js';
import type { LoadResult } from './load-client.js';
import { loadInProcess } from './load-process.js';

export class StatisticsLoad implements Beside {
  private result: Promise<LoadResult> | undefined;

  constructor(private readonly options: { readonly rate: number; readonly seconds: number; readonly sockets: number }) {}

  async start(server: RunningServer): Promise<void> {
    const requests = [...server.engine.agents.allSessions()].map((s) => ({
      path: `${STATISTICS_PREFIX}${s.profile.agentId}/statistics`,
      headers: { guid: s.guid },
    }));
    if (requests.length === 0) throw new Error('no agent is signed in: the statistics endpoint would only refuse');
    this.result = loadInProcess({ port: server.httpPort, method: 'GET', requests, rate: this.options.rate, seconds: this.options.seconds, sockets: this.options.sockets });
  }

  finished(): Promise<void> {
    return this.figures().then(() => undefined);
  }

  figures(): Promise<LoadResult> {
    if (this.result === undefined) throw new Error('the statistics load was not started');
    return this.result;
  }
}
