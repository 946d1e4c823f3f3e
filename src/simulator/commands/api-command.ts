/**
 * The API command table (what `api` and `bgapi` run). A command answers through
 * `reply`, exactly once, with FreeSWITCH's text — usually at once, originate when the
 * leg is answered or fails.
 */
import type { AppRegistry } from '../apps/app-runner.js';
import type { Gateways } from '../behaviour/gateways.js';
import type { SipPhones } from '../behaviour/sip-phones.js';
import type { Conferences } from '../conference/conference.js';
import type { SimContext } from '../core/sim-context.js';
import type { Directory } from '../directory/directory.js';
import type { LocalStreams } from '../media/local-streams.js';

export interface SimServices extends SimContext {
  readonly apps: AppRegistry;
  readonly directory: Directory;
  readonly phones: SipPhones;
  readonly gateways: Gateways;
  readonly conferences: Conferences;
  readonly holdMusic: string;
  /** mod_local_stream's sources (`local_stream show`). */
  readonly localStreams: LocalStreams;
  /** fsctl shutdown: the whole simulator stops. */
  shutdown(): void;
}

export type ApiHandler = (args: string, services: SimServices, reply: (text: string) => void) => void;

export class ApiCommands {
  private readonly table = new Map<string, ApiHandler>();

  add(name: string, handler: ApiHandler): this {
    this.table.set(name.toLowerCase(), handler);
    return this;
  }

  get(name: string): ApiHandler | undefined {
    return this.table.get(name.toLowerCase());
  }

  names(): string[] {
    return [...this.table.keys()];
  }
}

/** Splits an argument string on spaces, dropping empties. */
export function words(args: string): string[] {
  return args.split(' ').filter((w) => w !== '');
}
