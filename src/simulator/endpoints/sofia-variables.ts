/**
 * The sip_* / rtp_* channel variables mod_sofia sets, step by step, with the names and
 * the moment each appears taken from the captures (b, c1, i: an inbound INVITE, an
 * outbound INVITE answered after ringing). Values are built from the simulated dialog.
 */
import type { HeaderValue } from '../events/switch-event.js';
import type { Channel } from '../channels/channel.js';
import { phoneSdp, switchSdp, type SipLeg } from '../channels/sip-leg.js';

type Vars = Array<readonly [string, HeaderValue]>;

const CODEC_STRING = 'PCMU,PCMA';
const EP_CODEC = 'CORE_PCM_MODULE.PCMU@8000h@20i@64000b';

/** How a customer's (or a phone's) INVITE looked. */
export interface InboundInvite {
  readonly fromUser: string;
  readonly fromDisplay: string | undefined;
  readonly toUser: string;
  readonly toDisplay: string | undefined;
  readonly subject: string | undefined;
}

function profileUrl(sip: SipLeg): string {
  return `sip:mod_sofia@${sip.localIp}:${sip.localPort}`;
}

/** CHANNEL_CREATE of an inbound call (captures b, b3, c1: sipp INVITE to 8500/8600). */
export function inboundInviteVars(ch: Channel, invite: InboundInvite, sessionId: number, inviteStampUs: number): Vars {
  const sip = ch.sip!;
  const from = `${invite.fromUser}@${sip.remoteIp}:${sip.remotePort}`;
  const to = `${invite.toUser}@${sip.localIp}:${sip.localPort}`;
  const vars: Vars = [
    ['direction', 'inbound'],
    ['uuid', ch.uuid],
    ['call_uuid', ch.uuid],
    ['session_id', String(sessionId)],
    ['sip_from_user', invite.fromUser],
    ['sip_from_port', String(sip.remotePort)],
    ['sip_from_uri', from],
    ['sip_from_host', sip.remoteIp],
    ['video_media_flow', 'disabled'],
    ['audio_media_flow', 'disabled'],
    ['text_media_flow', 'disabled'],
    ['channel_name', ch.name],
    ['sip_call_id', sip.callId],
    ['sip_local_network_addr', sip.localIp],
    ['sip_network_ip', sip.remoteIp],
    ['sip_network_port', String(sip.remotePort)],
    ['sip_invite_stamp', String(inviteStampUs)],
    ['sip_received_ip', sip.remoteIp],
    ['sip_received_port', String(sip.remotePort)],
    ['sip_via_protocol', 'udp'],
    ['sip_authorized', 'true'],
    ['sip_acl_authed_by', 'domains'],
    ['sip_from_user_stripped', invite.fromUser],
    ['sip_from_tag', sip.fromTag],
    ['sofia_profile_name', sip.profile],
    ['sofia_profile_url', profileUrl(sip)],
    ['recovery_profile_name', sip.profile],
    ['sip_full_via', `SIP/2.0/UDP ${sip.remoteIp}:${sip.remotePort};branch=z9hG4bK-${sip.callId.slice(0, 8)}`],
  ];
  if (invite.fromDisplay !== undefined) vars.push(['sip_from_display', invite.fromDisplay]);
  const display = invite.fromDisplay !== undefined ? `"${invite.fromDisplay}" ` : '';
  vars.push(['sip_full_from', `${display}<sip:${from}>;tag=${sip.fromTag}`]);
  if (invite.toDisplay !== undefined) vars.push(['sip_to_display', invite.toDisplay]);
  const toDisplay = invite.toDisplay !== undefined ? `${invite.toDisplay} ` : '';
  vars.push(
    ['sip_full_to', `${toDisplay}<sip:${to}>`],
    ['sip_req_user', invite.toUser],
    ['sip_req_port', String(sip.localPort)],
    ['sip_req_uri', to],
    ['sip_req_host', sip.localIp],
    ['sip_to_user', invite.toUser],
    ['sip_to_port', String(sip.localPort)],
    ['sip_to_uri', to],
    ['sip_to_host', sip.localIp],
    ['sip_contact_user', invite.fromUser],
    ['sip_contact_port', String(sip.remotePort)],
    ['sip_contact_uri', from],
    ['sip_contact_host', sip.remoteIp],
    ['rtp_use_codec_string', CODEC_STRING],
  );
  if (invite.subject !== undefined) vars.push(['sip_subject', invite.subject]);
  vars.push(
    ['sip_via_host', sip.remoteIp],
    ['sip_via_port', String(sip.remotePort)],
    ['max_forwards', '70'],
    ['presence_id', `${invite.fromUser}@${sip.remoteIp}`],
    ['switch_r_sdp', phoneSdp(sip.remoteIp, sip.remoteMediaPort)],
    ['ep_codec_string', EP_CODEC],
    ['endpoint_disposition', 'DELAYED NEGOTIATION'],
  );
  return vars;
}

