/** A simulator on port 0 with a ManualClock, and an authenticated client subscribed to everything. */
import { ManualClock } from '../../src/clock.js';
import { SwitchSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { EslTestClient } from './esl-test-client.js';

export interface Fixture {
  readonly sim: SwitchSimulator;
  readonly clock: ManualClock;
  readonly client: EslTestClient;
  /** Moves simulated time, then lets the sockets deliver. */
  tick(ms: number): Promise<void>;
  /** A second authenticated connection. */
  connect(): Promise<EslTestClient>;
  stop(): Promise<void>;
}

export async function startFixture(options: SimulatorOptions = {}, subscribe = 'event plain ALL'): Promise<Fixture> {
  const clock = new ManualClock();
  const sim = new SwitchSimulator({ port: 0, clock, heartbeatMs: 0, ...options });
  const port = await sim.start();
  const clients: EslTestClient[] = [];
  const connect = async () => {
    const c = await EslTestClient.authed(port);
    clients.push(c);
    return c;
  };
  const client = await connect();
  if (subscribe !== '') await client.command(subscribe);
  return {
    sim,
    clock,
    client,
    connect,
    async tick(ms) {
      clock.advance(ms);
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    },
    async stop() {
      for (const c of clients) c.close();
      await sim.stop();
    },
  };
}

/** A customer parked on access number 4000 and answered, with extension 1001 registered (its phone answers after 100 ms). */
export async function answeredCustomer(f: Fixture): Promise<string> {
  const { sim, client: c } = f;
  sim.addAccessNumber('4000');
  sim.addUser('1001');
  sim.register('1001');
  sim.setPhoneBehaviour('1001', { kind: 'answer', afterMs: 100 });
  const customer = sim.placeCall({ from: '+4930123', to: '4000' });
  await c.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === customer.uuid);
  await c.api(`uuid_answer ${customer.uuid}`);
  return customer.uuid;
}

/** An agent leg originated to a registered extension and bridged to a customer parked on an access number. */
export async function bridgedCall(f: Fixture, options: { customerVars?: string; agentVars?: string } = {}): Promise<{ customer: string; agent: string }> {
  const { client: c, tick } = f;
  const customer = await answeredCustomer(f);
  if (options.customerVars !== undefined) {
    for (const pair of options.customerVars.split(',')) {
      const [k = '', v = ''] = pair.split('=');
      await c.api(`uuid_setvar ${customer} ${k} ${v}`);
    }
  }
  const agent = '6a0b4e2c-0000-4000-8000-000000000001';
  const vars = [`origination_uuid=${agent}`, 'origination_caller_id_number=4000', 'origination_caller_id_name=Queue', ...(options.agentVars ? [options.agentVars] : [])];
  await c.command(`bgapi originate {${vars.join(',')}}user/1001 &park()\nJob-UUID: job-bridge`);
  await tick(100);
  await c.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === agent);
  await c.api(`uuid_bridge ${customer} ${agent}`);
  return { customer, agent };
}
