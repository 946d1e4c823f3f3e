/**
 * The rights a role can hold. The command table names the right each command needs;
 * `polylink import` writes this catalogue so roles can only name rights the server knows.
 */

export const RIGHTS = {
  callout: ['Outbound calls', '外呼'],
  callagent: ['Internal calls', '内部呼叫'],
  transfer: ['Transfer calls', '转接'],
  consult: ['Consult', '咨询'],
  threeway: ['Three-way calls', '三方通话'],
  hold: ['Hold and mute', '保持与静音'],
  grade: ['Satisfaction survey', '评分'],
  monitor: ['Monitor agents and queues', '监控'],
  listen: ['Listen in', '监听'],
  whisper: ['Whisper', '密语'],
  bargein: ['Barge in', '强插'],
  forcehangup: ['Force hang-up', '强拆'],
  intercept: ['Intercept a ringing call', '抢接'],
  forcechangestatus: ['Force an agent status', '强制改变坐席状态'],
  approveleave: ['Approve leave applications', '审批离开申请'],
  setleavethreshold: ['Set group leave thresholds', '设置坐席组离开阀值'],
  unlockagent: ['Unlock an agent ID locked by wrong passwords', '解锁因密码错误被锁定的工号'],
} as const satisfies Record<string, readonly [string, string]>;

export type Right = keyof typeof RIGHTS;

export const ALL_RIGHTS = Object.keys(RIGHTS) as Right[];

export function isRight(code: string): code is Right {
  return Object.hasOwn(RIGHTS, code);
}
