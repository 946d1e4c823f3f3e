/**
 * A WebSocket client that writes frames by hand (RFC 6455 §5.2), for what the ws
 * client will not send: a message in thousands of 1-byte fragments, an upgrade with
 * thousands of headers. It reads the server's frames only as far as a test needs:
 * text messages and the close code.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export class RawWebSocket {
  readonly messages: string[] = [];
  closeCode: number | undefined;
  closed = false;
  readonly closedPromise: Promise<void>;
  /** Resolves when the server's close frame arrives (before the TCP connection ends). */
  readonly closeFrame: Promise<number>;
  private gotCloseFrame!: (code: number) => void;
  private buffer = Buffer.alloc(0);

  private constructor(private readonly socket: net.Socket) {
    this.closeFrame = new Promise((resolve) => (this.gotCloseFrame = resolve));
    this.closedPromise = new Promise((resolve) => socket.on('close', () => ((this.closed = true), resolve())));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
  }

  /** Opens `path` with the given extra header lines; resolves with the client, or rejects with the HTTP answer. */
  static async open(port: number, path = '/agent', extraHeaders: string[] = []): Promise<RawWebSocket> {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const head = [
      `GET ${path} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...extraHeaders,
    ];
    socket.write(head.join('\r\n') + '\r\n\r\n');
    const answer = await readHttpHead(socket);
    if (!answer.head.startsWith('HTTP/1.1 101')) {
      socket.destroy();
      throw Object.assign(new Error(answer.head.split('\r\n')[0]), { answer: answer.head + '\r\n\r\n' + answer.rest.toString() });
    }
    const ws = new RawWebSocket(socket);
    if (answer.rest.length > 0) ws.read(answer.rest);
    return ws;
  }

  /** One masked frame (client frames must be masked). */
  frame(opcode: number, payload: Buffer | string, fin: boolean): Buffer {
    const data = Buffer.from(payload);
    const mask = randomBytes(4);
    let header: Buffer;
    if (data.length < 126) {
      header = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | data.length]);
    } else if (data.length < 65536) {
      header = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, data.length >> 8, data.length & 0xff]);
    } else {
      header = Buffer.alloc(10);
      header[0] = (fin ? 0x80 : 0) | opcode;
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(data.length), 2);
    }
    for (let i = 0; i < data.length; i++) data[i]! ^= mask[i % 4]!;
    return Buffer.concat([header, mask, data]);
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      const payload = this.buffer.subarray(offset, offset + length);
      this.buffer = this.buffer.subarray(offset + length);
      if (opcode === 0x1) this.messages.push(payload.toString());
      if (opcode === 0x8) {
        this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        this.gotCloseFrame(this.closeCode);
      }
    }
  }
}

/** Reads up to the blank line ending an HTTP head. */
export function readHttpHead(socket: net.Socket): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({ head: buffer.subarray(0, end).toString(), rest: buffer.subarray(end + 4) });
    };
    const onClose = (): void => (buffer.length > 0 ? resolve({ head: buffer.toString(), rest: Buffer.alloc(0) }) : reject(new Error('closed without an answer')));
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}

/** Writes `request` as it is and resolves with everything the server answers until it closes. */
export function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}
