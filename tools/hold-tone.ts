/**
 * polylink's hold music: a short, calm melody over soft chords, made here from nothing but
 * arithmetic, so it is ours to ship (no recording, no licence). 8000 Hz, mono, 16-bit PCM
 * WAV — the rate of G.711 calls and of the `moh` source in
 * freeswitch-conf/autoload_configs/local_stream.conf.xml, which loops it.
 *
 * The result is the same bytes on every machine: only +, -, ×, ÷ and floor on doubles
 * (IEEE 754 makes those exact everywhere), sine included — Math.sin may differ between
 * engines in the last bit. test/unit/deploy/hold-tone.test.ts checks the committed file
 * against this function. `npm run hold-tone` writes it again.
 */

export const SAMPLE_RATE = 8000;
/** One beat of the melody, in samples (0.375 s: 160 beats a minute). */
const BEAT = 3000;

const HZ = { D4: 293.66, E4: 329.63, C4: 261.63, F4: 349.23, G4: 392.0, A4: 440.0, C5: 523.25, D5: 587.33, E5: 659.26, G5: 783.99, A5: 880.0, C6: 1046.5 } as const;
type Note = keyof typeof HZ;

/** The tune, one note a beat; the last note rings for two. */
const MELODY: readonly Note[] = ['E5', 'G5', 'A5', 'G5', 'E5', 'D5', 'C5', 'D5', 'E5', 'G5', 'C6', 'A5', 'G5', 'E5', 'D5', 'C5'];
/** A chord under each four beats (C, Am, F, G), in the telephone band (above 300 Hz, mostly). */
const CHORDS: readonly (readonly Note[])[] = [
  ['C4', 'G4'],
  ['E4', 'A4'],
  ['F4', 'C5'],
  ['D4', 'G4'],
];

/** sin(2πx) for x in cycles, by folding to a quarter wave and a Taylor series (error < 1e-6). */
function sineCycles(x: number): number {
  let t = x - Math.floor(x);
  if (t > 0.75) t -= 1;
  else if (t > 0.25) t = 0.5 - t;
  const r = t * 6.283185307179586;
  const r2 = r * r;
  return r * (1 - (r2 / 6) * (1 - (r2 / 20) * (1 - (r2 / 42) * (1 - (r2 / 72) * (1 - r2 / 110)))));
}

/** A soft bell: the note and two quieter overtones, a 15 ms rise, then a fall to silence over `length` samples. */
function bell(f: number, n: number, length: number): number {
  if (n < 0 || n >= length) return 0;
  const rise = Math.min(1, n / 120);
  const left = 1 - n / length;
  const x = (f * n) / SAMPLE_RATE;
  return rise * left * left * (sineCycles(x) + 0.25 * sineCycles(2 * x) + 0.08 * sineCycles(3 * x));
}

/** The samples of the whole loop, -1 … 1. */
export function holdToneSamples(): Float64Array {
  const total = MELODY.length * BEAT;
  const out = new Float64Array(total);
  MELODY.forEach((note, i) => {
    const start = i * BEAT;
    const length = i === MELODY.length - 1 ? total - start : 2 * BEAT;
    for (let n = 0; n < length && start + n < total; n++) out[start + n]! += 0.3 * bell(HZ[note], n, length);
  });
  const bar = 4 * BEAT;
  CHORDS.forEach((chord, b) => {
    for (let n = 0; n < bar; n++) {
      // Swells in and out with each bar, so the loop starts and ends in silence.
      const u = n / bar;
      const swell = 4 * u * (1 - u);
      let v = 0;
      for (const note of chord) v += sineCycles((HZ[note] * n) / SAMPLE_RATE);
      out[b * bar + n]! += 0.06 * swell * v;
    }
  });
  return out;
}

/** The loop as a WAV file: RIFF, fmt (PCM, 1 channel, 8000 Hz, 16 bits), data. */
export function holdToneWav(): Buffer {
  const samples = holdToneSamples();
  const data = samples.length * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * 2, 28); // bytes a second
  wav.writeUInt16LE(2, 32); // bytes a frame
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  samples.forEach((v, i) => wav.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), 44 + 2 * i));
  return wav;
}
