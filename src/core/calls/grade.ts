/**
 * grade (seed 002 DoGrade): the agent hands the customer to the satisfaction survey and
 * is freed. polylink runs the survey itself: it plays the prompt of the language, takes
 * the first key 1–5 the customer presses as the score, thanks the customer and hangs
 * up. No key within calls.grade.digitTimeoutSeconds: no score. The score goes into the CDR.
 */
import type { CoreEffect } from '../effects.js';
import { setTimer } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import type { Call } from './call-model.js';
import { servingCustomer } from './consult.js';
import { handOn, killLeg } from './leg-factory.js';

type Outcome = { code: number; effects: CoreEffect[] };

export function grade(desk: CallDesk, agentId: string, language: 'zh' | 'en', now: number): Outcome {
  const call = servingCustomer(desk, agentId);
  if (call === undefined) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  const customer = call.customer!;
  call.move('grade');
  call.gradeLanguage = language;
  call.timeline.gradeStart = now;
  const agentLeg = call.agentLeg;
  call.agentUuid = undefined;
  call.agentId = undefined;
  return {
    code: 0,
    effects: [
      desk.switch({ op: 'park', uuid: customer.uuid }, { callId: call.id, step: 'grade-park', agentId, cmdType: 'grade' }),
      desk.switch({ op: 'playback', uuid: customer.uuid, source: { kind: 'file', path: desk.options.grade.prompts[language] }, legs: 'this' }),
      ...handOn(desk, agentLeg),
      setTimer({ kind: 'grade-timeout', callId: call.id }, desk.options.grade.digitTimeoutSeconds * 1000),
    ],
  };
}

/** A key from the customer during the survey. */
export function gradeDigit(desk: CallDesk, call: Call, digit: string, now: number): CoreEffect[] {
  if (call.phase !== 'grade' || call.score !== undefined || !/^[1-5]$/.test(digit)) return [];
  call.score = digit;
  return thank(desk, call, now);
}

export function gradeTimeout(desk: CallDesk, call: Call, now: number): CoreEffect[] {
  if (call.phase !== 'grade' || call.score !== undefined || call.timeline.gradeEnd !== undefined) return [];
  call.timeline.gradeEnd = now;
  return killLeg(desk, call.customer);
}

function thank(desk: CallDesk, call: Call, now: number): CoreEffect[] {
  const customer = call.customer;
  if (customer === undefined || customer.ended) return [];
  call.timeline.gradeEnd = now;
  const language = call.gradeLanguage ?? 'zh';
  return [
    { type: 'cancel-timer', key: `grade:${call.id}` },
    desk.switch({ op: 'stopPlayback', uuid: customer.uuid }),
    desk.switch({ op: 'playback', uuid: customer.uuid, source: { kind: 'file', path: desk.options.grade.thanks[language] }, legs: 'this' }),
    // The thanks end the call: the hangup follows its PLAYBACK_STOP (see onPlaybackStopped).
  ];
}

/** The thanks were played: the survey is over. */
export function gradePlaybackStopped(desk: CallDesk, call: Call, path: string): CoreEffect[] {
  if (call.phase !== 'grade' || call.gradeLanguage === undefined || path !== desk.options.grade.thanks[call.gradeLanguage]) return [];
  return killLeg(desk, call.customer);
}
