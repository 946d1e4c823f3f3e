// An organisation imported while the server runs (`polylink import` writes the same SQLite
// file from another process; here a second connection to the file, which SQLite treats
// alike): the server takes it, and a signed-in agent whose own settings changed is told
// to sign in again (seed 002 WarnAgentResigninEvent).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/database.js';
import { importOrganisation } from '../../../src/store/import-organisation.js';
import { parseOrganisationFile, type OrganisationFile } from '../../../src/store/organisation-file.js';
import { TcpAgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { EXAMPLE_ORG, startTestServer, type TestServer } from '../../helpers/test-server.js';

let s: TestServer;
const clients: TcpAgentClient[] = [];
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await s.close();
});

async function agent(id: string): Promise<TcpAgentClient> {
  const c = await TcpAgentClient.connect(s.server.tcpPort);
  clients.push(c);
  expect((await c.signIn(id)).body['retCode']).toBe('0');
  return c;
}

/** What `polylink import FILE` does, from outside the server's own connection. */
async function importFromOutside(edit: (org: OrganisationFile) => void): Promise<void> {
  const org = parseOrganisationFile(readFileSync(EXAMPLE_ORG, 'utf8'));
  edit(org);
  const db = openDatabase(join(s.dir, 'polylink.db'));
  try {
    await importOrganisation(db, org);
  } finally {
    db.close();
  }
}

const warnings = (c: TcpAgentClient) => c.events('WarnAgentResigninEvent').length;

describe('an import while the server runs', () => {
  it('warns the signed-in agents whose own settings changed, and no one else', async () => {
    const changed = await agent('1001');
    const untouched = await agent('1002');
    await importFromOutside((org) => {
      const a = org.agents.find((x) => x.id === '1001')!;
      a.wrapUpSeconds = 99;
      a.name = 'Zhang Wei (team lead)';
    });
    await changed.event('WarnAgentResigninEvent', 0, 5000);
    expect(s.server.engine.services.org.agent('1001')).toMatchObject({ wrapUpSeconds: 99, name: 'Zhang Wei (team lead)' });
    expect(warnings(untouched)).toBe(0);
    // The same file again changes nothing: no one is warned twice.
    await importFromOutside((org) => {
      const a = org.agents.find((x) => x.id === '1001')!;
      a.wrapUpSeconds = 99;
      a.name = 'Zhang Wei (team lead)';
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(warnings(changed)).toBe(1);
    expect(warnings(untouched)).toBe(0);
    // Signing in again takes the new settings.
    await changed.request('signout', '1001');
    const again = await agent('1001');
    expect(s.server.engine.agents.session('1001')?.profile.wrapUpSeconds).toBe(99);
    expect(warnings(again)).toBe(0);
  });

  it('warns an agent that was disabled, and the agent cannot sign in again', async () => {
    const c = await agent('1003');
    await importFromOutside((org) => {
      org.agents.find((x) => x.id === '1003')!.enabled = false;
    });
    await c.event('WarnAgentResigninEvent', 0, 5000);
    await c.request('signout', '1003');
    const next = await TcpAgentClient.connect(s.server.tcpPort);
    clients.push(next);
    expect((await next.signIn('1003')).body['retCode']).toBe('-52');
  });

  it('a change that is not an agent’s own (a queue) reaches the server without warning anyone', async () => {
    const c = await agent('1004');
    await importFromOutside((org) => {
      org.queues.find((q) => q.num === '630')!.name = 'Sales (new)';
    });
    await eventually(() => s.server.engine.services.org.queue('630')?.name === 'Sales (new)', 5000);
    expect(warnings(c)).toBe(0);
  });
});
