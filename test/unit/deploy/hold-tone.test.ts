/**
 * The hold tone shipped in freeswitch-conf/music/8000/ is exactly what tools/hold-tone.ts
 * makes (so its origin, and that no one holds rights to it, can be checked), and is fit to
 * be looped as hold music on a telephone call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdToneSamples, holdToneWav, SAMPLE_RATE } from '../../../tools/hold-tone.js';

const SHIPPED = join(import.meta.dirname, '../../../freeswitch-conf/music/8000/polylink-hold.wav');

describe('the hold tone', () => {
  it('is the file tools/hold-tone.ts makes, byte for byte (npm run hold-tone writes it)', () => {
    expect(readFileSync(SHIPPED).equals(holdToneWav())).toBe(true);
  });

  it('is 8000 Hz mono 16-bit PCM, a few seconds long, and small', () => {
    const wav = holdToneWav();
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect({ format: wav.readUInt16LE(20), channels: wav.readUInt16LE(22), rate: wav.readUInt32LE(24), bits: wav.readUInt16LE(34) }).toEqual({ format: 1, channels: 1, rate: 8000, bits: 16 });
    const seconds = wav.readUInt32LE(40) / 2 / SAMPLE_RATE;
    expect(seconds).toBeGreaterThanOrEqual(4);
    expect(seconds).toBeLessThanOrEqual(10);
    expect(wav.length).toBeLessThan(128 * 1024);
  });

  it('is neither silent nor clipped, and starts and ends in silence so that it loops without a click', () => {
    const s = holdToneSamples();
    const peak = s.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const rms = Math.sqrt(s.reduce((sum, v) => sum + v * v, 0) / s.length);
    expect(peak).toBeLessThan(0.8);
    expect(rms).toBeGreaterThan(0.05);
    expect(Math.abs(s[0]!)).toBeLessThan(0.01);
    expect(Math.abs(s[s.length - 1]!)).toBeLessThan(0.01);
  });
});
