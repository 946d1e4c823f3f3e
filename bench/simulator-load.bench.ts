/**
 * The simulator under the load of the brief: 100 calls/s for 60 s, agents answering
 * after 1–3 s, customers talking 5–30 s. A stand-in for polylink on a real TCP
 * connection (`event json`, the CTI list) answers each parked call, originates an
 * agent leg with bgapi and bridges it — the ESL traffic polylink makes. Time is a
 * ManualClock moved in 10 ms steps, so the run takes as long as the work does: if it
 * takes less than 60 s of wall time, the simulator keeps up with that load in real time.
 *
 *   npx vitest run --config bench/vitest.config.ts
 */
import { connect } from 'node:net';
import { it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { decodeFrame } from '../src/esl/event.js';
import { EslFramer } from '../src/esl/framer.js';
import { LoadGenerator, SwitchSimulator } from '../src/simulator/index.js';

const CTI =
  'event json CHANNEL_CREATE CHANNEL_PROGRESS CHANNEL_PROGRESS_MEDIA CHANNEL_ANSWER CHANNEL_PARK CHANNEL_UNPARK ' +
  'CHANNEL_BRIDGE CHANNEL_UNBRIDGE CHANNEL_HOLD CHANNEL_UNHOLD CHANNEL_CALLSTATE CHANNEL_HANGUP CHANNEL_HANGUP_COMPLETE ' +
  'BACKGROUND_JOB PLAYBACK_START PLAYBACK_STOP DTMF CALL_UPDATE CUSTOM conference::maintenance sofia::register sofia::unregister';

/**
 * `decode`: the stand-in decodes every event as polylink would (JSON.parse of ~6 KB);
 * `scan`: it only looks for the few headers it needs, so the figure is the simulator's
 * own cost (plus the socket).
 */
for (const mode of ['decode', 'scan'] as const) it(`100 calls/s for 60 s, stand-in ${mode}s events`, async () => {
  const clock = new ManualClock();
  const sim = new SwitchSimulator({ port: 0, clock, heartbeatMs: 20_000, maxSessions: 100_000 });
  sim.addAccessNumber('4000');
  const agents: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const ext = String(10000 + i);
    sim.addUser(ext, { behaviour: { kind: 'answer', afterMs: 1000, afterMsMax: 3000 } });
    sim.register(ext);
    agents.push(ext);
  }
  const port = await sim.start();

  // The polylink stand-in.
  const socket = connect(port, '127.0.0.1');
  const framer = new EslFramer();
  let events = 0;
  let bytes = 0;
  const free = [...agents];
  const busy = new Map<string, string>(); // agent leg uuid -> extension
  const jobs = new Map<string, { customer: string; leg: string }>();
  let n = 0;
  const send = (cmd: string) => socket.write(cmd + '\n\n');
  socket.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    framer.push(chunk, (frame) => {
      if (frame.headers['Content-Type'] !== 'text/event-json') return;
      events++;
      const m = mode === 'decode' ? decodeFrame(frame) : scan(frame.body!);
      if (m.kind !== 'event') return;
      const h = m.event.headers;
      if (m.event.name === 'CHANNEL_PARK' && h['variable_polylink_access_number'] !== undefined && h['Answer-State'] === 'ringing') {
        const ext = free.pop();
        if (ext === undefined) return;
        const leg = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
        busy.set(leg, ext);
        jobs.set(`job-${n}`, { customer: h['Unique-ID']!, leg });
        send(`api uuid_answer ${h['Unique-ID']}`);
        send(`bgapi originate {origination_uuid=${leg},origination_caller_id_number=4000,polylink_leg=agent,originate_timeout=20}user/${ext} &park()\nJob-UUID: job-${n}`);
      } else if (m.event.name === 'BACKGROUND_JOB') {
        const job = jobs.get(h['Job-UUID'] ?? '');
        if (job !== undefined && m.event.body?.startsWith('+OK')) send(`api uuid_bridge ${job.customer} ${job.leg}`);
        jobs.delete(h['Job-UUID'] ?? '');
      } else if (m.event.name === 'CHANNEL_HANGUP_COMPLETE') {
        const ext = busy.get(h['Unique-ID'] ?? '');
        if (ext !== undefined) {
          busy.delete(h['Unique-ID']!);
          free.push(ext);
        }
      }
    });
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  send('auth ClueCon');
  send(CTI);
  await new Promise((r) => setTimeout(r, 50));

  const load = new LoadGenerator(sim, { callsPerSecond: 100, durationMs: 60_000, accessNumbers: ['4000'], talkMs: [5000, 30_000] });
  const start = clock.now();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const fired0 = sim.stats.eventsFired;
  let done = false;
  void load.run().then(() => (done = true));
  let peak = 0;
  while (!done) {
    clock.advance(10);
    // Let the sockets carry what those 10 ms caused, and the stand-in answer it.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    peak = Math.max(peak, sim.stats.channels);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const fired = sim.stats.eventsFired - fired0;
  console.log(
    JSON.stringify(
      {
        simulatedSeconds: (clock.now() - start) / 1000,
        calls: load.stats,
        peakChannels: peak,
        eventsFired: fired,
        eventsDelivered: events,
        megabytesDelivered: +(bytes / 1e6).toFixed(1),
        wallSeconds: +wall.toFixed(1),
        cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
        eventsDeliveredPerWallSecond: Math.round(events / wall),
        eventsFiredPerWallSecond: Math.round(fired / wall),
        megabytesPerWallSecond: +(bytes / 1e6 / wall).toFixed(1),
      },
      null,
      2,
    ),
  );
  socket.destroy();
  await sim.stop();
});

/** Pulls the handful of headers the stand-in needs out of a JSON event without parsing it. */
function scan(body: Buffer): { kind: 'event'; event: { name: string; headers: Record<string, string>; body: string | undefined } } {
  const text = body.toString('latin1');
  const get = (name: string) => {
    const key = `"${name}":"`;
    const i = text.indexOf(key);
    if (i === -1) return undefined;
    return text.slice(i + key.length, text.indexOf('"', i + key.length));
  };
  const headers: Record<string, string> = {};
  for (const n of ['Unique-ID', 'Answer-State', 'variable_polylink_access_number', 'Job-UUID']) {
    const v = get(n);
    if (v !== undefined) headers[n] = v;
  }
  return { kind: 'event', event: { name: get('Event-Name') ?? '', headers, body: get('_body') } };
}
