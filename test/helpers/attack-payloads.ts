/**
 * Issue 15's attack set on the agent protocol, as messages: what the attack test sends
 * (test/integration/agent/xml-attacks.test.ts) and what the benchmark times
 * (bench/attacks). Each says what polylink answers: a code, and whether the connection
 * is then closed (spec §1: only a message over agent.maxMessageBytes closes it; on
 * WebSocket that is the close code 1009, without a response).
 */

export interface Attack {
  readonly name: string;
  /** The message, without the TCP NUL. */
  readonly text: string;
  /** The answer's retCode (-1 for every one of them). */
  readonly code: number;
  /** Over agent.maxMessageBytes (the default, 65,536): TCP answers -1 then closes, WebSocket closes 1009. */
  readonly oversize: boolean;
}

/**
 * A flat copy: `repeat` and `+` build a tree of string pieces that V8 flattens into a new
 * string the first time it is written to a socket — megabytes that a test measuring the
 * heap would count as the server's.
 */
const flat = (text: string): string => Buffer.from(text).toString();

const REQUEST_HEAD = '<request><cmdType>heartbeat</cmdType><agentID>1001</agentID>';
const request = (inner: string): string => `${REQUEST_HEAD}${inner}</request>`;
/** Repeats `unit` to fill about `bytes` characters. */
const fill = (unit: string, bytes: number): string => unit.repeat(Math.floor(bytes / unit.length));

const billionLaughs = [
  '<?xml version="1.0"?>',
  '<!DOCTYPE lolz [',
  '<!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
  ']>',
  request('<x>&lol9;</x>'),
].join('');

export const XML_ATTACKS: readonly Attack[] = flatten([
  {
    name: 'XXE (external entity)',
    text: `<?xml version="1.0"?><!DOCTYPE request [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${request('<x>&xxe;</x>')}`,
    code: -1,
    oversize: false,
  },
  { name: 'billion laughs', text: billionLaughs, code: -1, oversize: false },
  {
    name: 'a large internal entity used many times',
    text: `<!DOCTYPE request [<!ENTITY big "${'A'.repeat(30_000)}">]>${request(`<x>${'&big;'.repeat(1000)}</x>`)}`,
    code: -1,
    oversize: false,
  },
  { name: '60 KB of numeric character references', text: request(`<x>${fill('&#65;', 60_000)}</x>`), code: -1, oversize: false },
  { name: '200,000 numeric character references (1 MB)', text: request(`<x>${'&#65;'.repeat(200_000)}</x>`), code: -1, oversize: true },
  { name: '60 KB of attributes', text: request(`<x ${Array.from({ length: 6000 }, (_, i) => `a${i}="1"`).join(' ')}>1</x>`), code: -1, oversize: false },
  { name: '60 KB of empty elements', text: request(fill('<a/>', 60_000)), code: -1, oversize: false },
  { name: '5,000-deep nesting', text: `<request>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</request>`, code: -1, oversize: false },
  { name: '__proto__ tags', text: request('<__proto__><polluted>yes</polluted></__proto__>'), code: -1, oversize: false },
  { name: 'constructor tag', text: request('<constructor><prototype><polluted>yes</polluted></prototype></constructor>'), code: -1, oversize: false },
  { name: 'unclosed tags', text: `${REQUEST_HEAD}<a><b><c>`, code: -1, oversize: false },
  { name: '60 KB of unclosed tags', text: `${REQUEST_HEAD}${fill('<a>', 60_000)}`, code: -1, oversize: false },
  { name: '&#9999999; (beyond Unicode)', text: request('<x>&#9999999;</x>'), code: -1, oversize: false },
  { name: 'an undeclared entity', text: request('<x>&lol;</x>'), code: -1, oversize: false },
  { name: '10 MB message', text: request(`<x>${'A'.repeat(10 * 1024 * 1024)}</x>`), code: -1, oversize: true },
]);

const jsonRequest = (inner: string): string => `{"request":{"cmdType":"heartbeat","agentID":"1001"${inner}}}`;

/** Not attacks: an ordinary request (before sign-in: -23) in XML and in JSON, the benchmark's baseline. */
export const CONTROL: Attack = { name: 'an ordinary request (baseline)', text: request(''), code: -23, oversize: false };
export const JSON_CONTROL: Attack = { ...CONTROL, text: jsonRequest('') };

export const JSON_ATTACKS: readonly Attack[] = flatten([
  { name: 'JSON: 30,000 nested arrays', text: jsonRequest(`,"x":${'['.repeat(30_000)}${']'.repeat(30_000)}`), code: -1, oversize: false },
  { name: 'JSON: 5,000 members', text: jsonRequest(Array.from({ length: 5000 }, (_, i) => `,"k${i}":"1"`).join('')), code: -1, oversize: false },
  { name: 'JSON: __proto__ member', text: jsonRequest(',"__proto__":{"polluted":"yes"}'), code: -1, oversize: false },
  { name: 'JSON: 10 MB message', text: jsonRequest(`,"x":"${'A'.repeat(10 * 1024 * 1024)}"`), code: -1, oversize: true },
]);

function flatten(attacks: Attack[]): readonly Attack[] {
  return attacks.map((a) => ({ ...a, text: flat(a.text) }));
}
