/**
 * Seed 001's inbound blacklist: list, add, remove a tenant's numbers. A blacklisted
 * caller hears acd.blacklistPrompt and is released before it reaches a queue (the
 * ACD's arrival), and its hits are counted in SQLite. The ACD reads the in-memory
 * lists on every call, so a change is written to SQLite first (a failed write changes
 * nothing) and then to memory.
 */
import { PHONE_NUMBER } from '../numbers/phone-number.js';
import { success, type Endpoint } from './coocenter-endpoint.js';
import type { RequestFields } from './request-fields.js';
import { tenantOf } from './tenant-of.js';

/** A number as the switch shows the caller (digits, an optional leading +). */
const REASON = /^[^\x00-\x1f\x7f]{1,200}$/;

const numberOf = (fields: RequestFields): string => fields.required('number', PHONE_NUMBER, 'a phone number: digits with an optional leading +, at most 32');

export const BLACKLIST_ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'GET',
    path: '/coocenter-api/blacklist/index',
    handle({ engine, fields }) {
      const accountId = tenantOf(engine.services.org, fields);
      return { status: 'success', data: engine.lists.blacklistOf(accountId) };
    },
  },
  {
    method: 'POST',
    path: '/coocenter-api/blacklist/create',
    handle({ engine, fields, now }) {
      const accountId = tenantOf(engine.services.org, fields);
      const number = numberOf(fields);
      const reason = fields.optional('reason', REASON, 'at most 200 characters, no control characters') ?? null;
      const changed = !engine.lists.isBlacklisted(accountId, number);
      if (changed) {
        engine.acdStore.setBlacklisted(accountId, number, true, reason, now);
        engine.lists.setBlacklisted(accountId, number, true);
      }
      return success(changed ? 'Updated database successfully' : 'the number was blacklisted already', { number, changed });
    },
  },
  {
    method: 'DELETE',
    path: '/coocenter-api/blacklist/delete',
    handle({ engine, fields, now }) {
      const accountId = tenantOf(engine.services.org, fields);
      const number = numberOf(fields);
      const changed = engine.lists.isBlacklisted(accountId, number);
      if (changed) {
        engine.acdStore.setBlacklisted(accountId, number, false, null, now);
        engine.lists.setBlacklisted(accountId, number, false);
      }
      return success(changed ? 'Key deleted successfully' : 'the number was not blacklisted', { number, changed });
    },
  },
];
