/**
 * The simulated SIP user agents the switch can reach by address (`sip:…@ip:port`):
 * agents' phones (registered as directory users) and bare endpoints such as the sipp
 * instances of the captures. Each has a behaviour for the calls it receives.
 */
import type { CalleeBehaviour } from './callee-behaviour.js';

export interface SimPhone {
  readonly ip: string;
  readonly port: number;
  behaviour: CalleeBehaviour;
  /** Whom the phone says it is in its Contact (sipp said `agent`). */
  readonly contactUser: string;
  /** Parameters of its Contact; default `transport=UDP`. */
  readonly contactParams?: string;
  /** The Allow header of its 200 OK, if it sends one (sofia keeps it as sip_allow; capture m's sipp did). */
  readonly allow?: string;
}

export class SipPhones {
  private readonly byAddress = new Map<string, SimPhone>();
  private nextPort = 25000;

  add(phone: SimPhone): SimPhone {
    this.byAddress.set(key(phone.ip, phone.port), phone);
    return phone;
  }

  /** A fresh address on the simulated LAN for a phone that was given none. */
  allocateAddress(): { ip: string; port: number } {
    return { ip: '127.0.0.1', port: this.nextPort++ };
  }

  find(ip: string, port: number): SimPhone | undefined {
    return this.byAddress.get(key(ip, port));
  }

  remove(ip: string, port: number): void {
    this.byAddress.delete(key(ip, port));
  }
}

function key(ip: string, port: number): string {
  return `${ip}:${port}`;
}