/** RTP negotiated: set when media comes up (PROGRESS_MEDIA inbound, ANSWER outbound). */
function mediaVars(): Vars {
  return [
    ['rtp_use_codec_string', CODEC_STRING],
    ['remote_video_media_flow', 'inactive'],
    ['remote_text_media_flow', 'inactive'],
    ['remote_audio_media_flow', 'sendrecv'],
    ['audio_media_flow', 'sendrecv'],
    ['rtp_audio_recv_pt', '0'],
    ['rtp_use_codec_name', 'PCMU'],
    ['rtp_use_codec_rate', '8000'],
    ['rtp_use_codec_ptime', '20'],
    ['rtp_use_codec_channels', '1'],
    ['rtp_last_audio_codec_string', 'PCMU@8000h@20i@1c'],
    ['read_codec', 'PCMU'],
    ['original_read_codec', 'PCMU'],
    ['read_rate', '8000'],
    ['original_read_rate', '8000'],
    ['write_codec', 'PCMU'],
    ['write_rate', '8000'],
    ['dtmf_type', 'rfc2833'],
  ];
}

function rtpVars(sip: SipLeg, withLocal: boolean): Vars {
  const vars: Vars = [];
  if (withLocal) {
    vars.push(['local_media_ip', sip.localIp], ['local_media_port', String(sip.localMediaPort)], ['advertised_media_ip', sip.localIp]);
  }
  vars.push(
    ['rtp_use_timer_name', 'soft'],
    ['rtp_use_pt', '0'],
    ['rtp_use_ssrc', sip.ssrc],
    ['rtp_2833_send_payload', '101'],
    ['rtp_2833_recv_payload', '101'],
    ['remote_media_ip', sip.remoteIp],
    ['remote_media_port', String(sip.remoteMediaPort)],
  );
  return vars;
}

/** An inbound call gets early media before it is answered (CHANNEL_PROGRESS_MEDIA in b, c1). */
export function inboundPreAnswerVars(ch: Channel): Vars {
  const sip = ch.sip!;
  return [...mediaVars(), ...rtpVars(sip, true)];
}

/** The 200 OK the switch sends carries its SDP (CHANNEL_ANSWER of an inbound call). */
export function inboundAnswerVars(ch: Channel, sessionId: number): Vars {
  const sip = ch.sip!;
  return [['rtp_local_sdp_str', switchSdp(sip.localIp, sip.localMediaPort, sessionId)]];
}

/** The caller's ACK lands after the answer: its To-tag and CSeq (first seen at CHANNEL_UNPARK in b, c1). */
export function inboundAckVars(ch: Channel): Vars {
  const sip = ch.sip!;
  return [
    ['sip_to_tag', sip.toTag],
    ['sip_cseq', String(sip.cseq)],
  ];
}

export interface OutboundTarget {
  /** `agent@127.0.0.1:5101`: what follows `sip:`. */
  readonly uri: string;
  /** Variables the endpoint adds (user/: dialed_user, dialed_domain, sip_invite_domain, presence_id). */
  readonly endpointVars: Vars;
  /** The gateway, for sofia/gateway/… */
  readonly gateway: string | undefined;
  /** Variables the leg gets once answered (a directory user's variables: capture i). */
  readonly answerVars?: Vars;
}

/** CHANNEL_CREATE of a leg the switch originates (b: sofia/internal/sip:agent@…; i: user/1007). */
export function outboundCreateVars(
  ch: Channel,
  target: OutboundTarget,
  originateVars: Vars,
  sessionId: number,
): Vars {
  const sip = ch.sip!;
  const vars: Vars = [
    ['direction', 'outbound'],
    ['is_outbound', 'true'],
    ['uuid', ch.uuid],
    ['call_uuid', ch.uuid],
    ['session_id', String(sessionId)],
    ['sip_local_network_addr', sip.localIp],
    ['sip_profile_name', sip.profile],
    ['video_media_flow', 'disabled'],
    ['text_media_flow', 'disabled'],
    ['channel_name', ch.name],
  ];
  if (target.gateway !== undefined) vars.push(['sip_gateway_name', target.gateway]);
  vars.push(['sip_destination_url', `sip:${target.uri}`], ...originateVars, ...target.endpointVars);
  const host = target.uri.slice(target.uri.indexOf('@') + 1);
  vars.push(
    ['originate_early_media', 'true'],
    ['originate_endpoint', 'sofia'],
    ['rtp_use_codec_string', CODEC_STRING],
    ['local_media_ip', sip.localIp],
    ['local_media_port', String(sip.localMediaPort)],
    ['advertised_media_ip', sip.localIp],
    ['audio_media_flow', 'sendrecv'],
    ['rtp_local_sdp_str', switchSdp(sip.localIp, sip.localMediaPort, sessionId)],
    ['sip_outgoing_contact_uri', `<${profileUrl(sip)}>`],
    ['sip_req_uri', target.uri],
    ['sip_to_host', host],
    ['sip_from_host', sip.localIp],
    ['sofia_profile_name', sip.profile],
    ['recovery_profile_name', sip.profile],
    ['sofia_profile_url', profileUrl(sip)],
  );
  return vars;
}

