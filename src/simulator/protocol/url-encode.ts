/**
 * FreeSWITCH's URL encoding for `text/event-plain` values (switch_url_encode with
 * double-encoding on): every byte below 0x20 or above 0x7E and every byte of
 * SWITCH_URL_UNSAFE becomes %XX; `%` itself is always encoded (capture c2 shows
 * `tone_stream://%(300,…` as `tone_stream%3A//%25(300,…`). `/ ( ) , ' * ! $ - . _ ~` pass.
 */
const UNSAFE = '\r\n #%&+:;<=>?@[\\]^`{|}"';
const HEX = '0123456789ABCDEF';

const needsEncoding: boolean[] = [];
for (let b = 0; b < 256; b++) {
  needsEncoding.push(b < 0x20 || b > 0x7e || UNSAFE.includes(String.fromCharCode(b)));
}

/** Fast path: most values (UUIDs, numbers, states) have nothing to encode. */
function isPlainAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7e || needsEncoding[c]) return false;
  }
  return true;
}

export function fsUrlEncode(value: string): string {
  if (isPlainAscii(value)) return value;
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (const b of bytes) {
    if (needsEncoding[b]) out += '%' + HEX[b >> 4] + HEX[b & 15];
    else out += String.fromCharCode(b);
  }
  return out;
}
