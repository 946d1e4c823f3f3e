/**
 * The one registry of result codes on the wire (seed 002 §3.2.8, spec §6). Every code keeps
 * the number and meaning the seed gives it; the server sends the English text as `reason`
 * and keeps the Chinese text for clients. Codes the seed lacks are added from -85 down.
 * The core decides outcomes of its own (src/core/outcomes.ts: names and numbers, no text);
 * each is the wire code of the same name here, which is how the protocol maps it (the
 * unit test of this file checks that every outcome is registered with its number).
 */

export interface ErrorInfo {
  readonly code: number;
  readonly en: string;
  readonly zh: string;
}

const table = {
  OK: [0, 'OK', '成功'],
  XML_PARSE_ERROR: [-1, 'Message is not well-formed or is too large', 'XML 解析错误'],
  ROOT_NOT_REQUEST: [-2, 'Root element is not "request"', 'XML 根节点的 tag 名称不是 "request"'],
  CMDTYPE_EMPTY: [-3, 'cmdType is empty', 'cmdType 字段为空'],
  AGENTID_EMPTY: [-4, 'agentID is empty', 'agentID 字段为空'],
  CMDTYPE_UNKNOWN: [-5, 'Unknown cmdType', 'cmdType 类型未知'],
  DUPLICATE_SIGNIN: [-6, 'Already signed in', '请不要重复签入'],
  AGENTID_MISMATCH: [-7, 'agentID does not match the agent signed in on this connection', '工号与登陆的 socket 号不相符'],
  AGENTPWD_EMPTY: [-8, 'agentPwd is empty', 'agentPwd 字段为空'],
  BINDEXTEN_INVALID: [-9, 'bindExten is not yes or no', 'bindExten 字段不为 yes 或 no'],
  AGENTEXTEN_EMPTY: [-10, 'bindExten is yes but agentExten is empty', 'bindExten 字段为 yes 但 agentExten 字段为空'],
  EXTEN_NOT_REGISTERED: [-11, 'Extension is not registered', '分机状态错误,请检查该分机是否注册在线'],
  EXTEN_BOUND_BY_OTHER: [-12, 'Extension is bound by another agent', '分机已被其他座席绑定'],
  INITSTATUS_EMPTY: [-13, 'initStatus is empty', '登陆初始座席状态为空'],
  INITSTATUS_INVALID: [-14, 'initStatus is invalid', '登陆初始座席状态不合法'],
  TARGET_STATUS_EMPTY: [-15, 'Target status is empty', '目标座席状态为空'],
  TARGET_STATUS_INVALID: [-16, 'Target status is invalid', '目标座席状态不合法'],
  CANNOT_SWITCH_TO_TARGET_STATUS: [-17, 'Cannot switch to the target status by hand', '不能手动切换至目标座席状态'],
  CUSTOMER_NUM_EMPTY: [-18, 'Called number is empty', 'customerNum 字段为空'],
  DISPLAY_NUM_EMPTY: [-19, 'Display number is empty', 'customerDisplayNum 字段为空'],
  ROLE_NOT_FOUND: [-20, 'Role of the agent not found', '查找座席角色失败'],
  NO_RIGHT: [-21, 'Permission denied', '权限检查失败,请确认您是否有该权限'],
  DISPLAY_NUM_INVALID: [-22, 'Display number is invalid', 'customerDisplayNum 字段不合法'],
  NOT_SIGNED_IN: [-23, 'Agent not found, not signed in', '没有找到座席,可能没有签入'],
  AGENT_STATE_ERROR: [-24, 'Agent status does not allow this', '座席状态错误'],
  EXTEN_NOT_BOUND: [-25, 'Agent has no bound extension', '座席没有绑定分机'],
  BOUND_EXTEN_STATE_ERROR: [-26, 'Bound extension is not available', '绑定的分机状态错误'],
  TARGET_AGENT_STATE_ERROR: [-27, 'Target agent status does not allow this', '目标座席状态错误'],
  CALLER_IS_CALLEE: [-28, 'Caller and callee are the same', '主叫和被叫相同'],
  CALLER_NOT_FOUND: [-29, 'Calling agent not found, not signed in', '未找到主叫座席,可能没有签入'],
  CALLEE_NOT_FOUND: [-30, 'Called agent not found, not signed in', '未找到被叫座席,可能没有签入'],
  CALLER_STATE_ERROR: [-31, 'Calling agent status does not allow this', '主叫座席状态错误'],
  CALLEE_STATE_ERROR: [-32, 'Called agent status does not allow this', '被叫座席状态错误'],
  CALLER_EXTEN_NOT_BOUND: [-33, 'Calling agent has no bound extension', '主叫座席未绑定分机'],
  CALLEE_EXTEN_NOT_BOUND: [-34, 'Called agent has no bound extension', '被叫座席未绑定分机'],
  CALLER_EXTEN_STATE_ERROR: [-35, 'Extension of the calling agent is not available', '主叫座席绑定的分机状态错误'],
  CALLEE_EXTEN_STATE_ERROR: [-36, 'Extension of the called agent is not available', '被叫座席绑定的分机状态错误'],
  LANGUAGE_INVALID: [-37, 'language is not zh or en', 'language 字段不是 zh 或 en'],
  AGENT_GROUP_LOOKUP_FAILED: [-38, 'Agent group of the agent not found', '查找座席所在座席组失败'],
  IVR_NUM_EMPTY: [-39, 'IVR number is empty', 'IVR 号码为空'],
  IVR_NUM_INVALID: [-40, 'IVR number is invalid', 'IVR 号码非法'],
  QUEUE_NUM_EMPTY: [-41, 'Queue number is empty', '队列号码为空'],
  QUEUE_NUM_INVALID: [-42, 'Queue number is invalid', '队列号码非法'],
  DATABASE_QUERY_FAILED: [-43, 'Database query failed', '后台查询数据库失败'],
  AGENT_GROUP_NUM_EMPTY: [-44, 'Agent group number is empty', '座席组号码为空'],
  AGENT_GROUP_LIST_FIELD_EMPTY: [-45, 'Agent group list field is empty', '座席组号码列表字段为空'],
  AGENT_GROUP_LIST_EMPTY: [-46, 'Agent group list is empty', '座席组列表为空'],
  QUEUE_MODULE_UNAVAILABLE: [-47, 'Queue module unavailable', '队列管理模块指针为空'],
  QUEUES_OF_AGENT_LOOKUP_FAILED: [-48, 'Queues of the agent not found', '查找座席所属队列列表失败'],
  TARGET_AGENT_NOT_FOUND: [-49, 'Target agent not found, not signed in', '未找到目标座席,可能没有签入'],
  TARGET_AGENT_STATUS_ERROR: [-50, 'Target agent status is wrong', '目标座席座席状态错误'],
  AGENT_NOT_REGISTERED: [-51, 'Agent does not exist', '该座席没有注册'],
  AGENT_NOT_ENABLED: [-52, 'Agent is not enabled', '该座席还未启用'],
  WRONG_PASSWORD: [-53, 'Wrong password', '登陆密码错误'],
  SIGNOUT_FAILED: [-54, 'Failed to sign the agent out', '使座席下线失败'],
  AGENT_INIT_FAILED: [-55, 'Failed to initialise the agent', '初始化座席相关参数失败'],
  EXTEN_LOCK_FAILED: [-56, 'Failed to lock the extension', '锁分机失败'],
  CALLOUT_FAILED: [-57, 'Outbound call failed', '手动呼出失败'],
  CHANGE_STATUS_FAILED: [-58, 'Failed to change the agent status', '改变座席状态失败'],
  BAD_PARAMETER: [-59, 'Invalid parameter', '输入参数错误'],
  /** The switch (FreeSWITCH, the seed's phone module) could not do what polylink asked, or no node is connected. */
  CALL_MODULE_FAILED: [-60, 'The phone module (switch) failed to carry out the operation', '电话管理模块操作失败'],
  AGENT_GROUP_NOT_FOUND: [-61, 'Agent group does not exist', '坐席组号码不存在'],
  WEBSITES_FAILED: [-62, 'Failed to read the agent web sites', '获得自定义网址失败'],
  IVR_PROFILE_NUM_EMPTY: [-63, 'IVR profile number is empty', 'IVR Profile 号码为空'],
  IVR_PROFILE_NUM_INVALID: [-64, 'IVR profile number is invalid', 'IVR Profile 号码非法'],
  OUTBOUND_FLAG_EMPTY: [-65, 'Outside-number flag is empty', '是否是外线号码标识为空'],
  BUSY_FORWARD_NUMBER_EMPTY: [-66, 'Busy-forward outside number is empty', '忙转的外线号码为空'],
  TARGET_STATUS_CANNOT_BE_FORCED: [-67, 'The target agent status cannot be forced now', '对方坐席状态无法被强制改变'],
  AGENT_HAS_NO_GROUP: [-68, 'This agent belongs to no agent group', '此坐席不属于任何坐席组!'],
  APPLY_THRESHOLD_REACHED: [-69, 'The group has reached its maximum of applications, try later', '已申请的数量已达到允许的最大阀值,请稍后再试!'],
  ALREADY_APPLIED: [-70, 'You have already applied', '您已经申请过,请不要重复申请!'],
  APPROVER_OFFLINE: [-71, 'No approver is online, try later', '审批者目前不在线,请稍后再试!'],
  OWN_GROUP_NOT_FOUND: [-72, 'Your agent group was not found', '未找到您所在的坐席组!'],
  APPLICANT_ID_EMPTY: [-73, 'Applicant agent ID is empty', '申请者的工号为空!'],
  APPROVAL_RESULT_EMPTY: [-74, 'Approval result is empty', '审批结果不能为空!'],
  APPROVAL_ALREADY_HANDLED: [-75, 'This application has already been handled', '此审批已经被处理!'],
  APPLICATION_STATE_WRONG: [-76, 'This application is not in a state that allows this', '此申请的处理状态不正确!'],
  AGENT_GROUP_NAME_EMPTY: [-77, 'Agent group name is empty', '坐席组名称不能为空!'],
  THRESHOLD_INVALID: [-78, 'Agent group threshold is invalid', '坐席组离开阀值无效!'],
  THRESHOLD_SET_FAILED: [-79, 'Failed to set the agent group threshold', '设置坐席组离开阀值失败!'],
  APPLICATION_TIMED_OUT: [-80, 'The application or approval timed out', '此申请或审批超时,操作无效!'],
  AGENT_CALL_UUID_EMPTY: [-81, 'Agent call uuid is empty', '坐席电话 uud 为空!'], // sic: the seed's own text, kept verbatim for clients
  CUSTOMER_CALL_UUID_EMPTY: [-82, 'Customer call uuid is empty', '客户电话 uuid 为空!'],
  WEB_SERVICE_FAILED: [-83, 'Web service call failed', 'web 服务调用失败!'],
  OLD_PASSWORD_WRONG: [-84, 'Old password is wrong', '旧密码错误!'],
  // Added by polylink (not in the seed's table), from -85 down.
  TOO_MANY_REQUESTS: [-85, 'Too many requests on this connection, slow down', '请求过于频繁,请稍后再试'],
  NEW_PASSWORD_INVALID: [-86, 'New password is too short or contains control characters', '新密码太短或含有非法字符'],
  // Answered by the supervisor commands before they were built; no command answers it now. Kept so the number is never reused.
  COMMAND_NOT_OFFERED: [-87, 'This server does not offer the command yet', '服务器暂不支持该命令'],
  TOO_MANY_CONNECTIONS: [-88, 'Too many connections from this address', '来自该地址的连接过多'],
  SIGNIN_THROTTLED: [-89, 'Too many failed sign-ins from this address, try again later', '该地址签入失败次数过多,请稍后再试'],
  AGENT_LOCKED: [-90, 'Agent ID locked after wrong passwords from many addresses; a supervisor can unlock it', '该工号因多处密码错误已被锁定,请联系班长解锁'],
  SERVER_STOPPING: [-91, 'The server is shutting down; connect again in a moment', '服务器正在关闭,请稍后重新连接'],
  // Client-side codes of the seed, kept so the table is complete for clients.
  CLIENT_RECEIVE_THREAD_EXITED: [-1000, 'Client receive thread exited', '客户端接收信息线程异常退出'],
  CLIENT_DISCONNECTED: [-1001, 'Disconnected from the network', '与网络断开连接!'],
  CLIENT_NETWORK_ERROR: [-1002, 'Network error', '网络异常错误!'],
  SYSTEM_ERROR: [-2000, 'Internal server error', '系统异常错误!'],
  SYSTEM_ERROR_2: [-2001, 'Internal server error', '系统异常错误!'],
} as const satisfies Record<string, readonly [number, string, string]>;

export type ErrorName = keyof typeof table;

/** Code numbers by name: `ErrorCode.NOT_SIGNED_IN === -23`. */
export const ErrorCode = Object.fromEntries(Object.entries(table).map(([name, [code]]) => [name, code])) as {
  readonly [K in ErrorName]: (typeof table)[K][0];
};

const byCode = new Map<number, ErrorInfo>(
  Object.values(table).map(([code, en, zh]) => [code, { code, en, zh }] as const),
);

export function errorInfo(code: number): ErrorInfo {
  const info = byCode.get(code);
  if (info === undefined) throw new Error(`unregistered result code ${code}`);
  return info;
}

/** The English reason a response carries for `code`. */
export function reasonOf(code: number): string {
  return errorInfo(code).en;
}

export function allErrors(): ErrorInfo[] {
  return [...byCode.values()].sort((a, b) => b.code - a.code);
}
