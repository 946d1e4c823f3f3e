/**
 * URL-decoding for `text/event-plain` values. FreeSWITCH percent-encodes header
 * values, but a value it copied from elsewhere (a SIP header, a channel variable set
 * by a script) can hold a lone `%` or a broken UTF-8 sequence; decodeURIComponent
 * throws on those. A bad escape must not cost the event (modesl dies on it), so
 * whatever cannot be decoded is kept as written.
 */
export function decodeEslValue(value: string): string {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return decodeLeniently(value);
  }
}

function decodeLeniently(value: string): string {
  // Decode each maximal run of well-formed %XX escapes on its own; leave the rest.
  return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return decodeBytesKeepingInvalid(run);
    }
  });
}

function decodeBytesKeepingInvalid(run: string): string {
  // The run is valid escapes but not valid UTF-8: decode byte-wise, keep bad bytes escaped.
  let out = '';
  let i = 0;
  while (i < run.length) {
    let decoded = false;
    for (let len = 4; len >= 1 && !decoded; len--) {
      const piece = run.slice(i, i + len * 3);
      if (piece.length !== len * 3) continue;
      try {
        out += decodeURIComponent(piece);
        i += len * 3;
        decoded = true;
      } catch {
        // try a shorter sequence
      }
    }
    if (!decoded) {
      out += run.slice(i, i + 3);
      i += 3;
    }
  }
  return out;
}
