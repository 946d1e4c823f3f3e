/**
 * Seed 001's inbound blacklist: list, add, remove a tenant's numbers. A blacklisted
 * caller hears acd.blacklistPrompt and is released before it reaches a queue (the
 * ACD's arrival), and its hits are counted in SQLite. A change goes through the core,
 * like every change of what is stored: the ACD's list changes and its row is written
 * in the same step.
 */
import { success, successSchema, type Endpoint } from './coocenter-endpoint.js';
import { tenantOf } from './tenant-of.js';

const CHANGE = { number: { type: 'string' }, changed: { type: 'boolean' } };

export const BLACKLIST_ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'GET',
    path: 'blacklist/index',
    summary: 'The blacklisted numbers of the tenant',
    fields: { accountId: 'optional' },
    answer: successSchema({ data: { type: 'array', items: { type: 'string' } } }),
    handle({ engine, fields }) {
      const accountId = tenantOf(engine.services.org, fields);
      return { status: 'success', data: engine.lists.blacklistOf(accountId) };
    },
  },
  {
    method: 'POST',
    path: 'blacklist/create',
    summary: 'Blacklist a number',
    fields: { accountId: 'optional', number: 'required', reason: 'optional' },
    answer: successSchema(CHANGE),
    handle({ engine, fields }) {
      const accountId = tenantOf(engine.services.org, fields);
      const number = fields.required('number');
      const reason = fields.optional('reason') ?? null;
      const changed = engine.handle({ type: 'blacklist', accountId, number, on: true, reason })?.changed === true;
      return success(changed ? 'Updated database successfully' : 'the number was blacklisted already', { number, changed });
    },
  },
  {
    method: 'DELETE',
    path: 'blacklist/delete',
    summary: 'Take a number off the blacklist',
    fields: { accountId: 'optional', number: 'required' },
    answer: successSchema(CHANGE),
    handle({ engine, fields }) {
      const accountId = tenantOf(engine.services.org, fields);
      const number = fields.required('number');
      const changed = engine.handle({ type: 'blacklist', accountId, number, on: false, reason: null })?.changed === true;
      return success(changed ? 'Key deleted successfully' : 'the number was not blacklisted', { number, changed });
    },
  },
];
