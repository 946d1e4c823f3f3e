/**
 * What the admin API serves of one kind of entry (agents, queues, the blacklist …): its
 * path, its key, the JSON Schema of its fields (which feeds validation and the OpenAPI
 * document), and how to list, read, create, change and delete entries of a tenant. The
 * routes (resource-routes.ts) are the same for every kind.
 */
import type { Engine } from '../../engine/engine.js';

export type Entry = Record<string, unknown>;

export interface Resource {
  /** Under /admin/, e.g. `agents`. */
  readonly path: string;
  /** What one entry is called in messages: `agent`. */
  readonly label: string;
  /** The field that names an entry: `id`, `num`, `number`, `status`. */
  readonly key: string;
  readonly keySchema: Record<string, unknown>;
  /** The JSON Schema of each field but the key and accountId. */
  readonly properties: Readonly<Record<string, Record<string, unknown>>>;
  /** Fields a new entry must have, beside its key. */
  readonly required: readonly string[];
  /** Fields that are set and never read back (an agent's password). */
  readonly writeOnly: readonly string[];
  /** An entry's fields cannot be changed, only the entry put or taken off (the blacklist). */
  readonly immutable?: boolean;
  /** The tenant an entry belongs to; `named` is the accountId the request gave, if any. */
  tenantOf(engine: Engine, key: string, named: string | undefined): string | undefined;
  /** The tenant's entries, in key order, as they are read back. */
  list(engine: Engine, accountId: string): Entry[];
  create(engine: Engine, accountId: string, entry: Entry): Promise<void>;
  update(engine: Engine, accountId: string, key: string, patch: Entry): Promise<void>;
  remove(engine: Engine, accountId: string, key: string): void;
}

/** Keys sorted as numbers when both are digits, else as text (agents 101 … 999999, extensions, names). */
export function byKey(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}
