/**
 * What the tests of polylink as a child process share: one build per test file, the
 * polylink processes and agent bars a test started — all ended after each test, also
 * when it failed — and a bar signed in in one call.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { TcpAgentClient, type AgentClient } from './agent-client.js';
import { type Build, buildPolylink, type PolylinkProcess, type RunningPolylink, startPolylink } from './polylink-process.js';

export interface ProcessKit {
  /** The file's build (after beforeAll). */
  build(): Build;
  /** `polylink start` on `databasePath` (startPolylink), ended after the test. */
  start(databasePath: string, env?: Record<string, string>): Promise<RunningPolylink>;
  /** Any other process of the test (a simulator of its own …), ended after it. */
  track<T extends { readonly process: PolylinkProcess }>(started: T): T;
  /** A TCP bar signed in as `agentId` (its password `<id>pw`, its extension `<id + 7000>`). */
  bar(port: number, agentId: string): Promise<TcpAgentClient>;
  /** A bar of the test's own making, closed after it. */
  client<T extends AgentClient>(c: T): T;
}

/** Call at the top level of a test file. */
export function processKit(): ProcessKit {
  let build: Build | undefined;
  const processes: PolylinkProcess[] = [];
  const clients: AgentClient[] = [];
  beforeAll(async () => {
    build = await buildPolylink();
  }, 90_000);
  afterAll(() => build?.remove());
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const p of processes.splice(0)) {
      p.kill();
      await p.exited;
    }
  });
  const kit: ProcessKit = {
    build: () => {
      if (build === undefined) throw new Error('no build yet: processKit() builds in beforeAll');
      return build;
    },
    async start(databasePath, env = {}) {
      return kit.track(await startPolylink(kit.build(), databasePath, env));
    },
    track(started) {
      processes.push(started.process);
      return started;
    },
    async bar(port, agentId) {
      const c = kit.client(await TcpAgentClient.connect(port));
      expect(String((await c.signIn(agentId)).body['retCode'])).toBe('0');
      return c;
    },
    client(c) {
      clients.push(c);
      return c;
    },
  };
  return kit;
}
