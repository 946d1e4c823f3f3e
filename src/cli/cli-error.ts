/** A mistake of the user's or of the machine's that one line explains: printed without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    /** The process's exit code: 1 for a failure, 2 for a command line that cannot be run. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** An operating system error (a file, a port) as a short phrase: "no such file", "permission denied" … */
export function systemReason(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EADDRINUSE':
      return 'in use by another program';
    case 'EADDRNOTAVAIL':
      return 'not an address of this machine';
    case 'ECONNREFUSED':
      return 'connection refused';
    default:
      return undefined;
  }
}
