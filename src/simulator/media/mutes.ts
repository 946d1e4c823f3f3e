/**
 * What `uuid_audio <uuid> start read|write mute` did to each leg (switch_ivr_session_audio:
 * a media bug that zeroes the frames): `read`, the switch hears nothing of the leg's
 * phone, so neither does anyone else; `write`, the leg's phone hears nothing. Media
 * only: FreeSWITCH signals it to nobody.
 */
import type { Channel } from '../channels/channel.js';

export const muted = new WeakMap<Channel, 'read' | 'write'>();
