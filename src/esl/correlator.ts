/**
 * Matching replies to commands, and background-job results to bgapi commands.
 *
 * - FreeSWITCH answers commands strictly in the order they were sent, each with one
 *   `command/reply` or `api/response`; so replies are matched by position (a FIFO),
 *   not by content. A command that timed out keeps its place: its late reply still
 *   arrives and must be swallowed, or every later command would get the wrong answer.
 * - A bgapi result comes later as a BACKGROUND_JOB event. FreeSWITCH sends every
 *   BACKGROUND_JOB to every listener subscribed to it, whoever ran the job, so the
 *   Job-UUID (chosen by us and sent with the command) is the only way to know ours.
 * - When the connection drops, every waiting command is settled with an error:
 *   nothing is left hanging.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { EslError } from './errors.js';
import { type Result, fail, ok } from './result.js';

export interface Reply {
  /** Reply-Text of a command/reply, or the body of an api/response. */
  readonly text: string;
  /** Headers of a command/reply (e.g. Job-UUID); empty for api/response. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface JobResult {
  readonly jobUuid: string;
  /** The job's output: the BACKGROUND_JOB body (e.g. `+OK <uuid>\n`, `-ERR USER_BUSY\n`). */
  readonly body: string;
}

type Settle<T> = (result: Result<T, EslError>) => void;

interface Waiter<T> {
  settled: boolean;
  timer: TimerHandle | undefined;
  settle: Settle<T>;
}

export class CommandCorrelator {
  private readonly replies: Array<Waiter<Reply>> = [];
  private readonly jobs = new Map<string, Waiter<JobResult>>();
  private lateReplies = 0;

  constructor(
    private readonly node: string,
    private readonly clock: Clock,
  ) {}

  get pendingReplies(): number {
    return this.replies.length;
  }

  get pendingJobs(): number {
    return this.jobs.size;
  }

  /** Replies that arrived for commands that had already timed out. */
  get lateReplyCount(): number {
    return this.lateReplies;
  }

  /** Takes the next reply slot; call it right before the command is written. */
  awaitReply(timeoutMs: number): Promise<Result<Reply, EslError>> {
    return new Promise((resolve) => {
      const waiter: Waiter<Reply> = { settled: false, timer: undefined, settle: resolve };
      waiter.timer = this.clock.setTimer(timeoutMs, () => {
        // Keep the slot: the reply may still come and must not go to the next command.
        this.settle(waiter, fail(this.timeout(timeoutMs, 'no reply')));
      });
      this.replies.push(waiter);
    });
  }

  /** A command/reply or api/response: it answers the oldest command. False if none waits. */
  settleReply(reply: Reply): boolean {
    const waiter = this.replies.shift();
    if (waiter === undefined) return false;
    if (waiter.settled) this.lateReplies++;
    else this.settle(waiter, ok(reply));
    return true;
  }

  /** Waits for the BACKGROUND_JOB carrying `jobUuid`. Register before sending the bgapi. */
  awaitJob(jobUuid: string, timeoutMs: number): Promise<Result<JobResult, EslError>> {
    return new Promise((resolve) => {
      const waiter: Waiter<JobResult> = { settled: false, timer: undefined, settle: resolve };
      waiter.timer = this.clock.setTimer(timeoutMs, () => {
        // Looked up by identity: rekeyJob may have moved it.
        for (const [key, candidate] of this.jobs) if (candidate === waiter) this.jobs.delete(key);
        this.settle(waiter, fail(this.timeout(timeoutMs, 'no BACKGROUND_JOB')));
      });
      this.jobs.set(jobUuid, waiter);
    });
  }

  /** Stops waiting for a job whose bgapi was refused (no BACKGROUND_JOB will follow). */
  abandonJob(jobUuid: string, result: JobResult): void {
    const waiter = this.jobs.get(jobUuid);
    if (waiter === undefined) return;
    this.jobs.delete(jobUuid);
    this.settle(waiter, ok(result));
  }

  /**
   * FreeSWITCH answered the bgapi with a different Job-UUID than the one we sent
   * (a version that ignores the header): wait for that one instead.
   */
  rekeyJob(from: string, to: string): void {
    const waiter = this.jobs.get(from);
    if (waiter === undefined) return;
    this.jobs.delete(from);
    this.jobs.set(to, waiter);
  }

  /** A BACKGROUND_JOB event. False when it belongs to someone else's job. */
  settleJob(jobUuid: string, body: string): boolean {
    const waiter = this.jobs.get(jobUuid);
    if (waiter === undefined) return false;
    this.jobs.delete(jobUuid);
    this.settle(waiter, ok({ jobUuid, body }));
    return true;
  }

  /** The connection is gone: every command and job still waiting fails now. */
  failAll(message: string): void {
    const error: EslError = { kind: 'disconnected', node: this.node, message };
    const replies = this.replies.splice(0);
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const waiter of replies) this.settle(waiter, fail(error));
    for (const waiter of jobs) this.settle(waiter, fail(error));
  }

  private settle<T>(waiter: Waiter<T>, result: Result<T, EslError>): void {
    if (waiter.settled) return;
    waiter.settled = true;
    this.clock.clearTimer(waiter.timer);
    waiter.settle(result);
  }

  private timeout(afterMs: number, what: string): EslError {
    return { kind: 'timeout', node: this.node, message: `${what} within ${afterMs} ms`, afterMs };
  }
}
