/**
 * Which tenant a seed 001 request is about. The seed knows one call centre per system;
 * polylink may serve several, so a request names its tenant with `accountId`, and may
 * leave it out when the organisation has only one.
 */
import type { Organisation } from '../core/organisation.js';
import { HttpError } from './http-error.js';
import type { RequestFields } from './coocenter-fields.js';

export function tenantOf(org: Organisation, fields: RequestFields): string {
  return tenantNamed(org, fields.optional('accountId'));
}

/** The tenant `named` (404 when there is none), or the only one when none is named. */
export function tenantNamed(org: Organisation, named: string | undefined): string {
  if (named !== undefined) {
    if (org.tenant(named) === undefined) throw new HttpError(404, `no tenant ${named}`);
    return named;
  }
  const all = [...org.allTenants()];
  if (all.length === 1) return all[0]!.accountId;
  if (all.length === 0) throw new HttpError(409, 'the organisation has no tenant: import one first');
  throw new HttpError(400, `accountId is required: polylink serves ${all.length} tenants`);
}
