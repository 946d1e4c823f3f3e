// Responses settle their requests: by seq, in order, seq-less ones the oldest; a query
// settles with the result event that follows its response (spec §2, §3 rule 6).
import { describe, expect, it } from 'vitest';
import { Correlator } from '../src/correlator.js';
import { AgentBarError } from '../src/errors.js';
import type { EventBody, ResponseBody } from '../src/wire.js';
import { rejection } from './rejection.js';

const ok = (cmdType: string, seq?: string): ResponseBody => ({ cmdType, agentID: '1001', ...(seq === undefined ? {} : { seq }), retCode: 0, reason: 'OK' });
const event = (eventType: string, fields: Record<string, unknown> = {}): EventBody => ({ eventType, agentID: '1001', time: '2026-11-21 10:00:00', ...fields });


describe('Correlator', () => {
  it('settles each request with the response carrying its seq', async () => {
    const c = new Correlator();
    const a = c.add('hold', 0);
    const b = c.add('stophold', 0);
    expect(a.seq).not.toBe(b.seq);
    c.response(ok('hold', a.seq));
    c.response(ok('stophold', b.seq));
    expect((await a.settled).response.cmdType).toBe('hold');
    expect((await b.settled).response.cmdType).toBe('stophold');
    expect(c.size).toBe(0);
  });

  it('a response without seq (-85 for a request refused by rate) answers the oldest request', async () => {
    const c = new Correlator();
    const a = c.add('callout', 0);
    const b = c.add('heartbeat', 0);
    c.response({ cmdType: '', agentID: '', retCode: -85, reason: 'Too many requests on this connection, slow down' });
    const err = await rejection(a.settled);
    expect(err).toMatchObject({ retCode: -85, cmdType: 'callout', reason: 'Too many requests on this connection, slow down', reasonZh: '请求过于频繁,请稍后再试' });
    c.response(ok('heartbeat', b.seq));
    await b.settled;
  });

  it('a failed response rejects with its code and both texts', async () => {
    const c = new Correlator();
    const a = c.add('signin', 0);
    c.response({ ...ok('signin', a.seq), retCode: -53, reason: 'Wrong password' });
    expect(await rejection(a.settled)).toMatchObject({ retCode: -53, reason: 'Wrong password', reasonZh: '登陆密码错误', cmdType: 'signin' });
  });

  it('requests skipped by a later answer fail: the order is broken', async () => {
    const c = new Correlator();
    const a = c.add('hold', 0);
    const b = c.add('mute', 0);
    c.response(ok('mute', b.seq));
    await b.settled;
    expect((await rejection(a.settled)).retCode).toBe(-1002);
  });

  it('a response nobody waits for is ignored', () => {
    const c = new Correlator();
    expect(c.response(ok('hold', '99'))).toBeUndefined();
    expect(c.response(ok('hold'))).toBeUndefined();
  });

  it('a query settles with the result event right after its response', async () => {
    const c = new Correlator();
    const q = c.add('getqueuelist', 0, { resultEvents: ['GetQueueListEvent'] });
    c.response(ok('getqueuelist', q.seq));
    expect(c.size).toBe(1);
    const pending = c.event(event('GetQueueListEvent', { queue_list: { '630': 'Sales' } }));
    expect(pending?.cmdType).toBe('getqueuelist');
    const settled = await q.settled;
    expect(settled.result).toMatchObject({ eventType: 'GetQueueListEvent', queue_list: { '630': 'Sales' } });
    // Later events are nobody's result.
    expect(c.event(event('GetQueueListEvent'))).toBeUndefined();
  });

  it('a failed query settles at its response: no result event follows a failure', async () => {
    const c = new Correlator();
    const q = c.add('getcustomerofqueue', 0, { resultEvents: ['GetCustomerOfQueueEvent'] });
    c.response({ ...ok('getcustomerofqueue', q.seq), retCode: -42, reason: 'Queue number is invalid' });
    expect((await rejection(q.settled)).retCode).toBe(-42);
    expect(c.size).toBe(0);
  });

  it('a query whose response is followed by anything else fails (-2000)', async () => {
    const c = new Correlator();
    const q = c.add('getivrlist', 0, { resultEvents: ['GetIvrListEvent'] });
    const next = c.add('hold', 0);
    c.response(ok('getivrlist', q.seq));
    expect(c.event(event('BridgeEvent'))).toBeUndefined();
    expect((await rejection(q.settled)).retCode).toBe(-2000);
    // A response in place of the result fails it the same way, and still settles its own request.
    const q2 = c.add('getivrlist', 0, { resultEvents: ['GetIvrListEvent'] });
    c.response(ok('hold', next.seq));
    await next.settled;
    c.response(ok('getivrlist', q2.seq));
    const last = c.add('heartbeat', 0);
    c.response(ok('heartbeat', last.seq));
    expect((await rejection(q2.settled)).retCode).toBe(-2000);
    await last.settled;
  });

  it('failAll rejects every request still waiting, a query waiting for its result too', async () => {
    const c = new Correlator();
    const q = c.add('getqueuelist', 10, { resultEvents: ['GetQueueListEvent'] });
    const a = c.add('hold', 20);
    c.response(ok('getqueuelist', q.seq));
    expect(c.oldestSentAt()).toBe(10);
    c.failAll((cmdType) => new AgentBarError(-1001, { cmdType }));
    expect(await rejection(q.settled)).toMatchObject({ retCode: -1001, cmdType: 'getqueuelist', reasonZh: '与网络断开连接!' });
    expect((await rejection(a.settled)).retCode).toBe(-1001);
    expect(c.size).toBe(0);
    expect(c.oldestSentAt()).toBeUndefined();
  });
});
