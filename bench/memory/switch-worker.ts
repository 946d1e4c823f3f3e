/**
 * Worker thread: the switch. The simulator as `polylink simulator` runs it
 * (src/cli/simulator-command.ts: furnished from the organisation in the database, a
 * microsecond wall clock), in a thread of its own so that its channels do not sit in
 * polylink's heap: polylink reaches it over ESL on loopback as it reaches FreeSWITCH.
 * The benchmark sets the phones and places and hangs up the customers through it.
 */
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_CONFIG } from '../../src/config/config-schema.js';
import { Organisation } from '../../src/core/organisation.js';
import { createLogger } from '../../src/log.js';
import { simulatorSetupOf } from '../../src/app/simulator-setup.js';
import { wallMicroseconds } from '../../src/simulator/core/wall-clock.js';
import type { CustomerCall } from '../../src/simulator/customers/customer-call.js';
import { furnish } from '../../src/simulator/furnish.js';
import { SwitchSimulator } from '../../src/simulator/switch-simulator.js';
import { openDatabase } from '../../src/store/database.js';
import { loadOrganisation } from '../../src/store/organisation-repo.js';
import type { SwitchSetup, ToSwitch } from './messages.js';
import { serve } from './worker-handle.js';

const setup = workerData as SwitchSetup;
const db = openDatabase(setup.dbPath);
const org = new Organisation(loadOrganisation(db));
db.close();
const sim = new SwitchSimulator({ host: '127.0.0.1', port: 0, password: setup.password, maxSessions: setup.maxSessions, microseconds: wallMicroseconds, logger: createLogger('warn') });
furnish(sim, simulatorSetupOf(org), DEFAULT_CONFIG.simulator);
const eslPort = await sim.start();

const live = new Set<CustomerCall>();
let placed = 0;

serve<ToSwitch>(parentPort!, async (m) => {
  switch (m.op) {
    case 'phones':
      for (const exten of m.extens) sim.setPhoneBehaviour(exten, { kind: 'answer', afterMs: m.answerAfterMs });
      return undefined;
    case 'place':
      for (let i = 0; i < m.count; i++) {
        const n = placed++;
        const call = sim.placeCall({ uuid: randomUUID(), from: `${m.callerPrefix}${String(n).padStart(7, '0')}`, to: m.accessNumbers[n % m.accessNumbers.length]! });
        live.add(call);
        void call.ended.then(() => live.delete(call));
      }
      return undefined;
    case 'hangup-all': {
      const calls = [...live];
      for (const c of calls) c.hangup();
      await Promise.all(calls.map((c) => c.ended));
      return calls.length;
    }
    case 'stop':
      await sim.stop();
      return undefined;
  }
});
parentPort!.postMessage({ id: 0, value: eslPort });
