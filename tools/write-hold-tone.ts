/** `npm run hold-tone`: writes freeswitch-conf/music/8000/polylink-hold.wav from tools/hold-tone.ts. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { holdToneWav } from './hold-tone.js';

const HOLD_TONE_FILE = join('freeswitch-conf', 'music', '8000', 'polylink-hold.wav');

const target = join(process.cwd(), HOLD_TONE_FILE);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, holdToneWav());
console.log(`wrote ${HOLD_TONE_FILE}`);
