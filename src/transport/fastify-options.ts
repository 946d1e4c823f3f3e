/**
 * What every fastify instance of polylink is built with — the HTTP port (http-server.ts)
 * and the standalone simulator's control port (cli/simulator-command.ts) — so that the
 * same routes refuse the same requests in the same words on either.
 */
import { LogController, type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import type { Logger } from '../log.js';

export function fastifyOptions(log: Logger): Pick<FastifyServerOptions, 'loggerInstance' | 'logController' | 'childLoggerFactory' | 'ajv'> {
  return {
    loggerInstance: log as FastifyBaseLogger,
    // Every request would be a line at info: the APIs log what they change themselves.
    logController: new LogController({ disableRequestLogging: true }),
    // fastify gives each request a pino child bound to its request id (pino's child():
    // a new object, its bindings serialised): work at every request of a statistics
    // poller at 1,000 a second for the few lines a request logs, which are about a
    // failure and name the URL. request.log is this logger itself.
    childLoggerFactory: (logger) => logger,
    ajv: {
      customOptions: {
        // The failing part of the schema comes with each error: the families' error handlers
        // name the field and say what it must be from the property's description.
        verbose: true,
        // A field a schema does not know is refused where the schema says so, never dropped silently.
        removeAdditional: false,
        // Every problem of a request, so the family can say the one that explains it best (api/request-problem.ts).
        allErrors: true,
      },
    },
  };
}
