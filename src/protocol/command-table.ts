/**
 * The command table: cmdType → its spec. Dispatch checks a request in the order of
 * spec §3 rule 0 (the codec has done -1 … -4): cmdType known (-5), connection signed in
 * (-23), agentID is the connection's (-7), then the command's right (-21) and fields,
 * then its handler. An exception inside a handler answers -2000 and the connection stays.
 */
import type { Clock } from '../clock.js';
import { ErrorCode, reasonOf } from './error-codes.js';
import type { CommandResult, CommandSpec, Services } from './command-types.js';
import type { AgentRequest, AgentResponse } from './message.js';
import { sessionCommands } from './handlers/session-commands.js';
import { statusCommands } from './handlers/status-commands.js';
import { leaveCommands } from './handlers/leave-commands.js';
import { directoryQueries } from './handlers/directory-queries.js';
import { supervisorCommands } from './handlers/supervisor-commands.js';
import { callCommands } from './handlers/call-commands.js';
import { monitoringQueries } from './handlers/monitoring-queries.js';

export function buildCommandTable(specs: readonly CommandSpec[]): ReadonlyMap<string, CommandSpec> {
  const table = new Map<string, CommandSpec>();
  for (const spec of specs) {
    if (table.has(spec.cmdType)) throw new Error(`cmdType ${spec.cmdType} defined twice`);
    table.set(spec.cmdType, spec);
  }
  return table;
}

export const COMMANDS: ReadonlyMap<string, CommandSpec> = buildCommandTable([
  ...sessionCommands,
  ...statusCommands,
  ...leaveCommands,
  ...directoryQueries,
  ...callCommands,
  ...monitoringQueries,
  ...supervisorCommands,
]);

export interface Caller {
  /** The agent this connection is signed in as, if any. */
  readonly signedInAs: string | undefined;
  readonly connectionId: string;
  readonly remote: string | null;
  /** The peer's address as the per-address limits count it. */
  readonly address: string;
}

export interface Dispatched {
  readonly response: AgentResponse;
  readonly result: CommandResult;
}

export async function dispatch(
  table: ReadonlyMap<string, CommandSpec>,
  req: AgentRequest,
  caller: Caller,
  services: Services,
  clock: Clock,
  onError: (err: unknown) => void,
): Promise<Dispatched> {
  const answer = (res: CommandResult): Dispatched => ({
    response: { cmdType: req.cmdType, agentID: req.agentID, seq: req.seq, retCode: res.code, reason: reasonOf(res.code), ...(res.extra ? { extra: res.extra } : {}) },
    result: res,
  });
  const spec = table.get(req.cmdType);
  if (spec === undefined) return answer({ code: ErrorCode.CMDTYPE_UNKNOWN });
  if (caller.signedInAs === undefined && spec.beforeSignin !== true) return answer({ code: ErrorCode.NOT_SIGNED_IN });
  if (caller.signedInAs !== undefined && req.agentID !== caller.signedInAs) return answer({ code: ErrorCode.AGENTID_MISMATCH });
  if (spec.right !== undefined && !services.org.hasRight(req.agentID, spec.right)) return answer({ code: ErrorCode.NO_RIGHT });
  for (const field of spec.fields) {
    const value = req.fields[field.name];
    if (req.nonText.has(field.name)) return answer({ code: ErrorCode.BAD_PARAMETER });
    if (value === undefined || value === '') {
      if (field.required) return answer({ code: field.emptyCode ?? ErrorCode.BAD_PARAMETER });
      continue;
    }
    const code = field.check?.(value) ?? 0;
    if (code !== 0) return answer({ code });
  }
  try {
    // `now` is read when used: a handler that awaits (scrypt) must not act on a stale time.
    const ctx = {
      agentId: req.agentID,
      connectionId: caller.connectionId,
      remote: caller.remote,
      address: caller.address,
      services,
      get now() {
        return clock.now();
      },
    };
    const res = await spec.handler(ctx, req);
    return answer(res);
  } catch (err) {
    onError(err);
    return answer({ code: ErrorCode.SYSTEM_ERROR });
  }
}
