/**
 * What happened to each customer of a load, in the switch's own time: the
 * Event-Date-Timestamp (microseconds) of the events a CTI reacts to — the customer's
 * CHANNEL_PARK, the CHANNEL_BRIDGE to an agent, that agent leg's CHANNEL_ANSWER and
 * CHANNEL_HANGUP_COMPLETE, the customer's CHANNEL_HANGUP. A load harness measures its
 * latencies from these times, as a customer would: from the moment the switch acted.
 *
 * The agent leg is the one bridged to the customer; polylink marks its legs with the
 * `polylink_agent` channel variable, which names the agent.
 */
import type { SwitchEvent } from '../events/switch-event.js';
import { eventHeader } from '../events/switch-event.js';
import type { SwitchCore } from '../core/switch-core.js';

export interface CustomerRecord {
  readonly uuid: string;
  readonly caller: string;
  /** The number the customer dialled. */
  readonly to: string;
  /** When the call was placed (the switch's clock, µs). */
  readonly placedUs: number;
  parkUs: number | undefined;
  /** The first bridge of the customer's leg. */
  bridgeUs: number | undefined;
  agentLeg: string | undefined;
  /** The agent polylink put on the agent leg (`polylink_agent`). */
  agentId: string | undefined;
  agentAnswerUs: number | undefined;
  agentHangupUs: number | undefined;
  /** The customer's CHANNEL_HANGUP. */
  hangupUs: number | undefined;
  cause: string | undefined;
}

export class CallTimeline {
  /** The events `observe` looks at (so that the switch builds no others for it). */
  static readonly EVENT_NAMES = ['CHANNEL_PARK', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE'] as const;

  private readonly byUuid = new Map<string, CustomerRecord>();
  private readonly records: CustomerRecord[] = [];
  /** Agent legs' CHANNEL_ANSWER times until their bridge tells whose customer they serve. */
  private readonly answers = new Map<string, number>();
  /** Agent leg → its customer, for the leg's hangup. */
  private readonly agentLegs = new Map<string, CustomerRecord>();

  constructor(private readonly core: SwitchCore) {}

  /** A customer of the load, known before its call exists (its park may come before placeCall returns). */
  expect(uuid: string, caller: string, to: string): void {
    const record: CustomerRecord = {
      uuid,
      caller,
      to,
      placedUs: this.core.nowUs(),
      parkUs: undefined,
      bridgeUs: undefined,
      agentLeg: undefined,
      agentId: undefined,
      agentAnswerUs: undefined,
      agentHangupUs: undefined,
      hangupUs: undefined,
      cause: undefined,
    };
    this.byUuid.set(uuid, record);
    this.records.push(record);
  }

  customers(): readonly CustomerRecord[] {
    return this.records;
  }

  /** The bus observer: cheap name tests first, headers only for the few events kept. */
  observe(event: SwitchEvent): void {
    const uuid = event.uniqueId;
    if (uuid === undefined) return;
    switch (event.name) {
      case 'CHANNEL_PARK': {
        const c = this.byUuid.get(uuid);
        if (c !== undefined && c.parkUs === undefined) c.parkUs = timeOf(event);
        return;
      }
      case 'CHANNEL_ANSWER':
        if (!this.byUuid.has(uuid) && this.core.findChannel(uuid)?.vars.get('polylink_agent') !== undefined) this.answers.set(uuid, timeOf(event));
        return;
      case 'CHANNEL_BRIDGE': {
        const c = this.byUuid.get(uuid);
        if (c === undefined || c.bridgeUs !== undefined) return;
        const partner = this.core.findChannel(uuid)?.bridge?.partner;
        c.bridgeUs = timeOf(event);
        if (partner === undefined) return;
        c.agentLeg = partner.uuid;
        c.agentId = partner.vars.get('polylink_agent');
        c.agentAnswerUs = this.answers.get(partner.uuid);
        this.answers.delete(partner.uuid);
        this.agentLegs.set(partner.uuid, c);
        return;
      }
      case 'CHANNEL_HANGUP': {
        const c = this.byUuid.get(uuid);
        if (c !== undefined && c.hangupUs === undefined) {
          c.hangupUs = timeOf(event);
          c.cause = eventHeader(event, 'Hangup-Cause');
        }
        return;
      }
      case 'CHANNEL_HANGUP_COMPLETE': {
        this.answers.delete(uuid);
        const c = this.agentLegs.get(uuid);
        if (c === undefined) return;
        c.agentHangupUs = timeOf(event);
        this.agentLegs.delete(uuid);
        return;
      }
    }
  }
}

function timeOf(event: SwitchEvent): number {
  return Number(eventHeader(event, 'Event-Date-Timestamp'));
}
