/**
 * The "address" the per-address limits count by (connections, failed sign-ins): an
 * IPv4 address as it is (also when it arrives IPv4-mapped, `::ffff:10.0.0.7`), and for
 * IPv6 its /64 prefix — one subscriber usually holds a whole /64, so counting single
 * IPv6 addresses would give an attacker 2^64 of them.
 */
export function addressKey(address: string | undefined | null): string {
  if (address === undefined || address === null || address === '') return 'unknown';
  const plain = address.toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped !== null) return mapped[1]!;
  if (!plain.includes(':')) return plain;
  const groups = expandIpv6(plain);
  return groups === undefined ? plain : `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, leading zeros dropped; undefined if it is not one. */
function expandIpv6(address: string): string[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string | undefined): string[] => (s === undefined || s === '' ? [] : s.split(':'));
  const head = part(halves[0]);
  const tail = part(halves[1]);
  // An embedded IPv4 tail (::1.2.3.4) counts as two groups.
  const last = tail.length > 0 ? tail : head;
  if (last.length > 0 && last[last.length - 1]!.includes('.')) {
    const octets = last.pop()!.split('.').map(Number);
    last.push(((octets[0]! << 8) | octets[1]!).toString(16), ((octets[2]! << 8) | octets[3]!).toString(16));
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}
