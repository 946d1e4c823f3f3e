/** Is a port free to listen on? Tried the only reliable way: listening on it, then closing. */
import net from 'node:net';

/** Undefined when `host:port` can be listened on; else the error listening gave (EADDRINUSE, EACCES …). */
export function tryListen(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}
