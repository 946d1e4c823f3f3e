/**
 * Fires events: gives each one the next Event-Sequence (one more per event, whether
 * anyone listens or not, as in FreeSWITCH where a subscriber sees gaps for events it
 * did not ask for) and hands it to every listener.
 *
 * FreeSWITCH numbers an event when it is created and some are fired later (API events
 * after their command ran), so its listeners can see numbers out of order; the simulator
 * numbers at fire time, so the sequence a listener sees only ever increases.
 */
import type { EventOrigin } from './event-origins.js';
import { EventPrelude, type SwitchIdentity } from './event-prelude.js';
import type { HeaderBlock, SwitchEvent } from './switch-event.js';

export interface EventListener {
  /** Cheap test first: does this listener want events of that name/subclass? */
  wants(name: string, subclass: string | undefined): boolean;
  deliver(event: SwitchEvent): void;
}

export interface EventSpec {
  readonly name: string;
  readonly subclass?: string;
  readonly origin: EventOrigin;
  /** Headers after the prelude. */
  readonly blocks: readonly HeaderBlock[];
  readonly body?: string;
  readonly uniqueId?: string;
}

export class EventBus {
  private sequence: number;
  private readonly listeners = new Set<EventListener>();
  private readonly prelude: EventPrelude;
  /** Each observer with the event names it looks at (undefined: every event). */
  private readonly observers = new Map<(event: SwitchEvent) => void, ReadonlySet<string> | undefined>();
  /** Events fired so far; the cost figure the benchmark reads. */
  fired = 0;

  constructor(
    identity: SwitchIdentity,
    /** The time events are stamped with, microseconds since the epoch (SwitchCore.nowUs). */
    private readonly nowUs: () => number,
    firstSequence = 1,
  ) {
    this.prelude = new EventPrelude(identity);
    this.sequence = firstSequence - 1;
  }

  add(listener: EventListener): void {
    this.listeners.add(listener);
  }

  remove(listener: EventListener): void {
    this.listeners.delete(listener);
  }

  /** In-process observers (control API, tests) see every event, or those of the names given. */
  observe(fn: (event: SwitchEvent) => void, names?: readonly string[]): () => void {
    this.observers.set(fn, names === undefined ? undefined : new Set(names));
    return () => this.observers.delete(fn);
  }

  /**
   * Whether anyone would be handed an event of that name: when not, a caller may skip
   * building its headers and only take its number (`skip`).
   */
  wanted(name: string, subclass: string | undefined): boolean {
    for (const names of this.observers.values()) if (names === undefined || names.has(name)) return true;
    for (const listener of this.listeners) if (listener.wants(name, subclass)) return true;
    return false;
  }

  /** An event nobody is handed (`wanted` said so): it takes its Event-Sequence all the same. */
  skip(): void {
    ++this.sequence;
    this.fired++;
  }

  /**
   * Builds an event and takes its sequence number without delivering it: what
   * FreeSWITCH does for events it only serializes (uuid_dump's CHANNEL_DATA: capture f).
   */
  create(spec: EventSpec): SwitchEvent {
    return this.build(spec, ++this.sequence);
  }

  private build(spec: EventSpec, sequence: number): SwitchEvent {
    return {
      name: spec.name,
      subclass: spec.subclass,
      sequence,
      uniqueId: spec.uniqueId,
      blocks: [this.prelude.block(spec.name, spec.subclass, spec.origin, sequence, this.nowUs()), ...spec.blocks],
      body: spec.body,
      frames: {},
    };
  }

  fire(spec: EventSpec): void {
    const sequence = ++this.sequence;
    this.fired++;
    let event: SwitchEvent | undefined;
    // Built only if someone listens for it, and once for all who do.
    const make = (): SwitchEvent => (event ??= this.build(spec, sequence));
    for (const listener of this.listeners) {
      if (listener.wants(spec.name, spec.subclass)) listener.deliver(make());
    }
    for (const [observer, names] of this.observers) if (names === undefined || names.has(spec.name)) observer(make());
  }
}
