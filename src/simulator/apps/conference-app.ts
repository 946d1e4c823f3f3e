/**
 * conference <name>[@<profile>]: the leg joins the room (answering first if needed)
 * and stays until it hangs up or the room drops it (hup, kick) — then its list moves
 * on and, being empty, hangs it up, as in capture e (del-member before the hangup).
 */
import type { Conferences } from '../conference/conference.js';
import type { AppHandler } from './app-runner.js';

export function conferenceApp(rooms: Conferences): AppHandler {
  return (run) => {
    const ch = run.ch;
    const [name = '', profile = 'default'] = run.data.split(/[@+ ]/);
    if (name === '') {
      run.complete();
      return;
    }
    if (!ch.answered) run.sim.flows.answer(ch);
    const room = rooms.getOrCreate(name, profile);
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      room.remove(member);
      run.complete();
    };
    const member = room.join(ch, leave);
    run.hold({ interrupt: () => leave() });
  };
}
