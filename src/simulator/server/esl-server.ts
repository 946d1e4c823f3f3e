/** The TCP side: one EslSession per connection; stop() sends every listener the shutdown notice. */
import { createServer, type Server } from 'node:net';
import type { EventBus } from '../events/event-bus.js';
import { SHUTDOWN_TEXT } from '../protocol/frames.js';
import { EslSession, type SessionDeps } from './esl-session.js';

export class EslServer {
  private server: Server | undefined;
  private readonly sessions = new Set<EslSession>();

  constructor(
    private readonly bus: EventBus,
    private readonly deps: Omit<SessionDeps, 'onClose'>,
  ) {}

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => {
        const session = new EslSession(socket, {
          ...this.deps,
          onClose: (s) => {
            this.sessions.delete(s);
            this.bus.remove(s);
          },
        });
        this.sessions.add(session);
        this.bus.add(session);
      });
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        this.server = server;
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  /** Every connection dies without a word and no new one is taken (a network failure); calls go on. */
  async cut(): Promise<void> {
    for (const s of [...this.sessions]) s.cut();
    this.sessions.clear();
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get connections(): number {
    return this.sessions.size;
  }

  /** Closes the listening socket; with `notice`, every connection gets it before it is closed. */
  async close(notice: string | undefined = SHUTDOWN_TEXT): Promise<void> {
    for (const s of [...this.sessions]) {
      if (notice !== undefined) s.shutdown(notice);
    }
    this.sessions.clear();
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
