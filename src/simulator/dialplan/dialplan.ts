/**
 * The simulated switch's dialplan: per context, numbers (exact, or FreeSWITCH-style
 * patterns like `85xx`) mapped to action lists. Built-ins polylink relies on:
 * access numbers (set polylink_access_number [+ queue/IVR data], park unanswered —
 * the contract of docs/esl-commands.md), an echo number, IVR numbers that answer,
 * play a prompt, collect a digit, choose a queue and hand the call to an access number.
 */
import type { DialplanAction, DialplanLookup, DialplanRoute } from '../core/sim-context.js';
import { matches } from '../behaviour/gateways.js';

export interface AccessNumberOptions {
  readonly queue?: string;
  readonly ivr?: string;
  readonly ivrData?: string;
  readonly dtmf?: string;
}

export interface IvrOptions {
  /** The access number the call is handed to afterwards (sets polylink_access_number). */
  readonly accessNumber: string;
  /** The prompt played; its length decides how long the caller has to press a key. */
  readonly prompt?: string;
  /** Digit → queue. */
  readonly queues?: Readonly<Record<string, string>>;
  /** Queue when no (known) digit was pressed; else the access number's own default applies. */
  readonly defaultQueue?: string;
  /** Free text the IVR "collected" (polylink_ivr_data). */
  readonly data?: string;
  /** How long to wait for a digit after the prompt, ms. */
  readonly digitTimeoutMs?: number;
}

interface Route {
  readonly pattern: string | RegExp;
  readonly actions: readonly DialplanAction[];
}

export class Dialplan implements DialplanLookup {
  private readonly contexts = new Map<string, Route[]>([['default', []]]);

  add(pattern: string | RegExp, actions: readonly DialplanAction[], context = 'default'): void {
    let routes = this.contexts.get(context);
    if (routes === undefined) this.contexts.set(context, (routes = []));
    const key = String(pattern);
    const i = routes.findIndex((r) => String(r.pattern) === key);
    if (i !== -1) routes.splice(i, 1);
    // Exact numbers first, then patterns in the order given.
    if (typeof pattern === 'string' && !/[xX.]/.test(pattern)) routes.unshift({ pattern, actions });
    else routes.push({ pattern, actions });
  }

  remove(pattern: string | RegExp, context = 'default'): void {
    const routes = this.contexts.get(context);
    if (routes === undefined) return;
    const i = routes.findIndex((r) => String(r.pattern) === String(pattern));
    if (i !== -1) routes.splice(i, 1);
  }

  hasContext(context: string): boolean {
    return this.contexts.has(context);
  }

  /** The numbers a context routes by name (not its patterns), in the order they were added. */
  numbers(context: string): string[] {
    const routes = this.contexts.get(context) ?? [];
    return routes.filter((r) => typeof r.pattern === 'string' && !/[xX.]/.test(r.pattern)).map((r) => String(r.pattern)).reverse();
  }

  route(number: string, context: string): DialplanRoute | undefined {
    const routes = this.contexts.get(context);
    const found = routes?.find((r) => matches(r.pattern, number));
    if (found === undefined) return undefined;
    const exact = typeof found.pattern === 'string' && !/[xX.]/.test(found.pattern);
    return { actions: found.actions, captured: exact ? undefined : [number, number] };
  }

  /** An access number: polylink's variables, then park unanswered (polylink answers it). */
  addAccessNumber(number: string, options: AccessNumberOptions = {}): void {
    this.add(number, [...accessVariables(number, options), { app: 'park' }]);
  }

  addEcho(number: string): void {
    this.add(number, [{ app: 'answer' }, { app: 'echo' }]);
  }

  addIvr(number: string, options: IvrOptions): void {
    const prompt = options.prompt ?? 'ivr/ivr-welcome.wav';
    const timeout = options.digitTimeoutMs ?? 3000;
    const actions: DialplanAction[] = [
      { app: 'answer' },
      { app: 'set', data: `polylink_ivr=${number}` },
    ];
    if (options.data !== undefined) actions.push({ app: 'set', data: `polylink_ivr_data=${options.data}` });
    actions.push({
      app: 'play_and_get_digits',
      data: `1 1 1 ${timeout} # ${prompt} silence_stream://250 polylink_dtmf \\d ${timeout}`,
    });
    for (const [digit, queue] of Object.entries(options.queues ?? {})) {
      actions.push({ app: 'set', data: `polylink_queue=${queue}`, when: { variable: 'polylink_dtmf', equals: digit } });
    }
    if (options.defaultQueue !== undefined) {
      actions.push({ app: 'set', data: `polylink_queue=${options.defaultQueue}`, when: { variable: 'polylink_queue', equals: '' } });
    }
    actions.push({ app: 'set', data: `polylink_access_number=${options.accessNumber}` }, { app: 'park' });
    this.add(number, actions);
  }
}

function accessVariables(number: string, o: AccessNumberOptions): DialplanAction[] {
  const out: DialplanAction[] = [{ app: 'set', data: `polylink_access_number=${number}` }];
  if (o.queue !== undefined) out.push({ app: 'set', data: `polylink_queue=${o.queue}` });
  if (o.ivr !== undefined) out.push({ app: 'set', data: `polylink_ivr=${o.ivr}` });
  if (o.ivrData !== undefined) out.push({ app: 'set', data: `polylink_ivr_data=${o.ivrData}` });
  if (o.dtmf !== undefined) out.push({ app: 'set', data: `polylink_dtmf=${o.dtmf}` });
  return out;
}
