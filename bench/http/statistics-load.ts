/**
 * Seed 000's statistics endpoint polled beside the calls of bench/load's harness: once
 * every agent is signed in (by the bars' process), each agent's own figures are asked for
 * in turn — the Guid header is that agent's session token, as a wallboard polling for
 * its agents would send it — at a fixed rate for the seconds the customers arrive, from
 * a process of its own (load-process.ts). polylink runs in a process of its own too.
 */
import type { Stage } from '../load/stage.js';
import type { Beside } from '../load/run-calls.js';
import { STATISTICS_PREFIX } from '../../src/api/statistics-plugin.js';
import type { LoadResult } from './load-client.js';
import { loadInProcess } from './load-process.js';

export class StatisticsLoad implements Beside {
  private result: Promise<LoadResult> | undefined;

  constructor(private readonly options: { readonly rate: number; readonly seconds: number; readonly sockets: number }) {}

  async start(stage: Stage): Promise<void> {
    const { tokens } = await stage.bars.command<'tokens'>({ type: 'tokens' });
    const requests = Object.entries(tokens).map(([agentId, guid]) => ({ path: `${STATISTICS_PREFIX}${agentId}/statistics`, headers: { guid } }));
    if (requests.length === 0) throw new Error('no agent is signed in: the statistics endpoint would only refuse');
    this.result = loadInProcess({ port: stage.ports.http, method: 'GET', requests, rate: this.options.rate, seconds: this.options.seconds, sockets: this.options.sockets });
  }

  finished(): Promise<void> {
    return this.figures().then(() => undefined);
  }

  figures(): Promise<LoadResult> {
    if (this.result === undefined) throw new Error('the statistics load was not started');
    return this.result;
  }
}
