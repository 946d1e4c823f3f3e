/**
 * The agent protocol over TCP is NUL-framed (docs/protocol.md §1): this cuts a socket's
 * chunks into messages. Read as latin1 — one char per byte, so a chunk boundary inside a
 * UTF-8 sequence cannot hurt — which is enough for the benchmarks' bars: every field they
 * read is ASCII.
 */

/** Hands each whole message of `rest + chunk` to `each`; returns what is left of an unfinished one. */
export function nulFrames(rest: string, chunk: Buffer, each: (text: string) => void): string {
  const text = rest + chunk.toString('latin1');
  let start = 0;
  for (let nul = text.indexOf('\0'); nul !== -1; nul = text.indexOf('\0', start)) {
    each(text.slice(start, nul));
    start = nul + 1;
  }
  return text.slice(start);
}
