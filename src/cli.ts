#!/usr/bin/env node
/**
 * The `polylink` command: start, migrate, import FILE, simulator, call-in NUMBER (src/cli/command-line.ts
 * describes them). A mistake the user can fix is said in one line, without a stack trace.
 */
import { existsSync, statSync } from 'node:fs';
import { callIn } from './cli/call-in.js';
import { CliError, systemReason } from './cli/cli-error.js';
import { parseCommandLine } from './cli/command-line.js';
import { simulatorCommand, simulatorOptions } from './cli/simulator-command.js';
import { startCommand } from './cli/start-command.js';
import { ConfigError } from './config/config-schema.js';
import { describeUnknown, unknownVariables } from './config/env-names.js';
import { loadConfig } from './config/load-config.js';
import { openDatabase } from './store/database.js';
import { importOrganisationFile } from './store/import-organisation.js';
import { migrate } from './store/migrate.js';
import { OrganisationFileError } from './store/organisation-file.js';

/** The exit code, or 'running' for a server that stays up. */
async function main(argv: readonly string[]): Promise<number | 'running'> {
  const line = parseCommandLine(argv);
  switch (line.kind) {
    case 'help':
    case 'version':
      console.log(line.text);
      return 0;
    case 'refused':
      console.error(`${line.message}\n\n${line.usage}`);
      return 2;
    case 'run':
      break;
  }
  const config = line.options['config'];
  const { config: settings, file } = loadConfig({ file: typeof config === 'string' ? config : undefined });
  const unknown = unknownVariables(process.env);
  if (line.command === 'start') {
    await startCommand(settings, file, unknown);
    return 'running';
  }
  if (line.command === 'simulator') {
    for (const v of unknown) console.error(`polylink: warning: ${describeUnknown(v)}`);
    await simulatorCommand(settings, simulatorOptions(line.options));
    return 'running';
  }
  for (const v of unknown) console.error(`polylink: warning: ${describeUnknown(v)}`);
  switch (line.command) {
    case 'migrate': {
      const db = openDatabase(settings.database.path);
      const applied = migrate(db);
      db.close();
      console.log(applied.length === 0 ? 'schema is current' : `applied: ${applied.join(', ')}`);
      return 0;
    }
    case 'import': {
      const source = line.args[0]!;
      if (!existsSync(source)) throw new CliError(`polylink import: ${source}: no such file`);
      if (!statSync(source).isFile()) throw new CliError(`polylink import: ${source}: is a folder, not a file`);
      const db = openDatabase(settings.database.path);
      try {
        migrate(db);
        const summary = await importOrganisationFile(db, source, { resetPasswords: line.options['reset-passwords'] === true });
        console.log(
          `imported ${source} into ${settings.database.path}: tenant ${summary.accountId}, agents ${summary.agentsCreated} new / ` +
            `${summary.agentsUpdated} updated / ${summary.agentsUnchanged} unchanged, ${summary.groups} groups, ${summary.roles} roles, ${summary.queues} queues`,
        );
      } finally {
        db.close();
      }
      return 0;
    }
    case 'call-in': {
      const url = line.options['url'];
      const from = line.options['from'];
      console.log(await callIn(typeof url === 'string' ? url : `http://127.0.0.1:${settings.http.port}`, line.args[0]!, typeof from === 'string' ? from : undefined));
      return 0;
    }
    default:
      throw new Error(`command ${line.command} has no implementation`);
  }
}

/** One line for what the user can fix; the whole error (with its stack) for anything else. */
function report(err: unknown): number {
  if (err instanceof CliError) {
    console.error(err.message);
    return err.exitCode;
  }
  if (err instanceof ConfigError || err instanceof OrganisationFileError) {
    console.error(`polylink: ${err.message}`);
    return 1;
  }
  const reason = systemReason(err);
  const path = (err as NodeJS.ErrnoException).path;
  if (reason !== undefined) {
    console.error(`polylink: ${path !== undefined ? `${path}: ` : ''}${reason}${path === undefined ? ` (${(err as Error).message})` : ''}`);
    return 1;
  }
  console.error(err);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 'running') process.exit(code);
  },
  (err: unknown) => process.exit(report(err)),
);
