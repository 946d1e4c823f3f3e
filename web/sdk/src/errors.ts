/**
 * Typed errors: every failed request rejects with an AgentBarError carrying the retCode and
 * both texts. The texts come from the server's own registry (src/protocol/error-codes.ts),
 * imported rather than copied, so the client's table cannot drift from the server's; the
 * bundle carries it (a few kilobytes).
 */
import { ErrorCode, allErrors } from '../../../src/protocol/error-codes.js';

export { ErrorCode };

const TEXTS = new Map(allErrors().map((e) => [e.code, e] as const));

/** The English and Chinese texts of a code; a code this client does not know keeps `fallback`. */
export function errorTexts(retCode: number, fallback = ''): { readonly en: string; readonly zh: string } {
  const known = TEXTS.get(retCode);
  if (known !== undefined) return { en: known.en, zh: known.zh };
  return { en: fallback, zh: fallback };
}

export class AgentBarError extends Error {
  /** The protocol's code (seed 002 §3.2.8): negative. */
  readonly retCode: number;
  /** English text: the server's `reason` when it sent one, else the table's. */
  readonly reason: string;
  /** Chinese text from the table (the server sends English only). */
  readonly reasonZh: string;
  /** The request it answers; empty for a failure of the connection itself. */
  readonly cmdType: string;

  constructor(retCode: number, options: { reason?: string; cmdType?: string; detail?: string } = {}) {
    const texts = errorTexts(retCode, options.reason ?? '');
    const reason = options.reason !== undefined && options.reason !== '' ? options.reason : texts.en;
    super(`${options.cmdType === undefined || options.cmdType === '' ? '' : `${options.cmdType}: `}${retCode} ${reason}${options.detail === undefined ? '' : ` (${options.detail})`}`);
    this.name = 'AgentBarError';
    this.retCode = retCode;
    this.reason = reason;
    this.reasonZh = texts.zh;
    this.cmdType = options.cmdType ?? '';
  }
}

/** The connection is gone (seed -1001): requests waiting for an answer, or sent while disconnected. */
export function disconnected(cmdType: string, detail?: string): AgentBarError {
  return new AgentBarError(ErrorCode.CLIENT_DISCONNECTED, { cmdType, ...(detail === undefined ? {} : { detail }) });
}

/** The network failed (seed -1002): no connection could be opened, or the server stopped answering. */
export function networkError(cmdType: string, detail: string): AgentBarError {
  return new AgentBarError(ErrorCode.CLIENT_NETWORK_ERROR, { cmdType, detail });
}
