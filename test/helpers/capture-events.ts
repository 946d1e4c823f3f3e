/** Events and replies decoded from the real captures, for mapping and reconcile tests. */
import { type EslEvent, decodeFrame } from '../../src/esl/event.js';
import { type EslFrame, EslFramer } from '../../src/esl/framer.js';
import { readCapture } from './esl-captures.js';

export function captureFrames(name: string): EslFrame[] {
  return new EslFramer().pushAll(readCapture(name));
}

export function captureEvents(name: string): EslEvent[] {
  return captureFrames(name).flatMap((frame) => {
    const message = decodeFrame(frame);
    return message.kind === 'event' ? [message.event] : [];
  });
}

/** The api/response bodies of a capture, in order. */
export function captureApiBodies(name: string): string[] {
  return captureFrames(name).flatMap((frame) => {
    const message = decodeFrame(frame);
    return message.kind === 'api-response' ? [message.body] : [];
  });
}
