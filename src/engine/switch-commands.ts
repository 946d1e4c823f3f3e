/**
 * Sends the core's switch commands to the switch port. The port never rejects; a command
 * with a ref has its result handed back to the core as an input, in a later turn of the
 * event loop. Commands in flight are kept so that a stop can let them finish.
 */
import type { Logger } from '../log.js';
import type { SwitchCommand, SwitchRef } from '../core/ports/switch-command.js';
import type { SwitchPort, SwitchResult } from '../core/ports/switch-port.js';
import { withinTime } from './connections.js';

export class SwitchCommands {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly port: SwitchPort,
    private readonly log: Logger,
    private readonly onResult: (ref: SwitchRef, result: SwitchResult<unknown>) => void,
  ) {}

  send(command: SwitchCommand, ref: SwitchRef | undefined): void {
    const handled = this.run(command).then((result) => {
      if (!result.ok) this.log.debug({ op: command.op, reason: result.reason, message: result.message, cause: result.cause }, 'switch command failed');
      if (ref !== undefined) this.onResult(ref, result);
    });
    this.inFlight.add(handled);
    void handled.finally(() => this.inFlight.delete(handled));
  }

  /** Resolves when every command sent so far has its answer handled, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    // Handling an answer may send further commands: wait for those too.
    while (this.inFlight.size > 0 && Date.now() < until) await withinTime(Promise.allSettled([...this.inFlight]), until - Date.now());
  }

  private run(command: SwitchCommand): Promise<SwitchResult<unknown>> {
    const port = this.port;
    switch (command.op) {
      case 'originate':
        return port.originate(command.request);
      case 'answer':
      case 'hold':
      case 'unhold':
      case 'mute':
      case 'unmute':
      case 'park':
      case 'stopPlayback':
      case 'phoneTalk':
        return port[command.op](command.uuid);
      case 'bridge':
        return port.bridge(command.uuid, command.otherUuid);
      case 'transfer':
        return port.transfer(command.uuid, command.request);
      case 'playback':
        return port.playback(command.uuid, command.source, command.legs);
      case 'recordStart':
      case 'recordStop':
        return port[command.op](command.uuid, command.path);
      case 'threeWay':
        return port.threeWay(command.uuid, command.conference);
      case 'kickConferenceMember':
        return port.kickConferenceMember(command.conference, command.memberId);
      case 'kill':
        return port.kill(command.uuid, command.cause);
      case 'setEavesdropMode':
        return port.setEavesdropMode(command.uuid, command.mode);
      case 'setVariable':
        return port.setVariable(command.uuid, command.name, command.value);
      case 'follow':
        return port.follow(command.channels);
    }
  }
}
