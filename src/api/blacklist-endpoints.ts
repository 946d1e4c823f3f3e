/**
 * Seed 001's inbound blacklist: list, add, remove a tenant's numbers. A blacklisted
 * caller hears acd.blacklistPrompt and is released before it reaches a queue (the
 * ACD's arrival), and its hits are counted in SQLite. A change goes through the core,
 * like every change of what is stored: the ACD's list changes and its row is written
 * in the same step.
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
    handle({ engine, fields }) {
      const accountId = tenantOf(engine.services.org, fields);
      const number = numberOf(fields);
      const reason = fields.optional('reason', REASON, 'at most 200 characters, no control characters') ?? null;
      const changed = engine.handle({ type: 'blacklist', accountId, number, on: true, reason })?.changed === true;
      return success(changed ? 'Updated database successfully' : 'the number was blacklisted already', { number, changed });
    },
  },
  {
    method: 'DELETE',
    path: '/coocenter-api/blacklist/delete',
    handle({ engine, fields }) {
      const accountId = tenantOf(engine.services.org, fields);
      const number = numberOf(fields);
      const changed = engine.handle({ type: 'blacklist', accountId, number, on: false, reason: null })?.changed === true;
      return success(changed ? 'Key deleted successfully' : 'the number was not blacklisted', { number, changed });
    },
  },
];
