/**
 * @polylink/agent-bar: seed 002's AgentBar for browsers and Node, over polylink's
 * WebSocket /agent protocol (cti.json). See README.md.
 */
export { AgentBar } from './agent-bar.js';
export { AGENT_PATH, type AgentBarOptions, type AgentResponse, type QueryResult, type SignInResult } from './session.js';
export { AgentState, CallStatus, agentStateName, type AgentStateValue, type CallStatusValue } from './call-state.js';
export { AgentBarError, ErrorCode, errorTexts } from './errors.js';
export { JS_EVENT_PARAMETERS, type JsEventName } from './js-events.js';
export type { WebSocketConstructor, WebSocketLike } from './socket.js';
export type * from './events.js';
export { AgentStatus } from '../../../src/core/agent-status.js';
export { decodeMakeStr } from '../../../src/numbers/make-str.js';
