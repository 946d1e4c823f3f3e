/**
 * A test server on a ManualClock for abuse tests, with one agent (1010) signed in over
 * TCP before the abuse starts: it must keep being answered throughout.
 */
import { expect } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { TcpAgentClient } from './agent-client.js';
import { startTestServer, type TestServer } from './test-server.js';

export interface AbuseServer {
  readonly s: TestServer;
  readonly clock: ManualClock;
  readonly bystander: TcpAgentClient;
  /** The bystander's heartbeat is answered 0. */
  bystanderIsFine(): Promise<void>;
  close(): Promise<void>;
}

export async function startAbuseServer(): Promise<AbuseServer> {
  const clock = new ManualClock();
  const s = await startTestServer({ clock });
  const bystander = await TcpAgentClient.connect(s.server.tcpPort);
  await bystander.signIn('1010');
  return {
    s,
    clock,
    bystander,
    async bystanderIsFine() {
      expect((await bystander.request('heartbeat', '1010')).body['retCode']).toBe('0');
    },
    async close() {
      bystander.close();
      await s.close();
    },
  };
}
