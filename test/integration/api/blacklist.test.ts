// Seed 001 blacklist over real HTTP: create, index, delete; a blacklisted caller is turned
// away before it reaches an agent and its hit is counted in SQLite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';
import { HttpApi } from '../../helpers/http-api.js';

let f: CallFixture;
let api: HttpApi;
beforeEach(async () => {
  f = await startCallFixture();
  api = HttpApi.on(f.s.server.httpPort);
});
afterEach(() => f.close());

const TENANT = '20000153';
/** The number the example organisation blacklists. */
const EXAMPLE = '13800000000';
const row = (number: string) =>
  f.s.server.db.prepare('SELECT account_id, reason, hits FROM blacklist WHERE number = ?').get(number) as { account_id: string; reason: string | null; hits: number } | undefined;
const index = async () => (await api.get('/coocenter-api/blacklist/index')).body;

describe('the blacklist endpoints', () => {
  it('index is empty, create adds (to memory and SQLite), index lists, delete removes', async () => {
    expect(await index()).toEqual({ status: 'success', data: [EXAMPLE] });
    const created = await api.form('POST', '/coocenter-api/blacklist/create', { number: '13800138000', reason: 'abusive caller' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ status: 'success', message: 'Updated database successfully', number: '13800138000', changed: true });
    await api.json('POST', '/coocenter-api/blacklist/create', { number: '+85212345678' });
    expect(await index()).toEqual({ status: 'success', data: ['+85212345678', EXAMPLE, '13800138000'] });
    expect(row('13800138000')).toEqual({ account_id: TENANT, reason: 'abusive caller', hits: 0 });
    expect(f.s.server.engine.lists.isBlacklisted(TENANT, '13800138000')).toBe(true);

    const again = await api.form('POST', '/coocenter-api/blacklist/create', { number: '13800138000' });
    expect(again.body).toMatchObject({ status: 'success', changed: false });
    expect(row('13800138000')!.reason).toBe('abusive caller');

    const deleted = await api.form('DELETE', '/coocenter-api/blacklist/delete', { number: '13800138000' });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ status: 'success', message: 'Key deleted successfully', number: '13800138000', changed: true });
    expect(row('13800138000')).toBeUndefined();
    expect(await index()).toEqual({ status: 'success', data: ['+85212345678', EXAMPLE] });
    // A client that cannot send a body with DELETE names the number in the query string.
    expect((await api.send('DELETE', '/coocenter-api/blacklist/delete?number=%2B85212345678', undefined)).body).toMatchObject({ changed: true });
    expect((await api.form('DELETE', '/coocenter-api/blacklist/delete', { number: '13800138000' })).body).toMatchObject({ status: 'success', changed: false });
    expect(await index()).toEqual({ status: 'success', data: [EXAMPLE] });
  });

  it('names the tenant with accountId when asked to, and refuses one that does not exist', async () => {
    await api.form('POST', '/coocenter-api/blacklist/create', { number: '13800138000', accountId: TENANT });
    expect((await api.get(`/coocenter-api/blacklist/index?accountId=${TENANT}`)).body).toEqual({ status: 'success', data: [EXAMPLE, '13800138000'] });
    const other = await api.get('/coocenter-api/blacklist/index?accountId=99999999');
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ status: 'error', message: 'no tenant 99999999' });
  });
});

describe('a blacklisted caller', () => {
  it('is turned away without reaching the free agent, its hit counted; once deleted it gets through', async () => {
    const a = await f.agent('1001');
    await api.form('POST', '/coocenter-api/blacklist/create', { number: '13800138000' });
    const turnedAway = f.sim.placeCall({ from: '13800138000', to: '4008001000' });
    await turnedAway.ended;
    expect(a.events('CallInEvent')).toHaveLength(0);
    expect(f.statusOf('1001')).toBe(0);
    expect(row('13800138000')!.hits).toBe(1);

    await api.form('DELETE', '/coocenter-api/blacklist/delete', { number: '13800138000' });
    const welcome = f.sim.placeCall({ from: '13800138000', to: '4008001000' });
    expect((await a.event('CallInEvent')).body['callerID']).toBe('13800138000');
    welcome.hangup();
  });

  it('of one number does not turn away another', async () => {
    const a = await f.agent('1001');
    await api.form('POST', '/coocenter-api/blacklist/create', { number: '13800138000' });
    const call = f.sim.placeCall({ from: '13800138001', to: '4008001000' });
    expect((await a.event('CallInEvent')).body['callerID']).toBe('13800138001');
    call.hangup();
  });
});
