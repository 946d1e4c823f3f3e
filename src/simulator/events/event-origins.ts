/**
 * Event-Calling-File / -Function / -Line-Number of each event the simulator fires,
 * copied from the FreeSWITCH 1.10.12 captures (where in the C sources the real switch
 * creates that event). polylink ignores them; a person reading a trace does not.
 */
export interface EventOrigin {
  readonly file: string;
  readonly func: string;
  readonly line: string;
}

const o = (file: string, func: string, line: number): EventOrigin => ({ file, func, line: String(line) });

export const ORIGIN = {
  api: o('switch_loadable_module.c', 'switch_api_execute', 2954),
  backgroundJob: o('mod_event_socket.c', 'api_exec', 1572),
  callUpdateSofia: o('mod_sofia.c', 'sofia_receive_message', 2100),
  callUpdateFlipCid: o('switch_channel.c', 'switch_channel_flip_cid', 3277),
  answer: o('switch_channel.c', 'switch_channel_perform_mark_answered', 3846),
  bridge: o('switch_ivr_bridge.c', 'switch_ivr_multi_threaded_bridge', 1689),
  unbridge: o('switch_ivr_bridge.c', 'switch_ivr_multi_threaded_bridge', 1879),
  callstate: o('switch_channel.c', 'switch_channel_perform_set_callstate', 301),
  create: o('switch_core_state_machine.c', 'switch_core_session_run', 626),
  originate: o('switch_core_state_machine.c', 'switch_core_session_run', 632),
  destroy: o('switch_core_session.c', 'switch_core_session_perform_destroy', 1584),
  execute: o('switch_core_session.c', 'switch_core_session_exec', 2944),
  executeComplete: o('switch_core_session.c', 'switch_core_session_exec', 2967),
  executeUuidBridgeA: o('switch_ivr_bridge.c', 'uuid_bridge_on_soft_execute', 1236),
  executeUuidBridgeB: o('switch_ivr_bridge.c', 'uuid_bridge_on_soft_execute', 1243),
  hangup: o('switch_channel.c', 'switch_channel_perform_hangup', 3445),
  hangupComplete: o('switch_core_state_machine.c', 'switch_core_session_reporting_state', 943),
  hold: o('switch_ivr.c', 'switch_ivr_hold', 1558),
  unhold: o('switch_ivr.c', 'switch_ivr_unhold', 1638),
  outgoing: o('switch_core_session.c', 'switch_core_session_outgoing_channel', 768),
  park: o('switch_ivr.c', 'switch_ivr_park', 1002),
  unpark: o('switch_ivr.c', 'switch_ivr_park', 1213),
  progress: o('switch_channel.c', 'switch_channel_perform_mark_ring_ready_value', 3505),
  progressMedia: o('switch_channel.c', 'switch_channel_perform_mark_pre_answered', 3560),
  state: o('switch_channel.c', 'switch_channel_perform_set_running_state', 2408),
  codecRead: o('switch_core_codec.c', 'switch_core_session_set_read_codec', 279),
  codecRealRead: o('switch_core_codec.c', 'switch_core_session_set_real_read_codec', 168),
  codecWrite: o('switch_core_codec.c', 'switch_core_session_set_write_codec', 450),
  playbackStart: o('switch_ivr_play_say.c', 'switch_ivr_play_file', 1646),
  playbackStop: o('switch_ivr_play_say.c', 'switch_ivr_play_file', 2020),
  presenceIn: o('switch_channel.c', 'switch_channel_perform_presence', 805),
  heartbeat: o('switch_core.c', 'send_heartbeat', 95),
  shutdown: o('switch_core.c', 'switch_core_destroy', 3023),
  unpublish: o('sofia.c', 'sofia_profile_thread_run', 3552),
  uuidDump: o('mod_commands.c', 'uuid_dump_function', 6468),
  sofiaRegister: o('sofia_reg.c', 'sofia_reg_handle_register_token', 2059),
  // Capture k.
  sofiaRegisterAttempt: o('sofia_reg.c', 'sofia_reg_handle_register_token', 1606),
  sofiaUnregister: o('sofia_reg.c', 'sofia_reg_handle_register_token', 2213),
  // Not in the captures; the line of the same 1.10 sources.
  sofiaExpire: o('sofia_reg.c', 'sofia_reg_del_callback', 570),
  // Capture d2: the event is fired when the digit is read from the channel's queue.
  dtmf: o('switch_channel.c', 'switch_channel_dequeue_dtmf', 677),
  recordStart: o('switch_ivr_async.c', 'record_callback', 1274),
  recordStop: o('switch_ivr_async.c', 'record_callback', 1371),
  confCreate: o('mod_conference.c', 'conference_new', 3848),
  confDestroy: o('mod_conference.c', 'conference_thread_run', 863),
  confAddMember: o('conference_member.c', 'conference_member_add', 962),
  confDelMember: o('conference_member.c', 'conference_member_del', 1355),
  confFloorChange: o('conference_member.c', 'conference_member_set_floor_holder', 1158),
  confHupMember: o('conference_api.c', 'conference_api_sub_hup', 871),
  confKickMember: o('conference_api.c', 'conference_api_sub_kick', 815),
  confPlayFile: o('conference_file.c', 'conference_file_play', 268),
  confPlayFileDone: o('conference_file.c', 'conference_file_close', 52),
} as const;
