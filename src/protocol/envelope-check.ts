/**
 * Checks shared by both codecs once a message is parsed into root name + fields
 * (spec §3 rule 0: -2 root, -3 cmdType, -4 agentID, in that order).
 */
import { ErrorCode } from './error-codes.js';
import { MAX_SEQ_LENGTH, type DecodeResult } from './message.js';

/**
 * Field names that would reach an object's prototype if a field were ever copied by
 * name: a request that uses one is refused (-1), not read.
 */
export function isReservedName(name: string): boolean {
  return name === '__proto__' || name === 'constructor' || name === 'prototype';
}

export function checkEnvelope(root: string, fields: Record<string, string>, nonText: Set<string>): DecodeResult {
  const cmdType = fields['cmdType'];
  const agentID = fields['agentID'];
  let seq = fields['seq'];
  if (seq !== undefined && seq.length > MAX_SEQ_LENGTH) seq = undefined;
  const echo = {
    ...(cmdType !== undefined ? { cmdType } : {}),
    ...(agentID !== undefined ? { agentID } : {}),
    ...(seq !== undefined ? { seq } : {}),
  };
  if (root !== 'request') return { ok: false, error: { code: ErrorCode.ROOT_NOT_REQUEST, detail: `root is ${root}` } };
  if (cmdType === undefined || cmdType === '' || nonText.has('cmdType')) {
    return { ok: false, error: { ...echo, code: ErrorCode.CMDTYPE_EMPTY, detail: 'no cmdType' } };
  }
  if (agentID === undefined || agentID === '' || nonText.has('agentID')) {
    return { ok: false, error: { ...echo, code: ErrorCode.AGENTID_EMPTY, detail: 'no agentID' } };
  }
  const rest: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k !== 'cmdType' && k !== 'agentID' && k !== 'seq') rest[k] = v;
  }
  return { ok: true, request: { cmdType, agentID, seq, fields: rest, nonText } };
}
