/** Reads the area tables named by the configuration and builds the number directory. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CountryCode } from 'libphonenumber-js/max';
import { AreaTable } from './area-table.js';
import { createNumberDirectory, type NumberDirectory } from './customer-number.js';

/** resources/areas/ beside src/ (from source) or beside dist/src/ (built). */
export function shippedFixedLineTable(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const file = resolve(here, up, 'resources', 'areas', 'cn-fixed-line.tsv');
    try {
      readFileSync(file);
      return file;
    } catch {
      // try the next candidate
    }
  }
  throw new Error('resources/areas/cn-fixed-line.tsv not found');
}

export function loadNumberDirectory(options: { country: string; mobilePrefixFile: string | null }): NumberDirectory {
  const fixedFile = shippedFixedLineTable();
  const fixedLine = AreaTable.parse(readFileSync(fixedFile, 'utf8'), fixedFile);
  const mobile = options.mobilePrefixFile === null ? undefined : AreaTable.parse(readFileSync(options.mobilePrefixFile, 'utf8'), options.mobilePrefixFile);
  return createNumberDirectory({ country: options.country as CountryCode, fixedLine, ...(mobile ? { mobile } : {}) });
}
