/** A supervisor's leg on the simulator, originated with polylink's own builder (src/esl/commands.ts). */
import * as cmd from '../../src/esl/commands.js';
import type { Fixture } from './sim-fixture.js';

export const SUPERVISOR_CALL = '0ff4f46d-a87c-4a2b-8cc5-1d871fca259f';

/** The text of a built command; a refusal fails the test. */
export function commandText(built: cmd.Built): string {
  if (!built.ok) throw new Error(`refused: ${JSON.stringify(built.error)}`);
  return built.value.text;
}

/** Extension `ext` registers (its phone answers at once unless told otherwise) and is rung with a leg running `application`. */
export async function originateSupervisor(
  f: Fixture,
  leg: { uuid: string; ext: string; application: cmd.OriginateApplication; rewrite?: (text: string) => string },
): Promise<void> {
  f.sim.addUser(leg.ext);
  f.sim.register(leg.ext);
  const text = commandText(
    cmd.originate({
      uuid: leg.uuid,
      endpoint: { kind: 'user', extension: leg.ext },
      application: leg.application,
      callerIdNumber: '4930123',
      callerIdName: 'Supervisor',
      timeoutSeconds: 30,
      call: SUPERVISOR_CALL,
      leg: leg.application.kind === 'eavesdrop' ? 'monitor' : 'agent',
      agent: leg.ext,
    }),
  );
  await f.client.command(`bgapi ${(leg.rewrite ?? ((t) => t))(text)}`);
  await f.tick(0);
}
