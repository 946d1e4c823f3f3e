import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { CommandCorrelator } from '../../../src/esl/correlator.js';
import { replyCause, replyMessage, replyStatus } from '../../../src/esl/reply.js';

const reply = (text: string) => ({ text, headers: {} });

describe('CommandCorrelator', () => {
  it('answers commands in the order they were sent', async () => {
    const c = new CommandCorrelator('fs1', new ManualClock(0));
    const first = c.awaitReply(1_000);
    const second = c.awaitReply(1_000);
    expect(c.settleReply(reply('+OK one'))).toBe(true);
    expect(c.settleReply(reply('+OK two'))).toBe(true);
    expect(await first).toEqual({ ok: true, value: reply('+OK one') });
    expect(await second).toEqual({ ok: true, value: reply('+OK two') });
    expect(c.settleReply(reply('+OK stray'))).toBe(false);
  });

  it('a timed-out command keeps its slot, so its late reply does not answer the next one', async () => {
    const clock = new ManualClock(0);
    const c = new CommandCorrelator('fs1', clock);
    const slow = c.awaitReply(500);
    clock.advance(500);
    expect(await slow).toMatchObject({ ok: false, error: { kind: 'timeout', afterMs: 500 } });
    const next = c.awaitReply(500);
    c.settleReply(reply('late reply of the slow command'));
    c.settleReply(reply('+OK next'));
    expect(await next).toEqual({ ok: true, value: reply('+OK next') });
    expect(c.lateReplyCount).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('matches background jobs by Job-UUID and says when a job is not ours', async () => {
    const c = new CommandCorrelator('fs1', new ManualClock(0));
    const job = c.awaitJob('job-1', 10_000);
    expect(c.settleJob('someone-elses-job', '+OK\n')).toBe(false);
    expect(c.settleJob('job-1', '-ERR USER_BUSY\n')).toBe(true);
    expect(await job).toEqual({ ok: true, value: { jobUuid: 'job-1', body: '-ERR USER_BUSY\n' } });
    expect(c.settleJob('job-1', 'again')).toBe(false);
  });

  it('times a job out and forgets it', async () => {
    const clock = new ManualClock(0);
    const c = new CommandCorrelator('fs1', clock);
    const job = c.awaitJob('job-1', 2_000);
    c.rekeyJob('job-1', 'job-2');
    clock.advance(2_000);
    expect(await job).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(c.pendingJobs).toBe(0);
  });

  it('fails everything at once when the connection is gone', async () => {
    const clock = new ManualClock(0);
    const c = new CommandCorrelator('fs1', clock);
    const waiting = [c.awaitReply(1_000), c.awaitReply(1_000), c.awaitJob('j', 1_000)];
    c.failAll('socket closed');
    for (const result of await Promise.all(waiting)) {
      expect(result).toEqual({ ok: false, error: { kind: 'disconnected', node: 'fs1', message: 'socket closed' } });
    }
    expect(c.pendingReplies + c.pendingJobs).toBe(0);
    expect(clock.pending).toBe(0);
  });
});

describe('replies', () => {
  it('reads the +OK / -ERR convention and data replies', () => {
    expect(replyStatus('+OK Success\n')).toBe('ok');
    expect(replyStatus('-ERR No such channel!\n')).toBe('error');
    expect(replyStatus('-USAGE: <uuid>\n')).toBe('error');
    expect(replyStatus('false')).toBe('data');
    expect(replyMessage('-ERR No such channel!\n')).toBe('No such channel!');
    expect(replyMessage('+OK Message sent\n')).toBe('Message sent');
    expect(replyCause('-ERR USER_NOT_REGISTERED\n')).toBe('USER_NOT_REGISTERED');
    expect(replyCause('-ERR No such channel!\n')).toBeUndefined();
  });
});
