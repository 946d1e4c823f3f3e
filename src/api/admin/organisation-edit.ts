/**
 * How the admin API changes the organisation: the tenant's organisation as a document
 * (store/organisation-document.ts), the request's edit applied to it, the whole document
 * put through `polylink import`'s own check (checkOrganisation), and what passes handed to
 * the core as one input (organisation-edit): in effect from that step, stored in its
 * transaction, agents whose settings changed warned. A problem in the entry the request
 * is about is the request's (400, the field named); a problem the edit causes elsewhere
 * (an agent left with a role that is gone) is a conflict (409), said as the import says it.
 */
import type { Engine } from '../../engine/engine.js';
import { tenantPart } from '../../core/organisation.js';
import { tenantDataOf, tenantDocument, type OrganisationDocument } from '../../store/organisation-document.js';
import { checkOrganisation, OrganisationFileError, type OrganisationFile } from '../../store/organisation-file.js';
import { AdminError } from './admin-error.js';

export type DocumentList = 'statuses' | 'groups' | 'roles' | 'agents' | 'queues' | 'ivrs' | 'ivrProfiles' | 'accessNumbers' | 'blacklist' | 'customers';

/** The document of a tenant's organisation as the core holds it now. */
export function documentOf(engine: Engine, accountId: string): OrganisationDocument {
  return tenantDocument(tenantPart(engine.services.org.snapshot(), accountId));
}

/**
 * Checks `doc` (a tenant's document after an edit) as `polylink import` would; `entry` is
 * the path of the entry the request is about (`agents[3]`), `keyOf` names the entry a
 * problem elsewhere is in.
 */
export function checked(doc: OrganisationDocument, entry: string | undefined): OrganisationFile {
  try {
    return checkOrganisation(doc);
  } catch (err) {
    if (!(err instanceof OrganisationFileError)) throw err;
    const reason = err.message.slice(err.path.length + 2);
    if (entry !== undefined && (err.path === entry || err.path.startsWith(`${entry}.`) || err.path.startsWith(`${entry}[`))) {
      const field = err.path === entry ? undefined : err.path.slice(entry.length).replace(/^\./, '');
      throw new AdminError(400, 'bad-request', field === undefined ? reason : `${field}: ${reason}`, field);
    }
    throw new AdminError(409, 'conflict', `the change would leave the organisation invalid: ${err.path}${nameOf(doc, err.path)}: ${reason}`);
  }
}

/** Hands a checked document to the core: the tenant's organisation from this step on. */
export function apply(engine: Engine, accountId: string, file: OrganisationFile, hashes: ReadonlyMap<string, string> = new Map()): void {
  const before = tenantPart(engine.services.org.snapshot(), accountId);
  const step = engine.handle({ type: 'organisation-edit', accountId, data: tenantDataOf(file, before, hashes) });
  if (step === undefined) throw new AdminError(503, 'unavailable', 'polylink is shutting down');
}

/** ` (agent 1003)` for `agents[2].group`: which entry a path is in, by its key. */
function nameOf(doc: OrganisationDocument, path: string): string {
  const m = /^([A-Za-z]+)\[(\d+)\]/.exec(path);
  if (m === null) return '';
  const list = doc[m[1]!];
  const entry = Array.isArray(list) ? (list[Number(m[2])] as Record<string, unknown> | undefined) : undefined;
  const key = entry?.['id'] ?? entry?.['num'] ?? entry?.['number'] ?? entry?.['status'];
  return key === undefined ? '' : ` (${String(key)})`;
}
