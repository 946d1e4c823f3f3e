/** signin, signout, heartbeat, changepassword (seed 002: DoSignIn, DoSignOut, DoHeartBeat; error -84). */
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
      const { org, core, passwords } = ctx.services;
      const profile = org.agent(ctx.agentId);
      if (profile === undefined) return result(ErrorCode.AGENT_NOT_REGISTERED);
      if (!profile.enabled) return result(ErrorCode.AGENT_NOT_ENABLED);
      // Repeated wrong passwords lock the agent ID for a while; the answer stays -53.
      if (core.signinBlocked(ctx.agentId, ctx.now)) return result(ErrorCode.WRONG_PASSWORD);
      const passwordOk = await passwords.verify(f['agentPwd']!, profile.passwordHash);
      const request = {
        agentId: ctx.agentId,
        connectionId: ctx.connectionId,
        bindExten,
        exten: bindExten ? exten : null,
        extenIsOutbound,
        initStatus: parseStatus(f['initStatus']!)!,
        remote: ctx.remote,
      };
      const outcome = core.handle({ type: 'signin', request, passwordOk }, ctx.now);
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
];
