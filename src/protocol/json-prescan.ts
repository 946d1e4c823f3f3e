/**
 * One linear look at a JSON message before JSON.parse: its nesting and how many
 * objects, arrays and values it holds, counted outside strings. JSON.parse itself is
 * fast, but what is built from its result is not free (6,000 members cost ~35 ms to
 * walk), and a recursive walk of 30,000 nested arrays overflowed the stack: the depth
 * is known here before anything is built.
 */
import { MAX_DEPTH, MAX_NODES } from './message.js';

/** Why the message is refused before parsing, or undefined when JSON.parse may have it. */
export function prescanJson(text: string): string | undefined {
  let depth = 0;
  let nodes = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    switch (c) {
      case 0x22:
        inString = true;
        break;
      case 0x7b: // {
      case 0x5b: // [
        if (++depth > MAX_DEPTH) return `nested deeper than ${MAX_DEPTH}`;
        if (++nodes > MAX_NODES) return `more than ${MAX_NODES} objects, arrays and values`;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        depth--;
        break;
      case 0x2c: // ,
        if (++nodes > MAX_NODES) return `more than ${MAX_NODES} objects, arrays and values`;
        break;
    }
  }
  return undefined;
}
