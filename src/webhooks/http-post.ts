/**
 * One POST of a push, with a deadline: node's http/https client on a kept-alive agent per
 * origin (a lane sends one push at a time, so one socket per target is reused push after
 * push). Any 2xx is a delivery; anything else — another status, a refused connection, a
 * reset, no answer within the timeout — is a failure to retry. The answer's body is read
 * and thrown away (at most 64 KB of it is waited for).
 */
import http from 'node:http';
import https from 'node:https';

export interface PostResult {
  readonly ok: boolean;
  /** The HTTP status, when the receiver answered. */
  readonly status?: number;
  /** Why it failed, for the outbox's last_error and the log. */
  readonly error?: string;
}

export type Post = (url: string, body: string, headers: Readonly<Record<string, string>>, timeoutMs: number) => Promise<PostResult>;

const MAX_ANSWER_BYTES = 64 * 1024;

export class HttpPoster {
  private readonly agents = new Map<string, http.Agent>();

  readonly post: Post = (url, body, headers, timeoutMs) =>
    new Promise<PostResult>((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        resolve({ ok: false, error: `bad URL ${url}` });
        return;
      }
      const secure = target.protocol === 'https:';
      const agent = this.agentFor(target.origin, secure);
      let settled = false;
      const done = (result: PostResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = (secure ? https : http).request(
        target,
        { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
        (res) => {
          const status = res.statusCode ?? 0;
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          res.on('end', () => done(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` }));
          res.on('close', () => done(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` }));
          res.on('error', () => undefined);
        },
      );
      const timer = setTimeout(() => {
        done({ ok: false, error: `no answer within ${timeoutMs} ms` });
        req.destroy();
      }, timeoutMs);
      req.on('error', (err) => done({ ok: false, error: (err as NodeJS.ErrnoException).code ?? err.message }));
      req.end(body);
    });

  /** Closes the kept-alive sockets. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private agentFor(origin: string, secure: boolean): http.Agent {
    let agent = this.agents.get(origin);
    if (agent === undefined) {
      agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 4 }) : new http.Agent({ keepAlive: true, maxSockets: 4 });
      this.agents.set(origin, agent);
    }
    return agent;
  }
}
