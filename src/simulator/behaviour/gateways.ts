/**
 * Trunks (sofia/gateway/<name>/<number>): each has a capacity — the originate that
 * would exceed it fails NORMAL_CIRCUIT_CONGESTION without a channel — and, per number
 * pattern, how the called party behaves (first matching rule wins).
 */
import { ANSWER_AT_ONCE, type CalleeBehaviour } from './callee-behaviour.js';

export interface NumberRule {
  /** A RegExp, or a string where `x` is any digit and a trailing `.` any rest (FreeSWITCH-style), or an exact number. */
  readonly pattern: string | RegExp;
  readonly behaviour: CalleeBehaviour;
}

export interface GatewayOptions {
  readonly name: string;
  /** Simultaneous calls the trunk carries; default unlimited. */
  readonly capacity?: number;
  /** The carrier's proxy, shown in channel names and sip_* variables. */
  readonly proxy?: string;
  readonly rules?: readonly NumberRule[];
  /** When no rule matches; default: answer at once. */
  readonly defaultBehaviour?: CalleeBehaviour;
  /** The Allow header the carrier's 200 OK carries, if any (sip_allow). */
  readonly allow?: string;
}

export class Gateway {
  readonly name: string;
  capacity: number;
  readonly proxyHost: string;
  readonly proxyPort: number;
  rules: NumberRule[];
  defaultBehaviour: CalleeBehaviour;
  readonly allow: string | undefined;
  active = 0;

  constructor(options: GatewayOptions) {
    this.name = options.name;
    this.capacity = options.capacity ?? Number.POSITIVE_INFINITY;
    const [host = '192.0.2.10', port = '5060'] = (options.proxy ?? '192.0.2.10:5060').split(':');
    this.proxyHost = host;
    this.proxyPort = Number(port);
    this.rules = [...(options.rules ?? [])];
    this.defaultBehaviour = options.defaultBehaviour ?? ANSWER_AT_ONCE;
    this.allow = options.allow;
  }

  behaviourFor(number: string): CalleeBehaviour {
    for (const rule of this.rules) if (matches(rule.pattern, number)) return rule.behaviour;
    return this.defaultBehaviour;
  }

  /** Sets (or replaces) the behaviour for a pattern; rules set later are checked first. */
  setBehaviour(pattern: string | RegExp, behaviour: CalleeBehaviour): void {
    this.rules = [{ pattern, behaviour }, ...this.rules.filter((r) => String(r.pattern) !== String(pattern))];
  }
}

export function matches(pattern: string | RegExp, number: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(number);
  if (!/[xX.]/.test(pattern)) return pattern === number;
  const source = pattern.replace(/[xX]/g, '\\d').replace(/\.$/, '.*').replace(/\+/g, '\\+');
  return new RegExp(`^${source}$`).test(number);
}

export class Gateways {
  private readonly map = new Map<string, Gateway>();

  add(options: GatewayOptions): Gateway {
    const gw = new Gateway(options);
    this.map.set(gw.name, gw);
    return gw;
  }

  get(name: string): Gateway | undefined {
    return this.map.get(name);
  }

  list(): Gateway[] {
    return [...this.map.values()];
  }
}
