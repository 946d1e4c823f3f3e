/** signin, signout, heartbeat, changepassword (seed 002: DoSignIn, DoSignOut, DoHeartBeat; error -84), and polylink's unlockagent. */
import { ErrorCode } from '../error-codes.js';
import { type CommandSpec, result } from '../command-types.js';
import { NUMBER_ID, PHONE_NUMBER, parseBool } from '../values.js';
import { parseStatus } from '../../core/agent-status.js';

const checkBool = (invalid: number) => (v: string) => (parseBool(v) === undefined ? invalid : 0);

export const sessionCommands: CommandSpec[] = [
  {
    cmdType: 'signin',
    seed: 'DoSignIn',
    beforeSignin: true,
    fields: [
      { name: 'agentPwd', required: true, emptyCode: ErrorCode.AGENTPWD_EMPTY },
      { name: 'bindExten', required: true, emptyCode: ErrorCode.BINDEXTEN_INVALID, check: checkBool(ErrorCode.BINDEXTEN_INVALID) },
      { name: 'agentExten', required: false },
      { name: 'initStatus', required: true, emptyCode: ErrorCode.INITSTATUS_EMPTY, check: (v) => (parseStatus(v) === undefined ? ErrorCode.INITSTATUS_INVALID : 0) },
      { name: 'extenIsOutbound', required: false, check: checkBool(ErrorCode.BAD_PARAMETER) },
    ],
    async handler(ctx, req) {
      const f = req.fields;
      const bindExten = parseBool(f['bindExten']!)!;
      const extenIsOutbound = parseBool(f['extenIsOutbound'] ?? 'no') ?? false;
      const exten = bindExten ? (f['agentExten'] ?? '') : '';
      if (bindExten && exten === '') return result(ErrorCode.AGENTEXTEN_EMPTY);
      if (bindExten && !(extenIsOutbound ? PHONE_NUMBER : NUMBER_ID).test(exten)) return result(ErrorCode.BAD_PARAMETER);
      const { org, core, passwords, signin, signinTurns } = ctx.services;
      const request = {
        agentId: ctx.agentId,
        connectionId: ctx.connectionId,
        bindExten,
        exten: bindExten ? exten : null,
        extenIsOutbound,
        initStatus: parseStatus(f['initStatus']!)!,
        remote: ctx.remote,
      };
      // A few sign-ins per address are checked at a time, each against the failures before it.
      const done = await signinTurns.turn(ctx.address);
      let outcome;
      try {
        // A throttled address or a locked agent ID is refused without the cost of a password check.
        const refused = signin.refusal(ctx.agentId, ctx.address, ctx.now);
        if (refused !== 0) return result(refused);
        const profile = org.agent(ctx.agentId);
        // The core answers an unknown or disabled agent ID, and counts the unknown one against the address.
        const passwordOk = profile !== undefined && profile.enabled && (await passwords.verify(f['agentPwd']!, profile.passwordHash));
        outcome = core.handle({ type: 'signin', request, address: ctx.address, passwordOk }, ctx.now);
      } finally {
        done();
      }
      if (outcome.code !== 0) return result(outcome.code, { effects: outcome.effects });
      return result(0, {
        extra: {
          heartbeatInterval: String(ctx.services.heartbeatIntervalSeconds),
          guid: outcome.guid,
          resumed: outcome.resumed ? 'yes' : 'no',
        },
        effects: outcome.effects,
        signedIn: { agentId: ctx.agentId },
      });
    },
  },
  {
    cmdType: 'signout',
    seed: 'DoSignOut',
    fields: [],
    handler(ctx) {
      const outcome = ctx.services.core.handle({ type: 'signout', agentId: ctx.agentId }, ctx.now);
      // The core's effects include unbinding this connection from the agent.
      return result(outcome.code, { effects: outcome.effects });
    },
  },
  {
    cmdType: 'heartbeat',
    seed: 'DoHeartBeat',
    fields: [],
    // The session notes every message as a sign of life; the answer itself is all there is to do.
    handler: () => result(0),
  },
  {
    cmdType: 'changepassword',
    seed: '(error -84)',
    fields: [
      { name: 'oldPwd', required: true },
      { name: 'newPwd', required: true },
    ],
    async handler(ctx, req) {
      const { org, passwords, core } = ctx.services;
      const profile = org.agent(ctx.agentId);
      if (profile === undefined) return result(ErrorCode.NOT_SIGNED_IN);
      const newPwd = req.fields['newPwd']!;
      if (!(await passwords.verify(req.fields['oldPwd']!, profile.passwordHash))) return result(ErrorCode.OLD_PASSWORD_WRONG);
      if (newPwd.length < ctx.services.minPasswordLength || newPwd.length > 128 || /[\u0000-\u001f\u007f]/.test(newPwd)) {
        return result(ErrorCode.NEW_PASSWORD_INVALID);
      }
      const hash = await passwords.hash(newPwd);
      const outcome = core.handle({ type: 'set-password', agentId: ctx.agentId, hash }, ctx.now);
      return result(outcome.code, { effects: outcome.effects });
    },
  },
  {
    // polylink's own: lifts the lock of an agent ID locked by wrong passwords from many addresses (-90).
    cmdType: 'unlockagent',
    seed: '(polylink)',
    right: 'unlockagent',
    fields: [{ name: 'strAgentID', required: true }],
    handler(ctx, req) {
      const outcome = ctx.services.core.handle({ type: 'unlock-agent', target: req.fields['strAgentID']!, by: { supervisor: ctx.agentId } }, ctx.now);
      if (outcome.code !== 0) return result(outcome.code);
      return result(0, { extra: { wasLocked: outcome.wasLocked ? 'yes' : 'no' }, effects: outcome.effects });
    },
  },
];
