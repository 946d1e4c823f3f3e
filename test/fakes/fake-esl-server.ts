/**
 * A scripted FreeSWITCH event socket for tests: a real `net.Server` on port 0 that
 * sends auth/request, checks `auth`, answers `event …`, and hands every other
 * command to the test's responders. A wrong password is answered with the exact
 * bytes of the real capture a2_bad_auth. Sessions can be frozen (the peer stops
 * answering but keeps the socket open: a half-open link), dropped, or fed raw bytes;
 * the whole node can go away (connects refused) and come back on the same port.
 */
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { readCapture } from '../helpers/esl-captures.js';
import { apiResponse, authRequest, commandReply, rudeRejection } from './esl-wire.js';

export interface ReceivedCommand {
  /** The command line, e.g. `api uuid_kill …`, `bgapi originate …`, `event json …`. */
  readonly line: string;
  /** Header lines sent with it (bgapi's Job-UUID). */
  readonly headers: Readonly<Record<string, string>>;
  readonly session: FakeSession;
}

/** Returns true when it handled the command. */
export type Responder = (command: ReceivedCommand, session: FakeSession) => boolean | void;

export interface FakeServerOptions {
  readonly password?: string;
  /** Refuse every connection with text/rude-rejection (an ACL refusal). */
  readonly rejectAll?: boolean;
}

export class FakeSession {
  frozen = false;
  readonly commands: string[] = [];
  private buffered = '';

  constructor(
    readonly socket: Socket,
    private readonly server: FakeEslServer,
  ) {}

  send(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  reply(text: string, headers: Record<string, string> = {}): void {
    this.send(commandReply(text, headers));
  }

  api(body: string): void {
    this.send(apiResponse(body));
  }

  /** Stops answering (commands are still recorded), but keeps the socket open. */
  freeze(): void {
    this.frozen = true;
  }

  /** Closes the socket from the server side. */
  drop(): void {
    this.socket.destroy();
  }

  onData(chunk: Buffer): void {
    this.buffered += chunk.toString('utf8');
    for (let end = this.buffered.indexOf('\n\n'); end !== -1; end = this.buffered.indexOf('\n\n')) {
      const block = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 2);
      const [line = '', ...rest] = block.split('\n');
      const headers: Record<string, string> = {};
      for (const h of rest) {
        const colon = h.indexOf(': ');
        if (colon > 0) headers[h.slice(0, colon)] = h.slice(colon + 2);
      }
      this.commands.push(line);
      // A frozen peer still receives (the kernel accepts the bytes) but never answers.
      if (!this.frozen) this.server.dispatch({ line, headers, session: this });
    }
  }
}

export class FakeEslServer {
  /** `drop`: accept and close at once, before auth/request (a node that is going down). */
  acceptMode: 'normal' | 'drop' = 'normal';
  readonly sessions: FakeSession[] = [];
  /** Every command received, all sessions, in order (auth lines are recorded as `auth ***`). */
  readonly commands: string[] = [];
  private readonly responders: Responder[] = [];
  private readonly password: string;
  private listening = true;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeServerOptions,
    /** Kept, so that the node can come back on the same port. */
    readonly port: number,
  ) {
    this.password = options.password ?? 'ClueCon';
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeEslServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeEslServer(server, options, (server.address() as AddressInfo).port);
    server.on('connection', (socket) => fake.accept(socket));
    return fake;
  }

  /** The node goes away: every session is closed and connects are refused (ECONNREFUSED). */
  async goAway(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    for (const s of this.sessions) s.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The node listens again, on the same port. */
  async comeBack(): Promise<void> {
    if (this.listening) return;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.listening = true;
  }

  /** The most recent session. */
  get session(): FakeSession | undefined {
    return this.sessions.at(-1);
  }

  /** Adds a responder; later ones are asked first. */
  on(responder: Responder): void {
    this.responders.unshift(responder);
  }

  /** Answers `api <line>` with `body`, every time it is asked. */
  onApi(line: string | RegExp, body: string | ((command: ReceivedCommand) => string)): void {
    this.on((command, session) => {
      if (!command.line.startsWith('api ')) return false;
      const text = command.line.slice(4);
      if (typeof line === 'string' ? text !== line : !line.test(text)) return false;
      session.api(typeof body === 'string' ? body : body(command));
      return true;
    });
  }

  dispatch(command: ReceivedCommand): void {
    const { line, session } = command;
    this.commands.push(line.startsWith('auth ') ? 'auth ***' : line);
    for (const responder of this.responders) {
      if (responder(command, session) === true) return;
    }
    this.defaultResponse(command, session);
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.socket.destroy();
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const session = new FakeSession(socket, this);
    this.sessions.push(session);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => session.onData(chunk));
    if (this.acceptMode === 'drop') {
      socket.destroy();
      return;
    }
    if (this.options.rejectAll) {
      socket.end(rudeRejection());
      return;
    }
    socket.write(authRequest());
  }

  private defaultResponse(command: ReceivedCommand, session: FakeSession): void {
    const { line } = command;
    if (line.startsWith('auth ')) {
      if (line.slice(5) === this.password) session.reply('+OK accepted');
      else {
        // The real bytes FreeSWITCH sent after a wrong password: -ERR invalid, the
        // disconnect notice, then it closed the socket.
        session.send(readCapture('a2_bad_auth').subarray('Content-Type: auth/request\n\n'.length));
        session.socket.end();
      }
    } else if (line.startsWith('event ')) {
      const format = line.split(' ')[1] ?? 'plain';
      session.reply(`+OK event listener enabled ${format}`);
    } else if (line === 'exit') {
      session.reply('+OK bye');
      session.socket.end();
    } else if (line === 'api status') {
      session.api('UP 0 years, 0 days, 0 hours, 1 minute, 0 seconds, 0 milliseconds, 0 microseconds\n');
    } else if (line.startsWith('api ')) {
      const name = line.slice(4).split(' ')[0] ?? '';
      session.api(`-ERR ${name} Command not found!\n`);
    } else if (line.startsWith('bgapi ')) {
      const jobUuid = command.headers['Job-UUID'] ?? '00000000-0000-4000-8000-000000000000';
      session.reply(`+OK Job-UUID: ${jobUuid}`, { 'Job-UUID': jobUuid });
    } else {
      session.reply('-ERR command not found');
    }
  }
}

/** Polls `predicate` (real time) until it holds; fails the test after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what = 'condition', timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
