/**
 * Starting a polylink server, for the command line and for tests: the composition root
 * itself is src/app/start-server.ts.
 */
export { startServer, type RunningServer, type StartOptions } from './app/start-server.js';
