/**
 * Shared pieces of the fuzz tests (fast-check): bounded runs, and byte streams cut into
 * the arbitrary pieces TCP may deliver them in.
 */
import fc from 'fast-check';

/** Runs per property and a time cap: the fuzz tests stay a few seconds of `npm test`. */
export const FUZZ = { numRuns: 300, interruptAfterTimeLimit: 8000 } as const;

/** Lengths of the pieces a stream is cut into (the last piece takes what is left). */
export const cuts = fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 200 });

/** `bytes` cut at the given lengths, as a reader gets it from a socket. */
export function pieces(bytes: Buffer, lengths: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const n of lengths) {
    if (at >= bytes.length) break;
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}
