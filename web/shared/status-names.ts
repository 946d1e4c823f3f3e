/**
 * Agent_Status by name, in both languages, for every page that shows agents' states: the
 * protocol's states by the pages' words, a deployment's custom not-ready states (from 100)
 * by the names getagentdefinestatus gives.
 */
import { AgentStatus } from '../sdk/src/index.js';
import type { Translate } from './i18n.js';

export const STATUS_TEXTS = {
  en: {
    statusOffline: 'Offline',
    statusIdle: 'Idle',
    statusRing: 'Ringing',
    statusTalking: 'Talking',
    statusHold: 'On hold',
    statusAcw: 'After-call work',
    statusCampOn: 'Reserved',
    statusBusy: 'Busy',
    statusLeave: 'Leave',
    statusCallOut: 'Call-out mode',
    statusCallingOut: 'Calling out',
    statusMute: 'Muted',
  },
  zh: {
    statusOffline: '离线',
    statusIdle: '空闲',
    statusRing: '振铃',
    statusTalking: '通话',
    statusHold: '保持',
    statusAcw: '后处理',
    statusCampOn: '预占',
    statusBusy: '示忙',
    statusLeave: '离开',
    statusCallOut: '外呼模式',
    statusCallingOut: '外呼中',
    statusMute: '静音',
  },
} as const satisfies Readonly<Record<'en' | 'zh', Readonly<Record<string, string>>>>;

export type StatusKey = keyof (typeof STATUS_TEXTS)['en'];

const NAMES: Readonly<Record<number, StatusKey>> = {
  [AgentStatus.OFFLINE]: 'statusOffline',
  [AgentStatus.IDLE]: 'statusIdle',
  [AgentStatus.RING]: 'statusRing',
  [AgentStatus.TALKING]: 'statusTalking',
  [AgentStatus.HOLD]: 'statusHold',
  [AgentStatus.ACW]: 'statusAcw',
  [AgentStatus.CAMP_ON]: 'statusCampOn',
  [AgentStatus.BUSY]: 'statusBusy',
  [AgentStatus.LEAVE]: 'statusLeave',
  [AgentStatus.CALL_OUT]: 'statusCallOut',
  [AgentStatus.CALLING_OUT]: 'statusCallingOut',
  [AgentStatus.MUTE]: 'statusMute',
};

export interface CustomState {
  readonly status: string;
  readonly name: string;
}

export function statusName(status: string, custom: readonly CustomState[], t: Translate<StatusKey>): string {
  const key = NAMES[Number(status)];
  if (key !== undefined) return t(key);
  return custom.find((c) => c.status === status)?.name ?? status;
}

/** The states sign-in accepts: idle, busy, call-out mode, and the custom states remembered from the last sign-in. */
export function signInStates(custom: readonly CustomState[]): string[] {
  return [AgentStatus.IDLE, AgentStatus.BUSY, AgentStatus.CALL_OUT].map(String).concat(custom.map((c) => c.status));
}