/** The far end's first reply (180 Ringing or an early failure) fills in the dialog (CHANNEL_PROGRESS in b). */
export function outboundReplyVars(
  ch: Channel,
  target: OutboundTarget,
  callerIdName: string,
  callerIdNumber: string,
  contactParams: string,
): Vars {
  const sip = ch.sip!;
  const [user = '', host = ''] = target.uri.split('@');
  const via = `SIP/2.0/UDP ${sip.localIp};rport;branch=z9hG4bK${sip.fromTag}`;
  const vars: Vars = [
    ['sip_reply_host', sip.remoteIp],
    ['sip_reply_port', String(sip.remotePort)],
    ['sip_network_ip', sip.remoteIp],
    ['sip_network_port', String(sip.remotePort)],
    ['sip_recover_contact', `<sip:${target.uri};transport=UDP>`],
    ['sip_full_via', via],
    ['sip_recover_via', via],
  ];
  if (callerIdName !== '') vars.push(['sip_from_display', callerIdName]);
  const display = callerIdName !== '' ? `"${callerIdName}" ` : '';
  vars.push(
    ['sip_full_from', `${display}<sip:${callerIdNumber}@${sip.localIp}>;tag=${sip.fromTag}`],
    ['sip_full_to', `<sip:${target.uri}>;tag=${sip.toTag}`],
    ['sip_from_user', callerIdNumber],
    ['sip_from_uri', `${callerIdNumber}@${sip.localIp}`],
    ['sip_to_user', user],
    ['sip_to_port', String(sip.remotePort)],
    ['sip_to_uri', `${user}@${host}`],
    ['sip_contact_params', contactParams],
    ['sip_contact_user', user],
    ['sip_contact_port', String(sip.remotePort)],
    ['sip_contact_uri', `${user}@${sip.remoteIp}:${sip.remotePort}`],
    ['sip_contact_host', sip.remoteIp],
    ['sip_to_tag', sip.toTag],
    ['sip_from_tag', sip.fromTag],
    ['sip_cseq', String(sip.cseq)],
    ['sip_call_id', sip.callId],
  );
  return vars;
}

/** The 200 OK with the phone's SDP (CHANNEL_ANSWER of an originated leg in b). */
export function outboundAnswerVars(ch: Channel): Vars {
  const sip = ch.sip!;
  return [
    ['switch_r_sdp', phoneSdp(sip.remoteIp, sip.remoteMediaPort)],
    ['ep_codec_string', EP_CODEC],
    ...mediaVars().filter(([n]) => n !== 'rtp_use_codec_string' && n !== 'audio_media_flow'),
    ...rtpVars(sip, false),
  ];
}

/** RTP counters FreeSWITCH adds to a sofia channel when it hangs up (CHANNEL_HANGUP_COMPLETE). */
export function rtpStatsVars(audioOutPackets: number): Vars {
  const out = String(audioOutPackets);
  const outBytes = String(audioOutPackets * 172);
  return [
    ['rtp_audio_in_raw_bytes', '0'],
    ['rtp_audio_in_media_bytes', '0'],
    ['rtp_audio_in_packet_count', '0'],
    ['rtp_audio_in_media_packet_count', '0'],
    ['rtp_audio_in_skip_packet_count', '0'],
    ['rtp_audio_in_jitter_packet_count', '0'],
    ['rtp_audio_in_dtmf_packet_count', '0'],
    ['rtp_audio_in_cng_packet_count', '0'],
    ['rtp_audio_in_flush_packet_count', '0'],
    ['rtp_audio_in_largest_jb_size', '0'],
    ['rtp_audio_in_jitter_min_variance', '0.00'],
    ['rtp_audio_in_jitter_max_variance', '0.00'],
    ['rtp_audio_in_jitter_loss_rate', '0.00'],
    ['rtp_audio_in_jitter_burst_rate', '0.00'],
    ['rtp_audio_in_mean_interval', '0.00'],
    ['rtp_audio_in_flaw_total', '0'],
    ['rtp_audio_in_quality_percentage', '100.00'],
    ['rtp_audio_in_mos', '4.50'],
    ['rtp_audio_out_raw_bytes', outBytes],
    ['rtp_audio_out_media_bytes', outBytes],
    ['rtp_audio_out_packet_count', out],
    ['rtp_audio_out_media_packet_count', out],
    ['rtp_audio_out_skip_packet_count', '0'],
    ['rtp_audio_out_dtmf_packet_count', '0'],
    ['rtp_audio_out_cng_packet_count', '0'],
    ['rtp_audio_rtcp_packet_count', '0'],
    ['rtp_audio_rtcp_octet_count', '0'],
  ];
}
