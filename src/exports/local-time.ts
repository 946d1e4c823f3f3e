/**
 * `yyyy-MM-dd HH:mm:ss` read as a time in a time zone (seed 004: the tenant's zone), the
 * inverse of time-format.ts's TimeFormat: the instant is guessed as if the text were UTC,
 * then moved by the zone's offset found by formatting it, twice (the second pass settles
 * a guess that fell on the other side of a daylight-saving change). A time that does not
 * exist on the calendar (30 February, 25:00) is undefined.
 */
import type { TimeFormat } from '../time-format.js';

export function localTimeParser(format: TimeFormat): (text: string) => number | undefined {
  return (text) => {
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
    if (m === null) return undefined;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
    if (new Date(asUtc).toISOString().slice(0, 19).replace('T', ' ') !== text) return undefined;
    let at = asUtc;
    for (let i = 0; i < 2; i++) at = asUtc - (utcOf(format(at)) - at);
    return at;
  };
}

function utcOf(text: string): number {
  return Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)), Number(text.slice(11, 13)), Number(text.slice(14, 16)), Number(text.slice(17, 19)));
}
