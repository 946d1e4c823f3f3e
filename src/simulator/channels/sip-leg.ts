/**
 * What a sofia channel knows of its SIP dialog: the far end's address, tags, Call-ID,
 * media ports. The sip_* / rtp_* variables FreeSWITCH sets are derived from it.
 */
import { randomBytes } from 'node:crypto';

export interface SipLeg {
  /** The SIP profile the leg is on (`internal` in the captures). */
  readonly profile: string;
  /** The switch side. */
  readonly localIp: string;
  readonly localPort: number;
  /** The far end (phone, customer, gateway). */
  remoteIp: string;
  remotePort: number;
  callId: string;
  fromTag: string;
  toTag: string;
  localMediaPort: number;
  remoteMediaPort: number;
  ssrc: string;
  cseq: number;
}

let mediaPort = 16384;

/** RTP ports the simulated switch hands out (even ports, 16384–32767, like rtp-start/end-port). */
export function nextMediaPort(): number {
  mediaPort += 2;
  if (mediaPort > 32766) mediaPort = 16386;
  return mediaPort;
}

export function sipTag(): string {
  return randomBytes(9).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 13);
}

export function sipCallId(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function ssrc(): string {
  return String(randomBytes(4).readUInt32BE(0));
}

/** The SDP a SIP phone offers or answers with (what sipp sent in the captures). */
export function phoneSdp(ip: string, mediaPort: number): string {
  return (
    `v=0\r\no=user1 53655765 2353687637 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\n` +
    `m=audio ${mediaPort} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n`
  );
}

/** The SDP the switch sends (FreeSWITCH's own). */
export function switchSdp(ip: string, mediaPort: number, sessionId: number): string {
  return (
    `v=0\r\no=FreeSWITCH ${sessionId} ${sessionId + 1} IN IP4 ${ip}\r\ns=FreeSWITCH\r\nc=IN IP4 ${ip}\r\nt=0 0\r\n` +
    `m=audio ${mediaPort} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n` +
    `a=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n`
  );
}
