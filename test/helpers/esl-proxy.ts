/**
 * A TCP proxy between polylink and the switch (its event socket), for faults and for
 * watching what polylink sends. `freeze()` makes every connection through it half-open:
 * bytes are taken and dropped in both directions, nothing is closed — a peer that
 * vanished behind a firewall that forgot the flow; new connections forward.
 * `cutMidWrite()` lets half of the switch's next write through and closes. `sent` is
 * every byte polylink wrote to the switch, as text.
 */
import net from 'node:net';

export class EslProxy {
  private readonly pairs = new Set<{ frozen: boolean; sockets: net.Socket[] }>();
  /** Set by cutMidWrite(): the switch's next write is forwarded in part, then the connection dies. */
  private cut: true | undefined;
  private sentText = '';
  private constructor(private readonly server: net.Server) {}

  static async start(target: number): Promise<EslProxy> {
    const server = net.createServer();
    const proxy = new EslProxy(server);
    server.on('connection', (client) => {
      const upstream = net.connect(target, '127.0.0.1');
      const pair = { frozen: false, sockets: [client, upstream] };
      proxy.pairs.add(pair);
      client.on('data', (d: Buffer) => {
        proxy.sentText += d.toString('latin1');
        if (!pair.frozen) upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        if (pair.frozen) return;
        if (proxy.cut === undefined) {
          client.write(d);
          return;
        }
        // Half of what the switch wrote gets through, then both sides are gone: killed mid-write.
        proxy.cut = undefined;
        client.write(d.subarray(0, Math.max(1, d.length >> 1)), () => {
          client.destroy();
          upstream.destroy();
        });
      });
      const end = (): void => {
        if (pair.frozen) return;
        client.destroy();
        upstream.destroy();
        proxy.pairs.delete(pair);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return proxy;
  }

  /** Everything polylink has written to the switch through the proxy. */
  get sent(): string {
    return this.sentText;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Connections through the proxy now; how many of them are still open. */
  get open(): number {
    return [...this.pairs].filter((p) => p.sockets.every((s) => !s.destroyed)).length;
  }

  /** The switch's next write on a connection is cut off in the middle, and the connection closed. */
  cutMidWrite(): void {
    this.cut = true;
  }

  freeze(): void {
    for (const p of this.pairs) p.frozen = true;
  }

  close(): void {
    for (const p of this.pairs) for (const s of p.sockets) s.destroy();
    this.server.close();
  }
}
