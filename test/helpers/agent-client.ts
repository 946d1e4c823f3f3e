/**
 * Real agent-bar clients for tests: TCP (NUL-framed XML) and WebSocket (cti.xml or
 * cti.json). Every message received is parsed and kept; helpers wait for responses and
 * events.
 */
import net from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import WebSocket from 'ws';

export interface Received {
  /** response or event */
  readonly root: string;
  readonly body: Record<string, unknown>;
  readonly raw: string;
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'item',
});

function parse(raw: string, json: boolean): Received {
  const doc = (json ? JSON.parse(raw) : xml.parse(raw)) as Record<string, Record<string, unknown>>;
  const root = Object.keys(doc)[0]!;
  return { root, body: doc[root] ?? {}, raw };
}

export abstract class AgentClient {
  readonly received: Received[] = [];
  private waiters: { match: (m: Received) => boolean; resolve: (m: Received) => void; reject: (e: Error) => void; from: number }[] = [];
  private seq = 0;
  closed = false;
  closeCode: number | undefined;
  readonly closedPromise: Promise<void>;
  protected markClosed!: () => void;

  constructor() {
    this.closedPromise = new Promise((r) => (this.markClosed = r));
  }

  abstract sendRaw(text: string | Buffer): void;
  abstract close(): void;
  /** Stops reading (a bar that hangs): what the server sends piles up in its buffers. */
  abstract pause(): void;
  abstract resume(): void;
  protected abstract get json(): boolean;

  protected onMessage(raw: string): void {
    const m = parse(raw, this.json);
    this.received.push(m);
    const index = this.received.length - 1;
    this.waiters = this.waiters.filter((w) => {
      if (index >= w.from && w.match(m)) {
        w.resolve(m);
        return false;
      }
      return true;
    });
  }

  protected onClose(code?: number): void {
    this.closed = true;
    this.closeCode = code;
    for (const w of this.waiters) w.reject(new Error('connection closed while waiting'));
    this.waiters = [];
    this.markClosed();
  }

  /** Waits for a message matching `match` received at or after index `from` (default: any time). */
  waitFor(match: (m: Received) => boolean, from = 0, timeoutMs = 5000): Promise<Received> {
    const found = this.received.slice(from).find(match);
    if (found !== undefined) return Promise.resolve(found);
    if (this.closed) return Promise.reject(new Error('connection is closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting (have: ${this.received.map((r) => r.body['eventType'] ?? r.body['cmdType']).join(', ')})`)), timeoutMs);
      this.waiters.push({
        match,
        from,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  event(eventType: string, from = 0, timeoutMs?: number): Promise<Received> {
    return this.waitFor((m) => m.root === 'event' && m.body['eventType'] === eventType, from, timeoutMs);
  }

  events(eventType: string): Received[] {
    return this.received.filter((m) => m.root === 'event' && m.body['eventType'] === eventType);
  }

  /** Sends a request with a fresh seq and resolves with its response. */
  async request(cmdType: string, agentID: string, fields: Record<string, string> = {}): Promise<Received> {
    const seq = `s${++this.seq}`;
    this.sendRaw(this.encode({ cmdType, agentID, seq, ...fields }));
    return this.waitFor((m) => m.root === 'response' && m.body['seq'] === seq);
  }

  /** The next response (whatever its seq) after index `from`. */
  response(from: number): Promise<Received> {
    return this.waitFor((m) => m.root === 'response', from);
  }

  encode(fields: Record<string, string>): string {
    if (this.json) return JSON.stringify({ request: fields });
    return `<request>${Object.entries(fields).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('')}</request>`;
  }

  async signIn(agentID: string, fields: Record<string, string> = {}): Promise<Received> {
    return this.request('signin', agentID, {
      agentPwd: `${agentID}pw`,
      bindExten: 'yes',
      agentExten: String(Number(agentID) + 7000),
      initStatus: '0',
      ...fields,
    });
  }
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class TcpAgentClient extends AgentClient {
  private buffer = Buffer.alloc(0);
  private constructor(private readonly socket: net.Socket) {
    super();
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (let nul = this.buffer.indexOf(0); nul !== -1; nul = this.buffer.indexOf(0)) {
        const raw = this.buffer.subarray(0, nul).toString('utf8');
        this.buffer = this.buffer.subarray(nul + 1);
        this.onMessage(raw);
      }
    });
    socket.on('close', () => this.onClose());
    socket.on('error', () => undefined);
  }

  /** `localAddress`: another loopback address (127.0.0.2 …) to connect from, for the per-address limits. */
  static connect(port: number, localAddress?: string): Promise<TcpAgentClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1', ...(localAddress !== undefined ? { localAddress } : {}) }, () => resolve(new TcpAgentClient(socket)));
      socket.setNoDelay(true);
      socket.once('error', reject);
    });
  }

  protected get json(): boolean {
    return false;
  }

  sendRaw(text: string | Buffer): void {
    this.socket.write(typeof text === 'string' ? text + '\0' : text);
  }

  /** Writes bytes exactly as given (no NUL added). */
  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }
}

export class WsAgentClient extends AgentClient {
  /** WebSocket pings received from the server (answered unless connected with autoPong false). */
  pings = 0;
  private constructor(
    private readonly ws: WebSocket,
    private readonly isJson: boolean,
  ) {
    super();
    ws.on('ping', () => this.pings++);
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('close', (code) => this.onClose(code));
    ws.on('error', () => undefined);
  }

  /**
   * With `tls`, connects over wss:// trusting the certificate authority `tls.ca` (PEM).
   * `more.localAddress`: another loopback address to connect from; `more.autoPong`
   * false: pings from the server go unanswered (a peer that is gone).
   */
  static connect(
    port: number,
    protocol?: 'cti.xml' | 'cti.json',
    path = '/agent',
    tls?: { ca: string },
    more: { localAddress?: string; autoPong?: boolean } = {},
  ): Promise<WsAgentClient> {
    return new Promise((resolve, reject) => {
      const url = `${tls === undefined ? 'ws' : 'wss'}://127.0.0.1:${port}${path}`;
      const options = { ...(tls === undefined ? {} : { ca: tls.ca }), ...more };
      const ws = protocol === undefined ? new WebSocket(url, options) : new WebSocket(url, protocol, options);
      ws.once('open', () => resolve(new WsAgentClient(ws, ws.protocol === 'cti.json')));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  protected get json(): boolean {
    return this.isJson;
  }

  sendRaw(text: string | Buffer): void {
    this.ws.send(text, { binary: typeof text !== 'string' });
  }

  close(): void {
    this.ws.close();
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }
}

/** A list field of an event as an array, whether it came as JSON or as XML `<item>` elements. */
export function listField(value: unknown): Record<string, string>[] {
  if (Array.isArray(value)) return value as Record<string, string>[];
  if (value === '' || value === undefined) return [];
  const items = (value as { item?: unknown }).item;
  return (Array.isArray(items) ? items : [items]) as Record<string, string>[];
}

/** A dictionary field of an event as a plain object, from JSON or from XML `<item key="…">`. */
export function dictField(value: unknown): Record<string, string> {
  const items = (value as { item?: unknown } | undefined)?.item;
  if (items === undefined) return (value === '' ? {} : value) as Record<string, string>;
  const list = (Array.isArray(items) ? items : [items]) as { '@key': string; '#text'?: string }[];
  return Object.fromEntries(list.map((i) => [i['@key'], String(i['#text'] ?? '')]));
}
