/** The built-in FreeSWITCH simulator: see docs/simulator.md. */
export { SwitchSimulator, type ChannelInfo, type RegisterOptions } from './switch-simulator.js';
export type { SimulatorOptions } from './options.js';
export type { CalleeBehaviour } from './behaviour/callee-behaviour.js';
export type { GatewayOptions, NumberRule } from './behaviour/gateways.js';
export type { PlaceCallOptions, CustomerCall } from './customers/customer-call.js';
export type { AccessNumberOptions, IvrOptions } from './dialplan/dialplan.js';
export type { DialplanAction } from './core/sim-context.js';
export type { LocalStream } from './media/local-streams.js';
export type { EavesdropInfo, MediaModel } from './media/audio-paths.js';
export type { SwitchEvent } from './events/switch-event.js';
export { eventHeader } from './events/switch-event.js';
export { LoadGenerator, type LoadProfile, type LoadStats } from './load/load-generator.js';
