/**
 * The one pino root. Modules get `log.child({ module, agentID | uuid })` and log
 * object first, then a short message.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export function createLogger(level: LevelWithSilent = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'polylink' },
      // Never write a secret to the log, whatever object it is nested in.
      redact: {
        paths: ['password', '*.password', 'agentPwd', '*.agentPwd', 'oldPwd', 'newPwd', '*.oldPwd', '*.newPwd', 'secret', '*.secret', 'webKey', '*.webKey', 'adminKey', '*.adminKey', 'authorization', '*.authorization'],
        censor: '[redacted]',
      },
    },
    destination ?? process.stdout,
  );
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
