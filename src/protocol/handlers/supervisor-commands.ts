/**
 * The supervisor's call commands of seed 002 (spec §4 "Supervisor"): listen, whisper,
 * bargein, forcehangup and rop, each a core input (`supervise`) about the agent named by
 * the seed's field (`destAgentID` or `strAgentID`), each needing its own right of the
 * supervisor's role. The response says whether the command was accepted; its events
 * (the ring event, EavesdropEvent / WhisperEvent / BargeinEvent, ForceHangupEvent,
 * CallInEvent and BridgeEvent) follow as the switch carries it out.
 */
import type { SupervisorAction } from '../../core/inputs.js';
import type { Right } from '../../core/rights.js';
import { type CommandSpec, result } from '../command-types.js';

const SUPERVISOR_COMMANDS: ReadonlyArray<{ cmdType: SupervisorAction; seed: string; field: 'destAgentID' | 'strAgentID'; right: Right }> = [
  { cmdType: 'listen', seed: 'DoListen', field: 'destAgentID', right: 'listen' },
  { cmdType: 'whisper', seed: 'DoWhisper', field: 'destAgentID', right: 'whisper' },
  { cmdType: 'bargein', seed: 'DoBargein', field: 'strAgentID', right: 'bargein' },
  { cmdType: 'forcehangup', seed: 'DoForceHangup', field: 'strAgentID', right: 'forcehangup' },
  { cmdType: 'rop', seed: 'Rop', field: 'destAgentID', right: 'intercept' },
];

export const supervisorCommands: CommandSpec[] = SUPERVISOR_COMMANDS.map(({ cmdType, seed, field, right }) => ({
  cmdType,
  seed,
  right,
  fields: [{ name: field, required: true }],
  handler(ctx, req) {
    const step = ctx.services.core.handle({ type: 'supervise', agentId: ctx.agentId, target: req.fields[field]!, action: cmdType }, ctx.now);
    return result(step.code, { effects: step.effects });
  },
}));
