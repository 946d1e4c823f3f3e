/**
 * A business system's HTTP receiver for webhook tests: a real server on 127.0.0.1 that
 * records every request (headers, raw body, parsed JSON) and answers as the test says —
 * 200, another status, or late (a timeout). It can go down and come back on the same port.
 */
import http from 'node:http';
import type net from 'node:net';

export interface Received {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly raw: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
}

export type Answer = { status: number; delayMs?: number };

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** How the next requests are answered (default 200 at once). */
  answer: (req: Received) => Answer = () => ({ status: 200 });
  private server: http.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  static async start(port = 0): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await r.up(port);
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async up(port = this.port): Promise<void> {
    const server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (raw += c));
      req.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          // not JSON: kept raw
        }
        const got: Received = { path: req.url ?? '', headers: req.headers, raw, body, at: Date.now() };
        this.received.push(got);
        const a = this.answer(got);
        const send = () => {
          if (!res.destroyed) res.writeHead(a.status, { 'Content-Type': 'text/plain' }).end('ok');
        };
        if (a.delayMs === undefined) send();
        else setTimeout(send, a.delayMs).unref();
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  /** Stops listening and drops every connection: the receiver is down. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }

  /** Received bodies whose pushType (seed 003) or event (seed 001) is `name`. */
  of(name: string): Received[] {
    return this.received.filter((r) => r.body['pushType'] === name || r.body['event'] === name);
  }

  /**
   * Seed 003's pushes of `pushType`, by call (callUniqueId): the event ids each call's
   * pushes carried. A fact pushed once, however many times it was delivered (at least once),
   * has one id; a fact written twice has two.
   */
  idsByCall(pushType: string): Map<string, Set<string>> {
    const byCall = new Map<string, Set<string>>();
    for (const r of this.of(pushType)) {
      const call = String(r.body['callUniqueId']);
      byCall.set(call, (byCall.get(call) ?? new Set()).add(String(r.body['eventUniqueId'])));
    }
    return byCall;
  }

  close(): Promise<void> {
    return this.down();
  }
}
