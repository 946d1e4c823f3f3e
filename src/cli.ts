#!/usr/bin/env node
/**
 * `polylink start | migrate | import FILE [--reset-passwords]`, each with `--config FILE`.
 */
import { ConfigError } from './config/config-schema.js';
import { loadConfig } from './config/load-config.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';
import { openDatabase } from './store/database.js';
import { importOrganisationFile } from './store/import-organisation.js';
import { migrate } from './store/migrate.js';
import { OrganisationFileError } from './store/organisation-file.js';
import { VERSION } from './version.js';

const USAGE = `polylink ${VERSION} — CTI server for FreeSWITCH call centres

usage:
  polylink start [--config FILE]                    start the server
  polylink migrate [--config FILE]                  apply database migrations and exit
  polylink import FILE [--config FILE] [--reset-passwords]
                                                    load an organisation file (idempotent)
  polylink call-in NUMBER [--from CALLER] [--url URL] [--config FILE]
                                                    on the built-in simulator: a customer calls NUMBER
                                                    (an access number or IVR) from CALLER

The config file defaults to ./polylink.yaml if present; POLYLINK_* variables override it.`;

interface Args {
  command: string | undefined;
  positional: string[];
  config: string | undefined;
  resetPasswords: boolean;
  from: string | undefined;
  url: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { command: undefined, positional: [], config: undefined, resetPasswords: false, from: undefined, url: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--config') args.config = argv[++i];
    else if (a.startsWith('--config=')) args.config = a.slice('--config='.length);
    else if (a === '--reset-passwords') args.resetPasswords = true;
    else if (a === '--from') args.from = argv[++i];
    else if (a === '--url') args.url = argv[++i];
    else if (a === '--help' || a === '-h') args.command = 'help';
    else if (args.command === undefined) args.command = a;
    else args.positional.push(a);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.command === undefined || args.command === 'help') {
    console.log(USAGE);
    return args.command === 'help' ? 0 : 2;
  }
  const { config, file } = loadConfig({ file: args.config });
  const log = createLogger(config.log.level);
  switch (args.command) {
    case 'start': {
      log.info({ version: VERSION, config: file ?? '(defaults)', switch: config.freeswitch.nodes.length > 0 ? 'freeswitch' : 'built-in simulator' }, 'starting polylink');
      const server = await startServer({ config, log });
      const stop = (signal: string): void => {
        log.info({ signal }, 'shutting down');
        server.close().then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      return -1;
    }
    case 'migrate': {
      const db = openDatabase(config.database.path);
      const applied = migrate(db);
      db.close();
      console.log(applied.length === 0 ? 'schema is current' : `applied: ${applied.join(', ')}`);
      return 0;
    }
    case 'import': {
      const source = args.positional[0];
      if (source === undefined) {
        console.error('polylink import: which file? (e.g. polylink import examples/callcenter.yaml)');
        return 2;
      }
      const db = openDatabase(config.database.path);
      migrate(db);
      const summary = await importOrganisationFile(db, source, { resetPasswords: args.resetPasswords });
      db.close();
      console.log(
        `imported ${source} into ${config.database.path}: tenant ${summary.accountId}, agents ${summary.agentsCreated} new / ` +
          `${summary.agentsUpdated} updated / ${summary.agentsUnchanged} unchanged, ${summary.groups} groups, ${summary.roles} roles, ${summary.queues} queues`,
      );
      return 0;
    }
    case 'call-in': {
      const to = args.positional[0];
      if (to === undefined) {
        console.error('polylink call-in: which number? (e.g. polylink call-in 4008001000)');
        return 2;
      }
      const base = args.url ?? `http://127.0.0.1:${config.http.port}`;
      const res = await fetch(`${base}/simulator/calls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to, ...(args.from !== undefined ? { from: args.from } : {}) }),
      });
      const body = (await res.json()) as Record<string, unknown>;
      if (!res.ok) {
        console.error(`polylink call-in: ${String(body['error'] ?? res.status)}`);
        return 1;
      }
      console.log(`customer ${String(body['from'])} is calling ${to} (channel ${String(body['uuid'])})`);
      return 0;
    }
    default:
      console.error(`polylink: unknown command "${args.command}"\n\n${USAGE}`);
      return 2;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof OrganisationFileError) {
      console.error(`polylink: ${err.message}`);
      process.exit(1);
    }
    console.error(err);
    process.exit(1);
  },
);
