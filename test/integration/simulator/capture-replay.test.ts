/**
 * Every capture of ../shared/fixtures/esl replayed against the simulator: the same
 * commands as in its .sent.txt, the sipp peers replaced by simulated phones and
 * customers that behave as INDEX.txt describes, on the capture box's dialplan. What
 * is compared, and why API / HEARTBEAT / RE_SCHEDULE / MODULE_UNLOAD are left out, is
 * in test/helpers/capture-compare.ts and docs/simulator.md.
 *
 * The expectations below list, per capture, the differences that remain. They are all
 * thread races of the real switch — the same flow captured twice (b plain, b json)
 * already differs the same way — and the simulator follows the majority of the
 * captures: per leg, the order of events never differs.
 */
import { describe, expect, it } from 'vitest';
import { inversionsByStreams, report, type Comparison } from '../../helpers/capture-compare.js';
import { replay, sipp, type ReplayContext } from '../../helpers/replay.js';
import { EslTestClient } from '../../helpers/esl-test-client.js';

const CTI_EVENTS =
  'CHANNEL_CREATE CHANNEL_PROGRESS CHANNEL_PROGRESS_MEDIA CHANNEL_ANSWER CHANNEL_PARK CHANNEL_UNPARK CHANNEL_BRIDGE ' +
  'CHANNEL_UNBRIDGE CHANNEL_HOLD CHANNEL_UNHOLD CHANNEL_CALLSTATE CHANNEL_HANGUP CHANNEL_HANGUP_COMPLETE BACKGROUND_JOB ' +
  'PLAYBACK_START PLAYBACK_STOP DTMF CALL_UPDATE';
const CTI_CUSTOM = 'CUSTOM conference::maintenance callcenter::info sofia::register sofia::unregister';
/** The CTI list of INDEX.txt. */
const CTI = `event plain ${CTI_EVENTS} ${CTI_CUSTOM}`;
/** The CTI list plus CHANNEL_EXECUTE (c2, d, e2). */
const CTI_EXEC = `event plain ${CTI_EVENTS} CHANNEL_EXECUTE ${CTI_CUSTOM}`;

interface Expected {
  /** Header-name differences: message id → missing names. */
  readonly headers?: Record<string, string[]>;
  /** Cross-leg order differences, counted per pair of streams. */
  readonly order?: Record<string, number>;
}

function check(c: Comparison, expected: Expected = {}): void {
  const text = report(c);
  expect(c.streamDiffs, text).toEqual([]);
  const headers = Object.fromEntries(c.headerDiffs.map((d) => [d.id, d.missing.concat(d.extra.map((x) => '+' + x))]));
  expect(headers, text).toEqual(expected.headers ?? {});
  expect(inversionsByStreams(c), text).toEqual(expected.order ?? {});
}

const AGENT_ANSWERS_AFTER_1S = { kind: 'answer', afterMs: 1000 } as const;

/** A customer calls `dest`, is parked, an agent leg is originated to a sipp-like phone and bridged to it. */
async function customerAndAgent(
  ctx: ReplayContext,
  customerPort: number,
  agentPort: number,
  agentUuid: string,
  dest: string,
  waitForAgentPark: boolean,
): Promise<string> {
  const { sim, client: c, tick } = ctx;
  const customer = sim.placeCall({ from: `cust${customerPort}`, to: dest, callerName: `Customer ${customerPort}`, sip: sipp(customerPort) });
  await c.waitEvent((e) => e.name === 'CHANNEL_PARK');
  sim.addSipPhone({ ip: '127.0.0.1', port: agentPort, behaviour: AGENT_ANSWERS_AFTER_1S, contactUser: 'agent' });
  await c.command(
    `bgapi originate {origination_uuid=${agentUuid},origination_caller_id_number=8500,origination_caller_id_name=CTI}` +
      `sofia/internal/sip:agent@127.0.0.1:${agentPort} &park()`,
  );
  await tick(1000);
  await c.waitEvent((e) => e.name === 'BACKGROUND_JOB');
  if (waitForAgentPark) await c.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === agentUuid);
  await c.api(`uuid_bridge ${customer.uuid} ${agentUuid}`);
  return customer.uuid;
}

/** Capture b: a customer parked and answered, an agent leg originated and bridged to it, then the customer killed. */
async function parkBridgeKill(ctx: ReplayContext, format: 'plain' | 'json', port: number, agentUuid: string): Promise<void> {
  const { sim, client: c, tick } = ctx;
  await c.command('auth ClueCon');
  await c.command(`event ${format} ALL`);
  const A = sim.placeCall({ from: `cust${port}`, to: '8500', callerName: `Customer ${port}`, sip: sipp(port) }).uuid;
  await c.waitEvent((e) => e.name === 'CHANNEL_PARK');
  await c.api(`uuid_answer ${A}`);
  await c.api(`uuid_setvar ${A} cti_agent 1001`);
  sim.addSipPhone({ ip: '127.0.0.1', port: port + 1, behaviour: AGENT_ANSWERS_AFTER_1S, contactUser: 'agent' });
  await c.command(
    `bgapi originate {origination_uuid=${agentUuid},origination_caller_id_number=8500,origination_caller_id_name=CTI}sofia/internal/sip:agent@127.0.0.1:${port + 1} &park()`,
  );
  await tick(1000);
  await c.waitEvent((e) => e.name === 'BACKGROUND_JOB');
  await c.api(`uuid_bridge ${A} ${agentUuid}`);
  await tick(2000);
  await c.api(`uuid_kill ${A}`);
  await tick(500);
}

describe('capture replay: what the real FreeSWITCH 1.10.12 sent', () => {
  it('a: auth, api, bgapi (own Job-UUID too), BACKGROUND_JOB bodies, noevents, exit — identical', async () => {
    const r = await replay('a_connect_auth_api_bgapi', async ({ client: c, tick }) => {
      await c.command('auth ClueCon');
      await c.api('status');
      await c.api('version');
      await c.api('uptime');
      await c.api('global_getvar domain');
      await c.command('event plain BACKGROUND_JOB');
      await c.command('bgapi status');
      await c.waitEvent((e) => e.headers['Job-Command'] === 'status');
      await c.command('bgapi version\nJob-UUID: 7b5b1b1e-0000-4000-8000-00000000a001');
      await c.waitEvent((e) => e.headers['Job-Command'] === 'version');
      await c.command('bgapi originate loopback/8800 &park()');
      await c.waitEvent((e) => e.headers['Job-Command'] === 'originate');
      await c.command('bgapi uuid_kill 00000000-0000-0000-0000-000000000000');
      await c.waitEvent((e) => e.headers['Job-Command'] === 'uuid_kill');
      await c.command('noevents');
      await tick(3000);
    });
    check(r);
  });

  it('a2: a wrong password — -ERR invalid, the goodbye notice, the socket closes — identical', async () => {
    const r = await replay('a2_bad_auth', async ({ client: c }) => {
      c.send('auth WrongPassword');
      await c.closed;
    });
    check(r);
  });

  it('a3: event json, up to noevents — identical', async () => {
    const r = await replay(
      'a3_event_formats_json_xml',
      async ({ client: c, tick }) => {
        await c.command('auth ClueCon');
        await c.command('event json BACKGROUND_JOB CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE');
        await c.command('bgapi status');
        await c.waitEvent((e) => e.headers['Job-Command'] === 'status');
        await c.command('bgapi originate loopback/8800 &park()');
        await tick(2000);
        await c.waitEvent((e) => e.name === 'CHANNEL_HANGUP_COMPLETE');
        await c.command('noevents');
      },
      { upTo: (m) => m.kind === 'command-reply' && m.replyText === '+OK no longer listening for events' },
    );
    check(r);
  });

  it('b plain: inbound call parked, answered, agent leg, bridge, uuid_kill, event plain ALL — identical', async () => {
    const r = await replay('b_inbound_park_bridge_hangup_plain', (ctx) => parkBridgeKill(ctx, 'plain', 5100, '57315b9f-ef87-4e38-8aaf-460bf624b880'));
    check(r);
  });

  it('b json: the same flow with event json ALL', async () => {
    const r = await replay(
      'b_inbound_park_bridge_hangup_json',
      (ctx) => parkBridgeKill(ctx, 'json', 5110, 'a2274695-2882-4887-bc9e-2c47b716f215'),
      // This run's agent leg went straight to CS_EXCHANGE_MEDIA (the plain run shows CS_CONSUME_MEDIA first).
      { skipSimulator: [{ stream: 'B', label: 'CHANNEL_STATE Channel-State=CS_CONSUME_MEDIA Channel-Call-State=ACTIVE' }] },
    );
    // A's and B's hangups interleave differently than in the plain run; A's UNBRIDGE came
    // before B's HANGUP_COMPLETE, which therefore already had bridge_hangup_cause.
    check(r, { headers: { 'B#28': ['variable_bridge_hangup_cause'] }, order: { 'A/B': 8 } });
  });

  it('b3: the customer hangs up (BYE) while bridged', async () => {
    const r = await replay('b3_customer_hangs_up_plain', async (ctx) => {
      const { sim, client: c, tick } = ctx;
      await c.command('auth ClueCon');
      await c.command(CTI);
      // sipp's built-in uac: From "sipp", To "sut", Subject "Performance Test", BYE 5 s after the answer.
      const call = sim.placeCall({
        from: 'sipp',
        to: '8600',
        callerName: 'sipp',
        sip: { port: 5120, toDisplay: 'sut', subject: 'Performance Test' },
        hangupAfterMs: 5000,
      });
      await c.waitEvent((e) => e.name === 'CHANNEL_PARK');
      sim.addSipPhone({ ip: '127.0.0.1', port: 5121, behaviour: AGENT_ANSWERS_AFTER_1S, contactUser: 'agent' });
      const B = '88e67f68-5d9e-4124-8a69-0b0d5cf9f530';
      await c.command(`bgapi originate {origination_uuid=${B},origination_caller_id_number=8500,origination_caller_id_name=CTI}sofia/internal/sip:agent@127.0.0.1:5121 &park()`);
      await tick(1000);
      await c.waitEvent((e) => e.name === 'BACKGROUND_JOB');
      await c.api(`uuid_bridge ${call.uuid} ${B}`);
      await tick(4000);
      await c.waitEvent((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.headers['Unique-ID'] === call.uuid);
    });
    // The agent leg's CHANNEL_PARK reached the client after the uuid_bridge reply; A's
    // UNBRIDGE ran before B's HANGUP_COMPLETE, which then had bridge_hangup_cause.
    check(r, { headers: { 'B#11': ['variable_bridge_hangup_cause'] }, order: { 'B/reply': 1, 'A/B': 2 } });
  });

  it('c1: hold and unhold (off, toggle): CHANNEL_HOLD / UNHOLD and hold music on the partner — identical', async () => {
    const r = await replay('c1_hold_unhold_plain', async (ctx) => {
      const { client: c, tick } = ctx;
      await c.command('auth ClueCon');
      await c.command(CTI);
      const A = await customerAndAgent(ctx, 5130, 5131, '40d6d5d3-4c71-4d60-b3f9-f2ba39022fde', '8600', true);
      await tick(1000);
      await c.api(`uuid_hold ${A}`);
      await tick(2000);
      await c.api(`uuid_hold off ${A}`);
      await tick(1000);
      await c.api(`uuid_hold toggle ${A}`);
      await tick(1500);
      await c.api(`uuid_hold toggle ${A}`);
      await tick(1500);
      await c.api(`uuid_kill ${A}`);
      await tick(500);
    });
    check(r);
  });

  it('c2: uuid_broadcast aleg and both, then uuid_kill of the agent leg', async () => {
    const B = 'cbc0a54f-529d-497f-98f6-737914c72de9';
    const r = await replay('c2_broadcast_plain', async (ctx) => {
      const { client: c, tick } = ctx;
      await c.command('auth ClueCon');
      await c.command(CTI_EXEC);
      const A = await customerAndAgent(ctx, 5135, 5136, B, '8600', true);
      await tick(500);
      await c.api(`uuid_broadcast ${A} tone_stream://%(300,200,440);loops=2 aleg`);
      await tick(2500);
      await c.api(`uuid_broadcast ${A} playback::tone_stream://%(300,200,880);loops=2 both`);
      await tick(2500);
      await c.api(`uuid_kill ${B}`);
      await tick(1000);
      await c.api(`uuid_exists ${A}`);
      await c.api(`uuid_kill ${A}`);
    });
    // Killing B: the real switch let A unbridge and hang up before B reported; the
    // simulator lets the killed leg finish first (the order of capture i).
    check(r, { order: { 'A/B': 8 } });
  });

  it('d: eavesdrop by a supervisor leg, show channels, kill the supervisor, then the call', async () => {
    const r = await replay('d_eavesdrop_plain', async (ctx) => {
      const { sim, client: c, tick } = ctx;
      await c.command('auth ClueCon');
      await c.command(CTI_EXEC);
      const A = await customerAndAgent(ctx, 5140, 5141, 'f45c87a6-f1bd-4e1e-99a3-4a4e92d93109', '8600', true);
      sim.addSipPhone({ ip: '127.0.0.1', port: 5142, behaviour: AGENT_ANSWERS_AFTER_1S, contactUser: 'supervisor' });
      const C = 'c87e420b-53f3-44da-9716-0a28a8f50951';
      await c.command(`bgapi originate {origination_uuid=${C},origination_caller_id_name=Supervisor,origination_caller_id_number=9000}sofia/internal/sip:supervisor@127.0.0.1:5142 &eavesdrop(${A})`);
      await tick(1000);
      await c.waitEvent((e) => e.name === 'CALL_UPDATE' && e.headers['Unique-ID'] === C && e.headers['Direction'] === 'SEND');
      const channels = JSON.parse(await c.api('show channels as json')) as { row_count: number };
      expect(channels.row_count).toBe(3);
      await c.api(`uuid_kill ${C}`);
      await tick(1000);
      await c.api(`uuid_kill ${A}`);
      await tick(500);
    });
    check(r, { headers: { 'B#13': ['variable_bridge_hangup_cause'] }, order: { 'A/B': 3 } });
  });

  it('d2: an eavesdrop leg switched between modes by uuid_recv_dtmf, then intercept of a ringing leg', async () => {
    const A = '2b587c3a-f2fa-4500-ae1c-135b22c6eda7';
    const B = '6a0c09a7-63cf-4582-be29-c2d7a26a1349';
    const C = 'b6603f18-8f55-4a10-865e-18764af45ba5';
    const R = '132143bf-25ad-41ae-8004-7de36042b3fe';
    const D = '746b65d7-2085-4998-85e1-7ce66fce4f04';
    const r = await replay('d2_eavesdrop_modes_intercept_plain', async ({ sim, client: c, tick }) => {
      // The sipp phones of .sent.txt: 180, then 200 OK (with an Allow header, as in m) after 500 ms; the ringing one after 60 s.
      const allow = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE';
      const phone = (port: number, contactUser: string, afterMs = 500) =>
        sim.addSipPhone({ ip: '127.0.0.1', port, behaviour: { kind: 'answer', afterMs }, contactUser, allow });
      phone(15091, 'customer');
      phone(15092, 'agent');
      phone(15093, 'supervisor');
      phone(15094, 'ringing', 60_000);
      phone(15095, 'interceptor');
      await c.command('auth ClueCon');
      await c.command(
        'event plain CHANNEL_CREATE CHANNEL_PROGRESS CHANNEL_PROGRESS_MEDIA CHANNEL_ANSWER CHANNEL_PARK CHANNEL_UNPARK CHANNEL_BRIDGE ' +
          'CHANNEL_UNBRIDGE CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE CHANNEL_CALLSTATE CHANNEL_HANGUP CHANNEL_HANGUP_COMPLETE BACKGROUND_JOB DTMF',
      );
      await c.command(`bgapi originate {origination_uuid=${A},origination_caller_id_number=13800138000}sofia/internal/sip:customer@127.0.0.1:15091 &park()`);
      await c.command(`bgapi originate {origination_uuid=${B},origination_caller_id_number=4008001000}sofia/internal/sip:agent@127.0.0.1:15092 &park()`);
      await tick(500);
      await c.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === B);
      await tick(2000);
      await c.api(`uuid_bridge ${A} ${B}`);
      await tick(1000);
      await c.command(`bgapi originate {origination_uuid=${C},origination_caller_id_number=8102,eavesdrop_enable_dtmf=true}sofia/internal/sip:supervisor@127.0.0.1:15093 &eavesdrop(${A})`);
      await tick(500);
      await c.waitEvent((e) => e.name === 'CHANNEL_EXECUTE' && e.headers['Unique-ID'] === C);
      for (const digit of ['2', '1', '3', '0']) {
        await tick(1200);
        expect(await c.api(`uuid_recv_dtmf ${C} ${digit}`)).toBe(`+OK ${C} received DTMF ${digit}.\n`);
      }
      await tick(1200);
      expect((JSON.parse(await c.api('show channels as json')) as { row_count: number }).row_count).toBe(3);
      await tick(300);
      await c.api(`uuid_kill ${C}`);
      await tick(800);
      await c.command(`bgapi originate {origination_uuid=${R},origination_caller_id_number=13900139000}sofia/internal/sip:ringing@127.0.0.1:15094 &park()`);
      await tick(1500);
      await c.command(`bgapi originate {origination_uuid=${D},origination_caller_id_number=8102}sofia/internal/sip:interceptor@127.0.0.1:15095 &intercept(${R})`);
      await tick(500);
      await tick(40);
      await c.waitEvent((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.headers['Unique-ID'] === R);
      await tick(2500);
      expect((JSON.parse(await c.api('show channels as json')) as { row_count: number }).row_count).toBe(2);
      await tick(300);
      await c.api(`uuid_kill ${A}`);
      await tick(300);
      expect(await c.api(`uuid_kill ${D}`)).toBe('-ERR No such channel!\n');
      await tick(300);
      expect(await c.api(`uuid_kill ${R}`)).toBe('-ERR No such channel!\n');
      await tick(1500);
    });
    // Event for event and state for state the same: the eavesdrop leg's DTMF events and
    // nothing else for the mode changes, R's originate -ERR ORIGINATOR_CANCEL, R
    // DESTINATION_OUT_OF_ORDER and D ORIGINATOR_CANCEL. What differs:
    // - R was originated without a caller-id name and switch_ivr_uuid_bridge copies the
    //   interceptor's into R's profile; the simulator keeps the names it has (as in m);
    // - the real switch delivered both bgapi replies before A's first events (its 20 ms
    //   event tick), and B's phone rang and answered a moment before A's, so B's answer
    //   came before A's job: the two legs' setup interleaves differently (A/reply 3,
    //   A/B 13, B/jobs 2);
    // - uuid_bridge: the two legs left park in parallel, A's UNPARK and EXECUTE_COMPLETE
    //   came before B's EXECUTE_COMPLETE (A/B 2);
    // - R's and D's teardowns, run by two threads, interleave differently (D/E 1);
    // - killing A: A unbridged before B's teardown, so B already had bridge_hangup_cause
    //   (A/B 5, as in b3 and d).
    check(r, {
      headers: {
        'D#3': ['Caller-Caller-ID-Name'],
        'D#4': ['Caller-Caller-ID-Name'],
        'D#5': ['Caller-Caller-ID-Name'],
        'B#10': ['variable_bridge_hangup_cause'],
        'B#12': ['variable_bridge_hangup_cause'],
      },
      order: { 'A/reply': 3, 'A/B': 20, 'B/jobs': 2, 'D/E': 1 },
    });
  });

  it('e: three-way by uuid_transfer -both to a conference, a third party joins, leaves, hup all', async () => {
    const r = await replay('e_conference_3way_plain', async (ctx) => {
      const { sim, client: c, tick } = ctx;
      await c.command('auth ClueCon');
      await c.command(CTI);
      const A = await customerAndAgent(ctx, 5150, 5151, '68258478-c17e-4a24-94e3-8eb8aad59a78', '8600', false);
      await tick(1000);
      await c.api(`uuid_transfer ${A} -both conference:cti3way@default inline`);
      await tick(300);
      sim.addSipPhone({ ip: '127.0.0.1', port: 5152, behaviour: AGENT_ANSWERS_AFTER_1S, contactUser: 'third' });
      const C = '237cee1f-e1bf-4e19-8d5f-fa6dd56152c9';
      await c.command(`bgapi originate {origination_uuid=${C},origination_caller_id_name=Third,origination_caller_id_number=5552}sofia/internal/sip:third@127.0.0.1:5152 &conference(cti3way@default)`);
      await tick(1000);
      await c.waitEvent((e) => e.headers['Action'] === 'add-member' && e.headers['Unique-ID'] === C);
      await tick(1000);
      expect(await c.api('conference cti3way list')).toMatch(/^3;sofia\/internal\/third@127\.0\.0\.1:5152;/);
      const list = JSON.parse(await c.api('conference cti3way json_list')) as Array<{ member_count: number }>;
      expect(list[0]?.member_count).toBe(3);
      await tick(1000);
      await c.api(`uuid_kill ${C}`);
      await tick(1000);
      expect(await c.api('conference cti3way hup all')).toBe('+OK hup 2\n+OK hup 1\n');
      await tick(500);
    });
    // The customer's ACK had already arrived when its CHANNEL_PARK was built in this run
    // (c1, c2, d, e2, i: not yet).
    check(r, { headers: { 'A#6': ['variable_sip_cseq', 'variable_sip_to_tag'] } });
  });

  it('e2: three-way with the three_way application', async () => {
    const r = await replay('e2_three_way_app_plain', async (ctx) => {
      const { sim, client: c, tick } = ctx;
      await c.command('auth ClueCon');
      await c.command(CTI_EXEC);
      const A = await customerAndAgent(ctx, 5160, 5161, '16cb381d-cd2c-464e-9a02-a74e7ddfe9ea', '8600', false);
      sim.addSipPhone({ ip: '127.0.0.1', port: 5162, behaviour: AGENT_ANSWERS_AFTER_1S, contactUser: 'third' });
      const C = '9196e1c2-b689-4be1-b5a4-cb141d262d17';
      await c.command(`bgapi originate {origination_uuid=${C},origination_caller_id_name=Third,origination_caller_id_number=5552}sofia/internal/sip:third@127.0.0.1:5162 &three_way(${A})`);
      await tick(1000);
      await c.waitEvent((e) => e.name === 'CALL_UPDATE' && e.headers['Unique-ID'] === C && e.headers['Direction'] === 'SEND');
      await c.api(`uuid_kill ${C}`);
      await tick(1000);
      await c.api(`uuid_kill ${A}`);
      await tick(500);
    });
    // The agent leg's EXECUTE park / CHANNEL_PARK reached the client after the uuid_bridge reply.
    check(r, { order: { 'B/reply': 2 } });
  });

  it('g: originate failures (not registered, absent, busy, no answer, unreachable, no route, bad endpoint) and -ERR replies', async () => {
    const r = await replay('g_originate_failures_err_replies', async ({ sim, client: c, tick, until }) => {
      await c.command('auth ClueCon');
      await c.command('event plain ALL');
      expect(await c.api('originate user/1005 &park()')).toBe('-ERR USER_NOT_REGISTERED\n');
      await c.command('bgapi originate user/1006 &park()');
      await c.waitEvent((e) => e.name === 'BACKGROUND_JOB');
      expect(await c.api('originate user/4242 &park()')).toBe('-ERR SUBSCRIBER_ABSENT\n');
      sim.addSipPhone({ ip: '127.0.0.1', port: 5180, behaviour: { kind: 'busy' } });
      // sipp's ringing scenario: its 180's Contact has no parameters.
      sim.addSipPhone({ ip: '127.0.0.1', port: 5181, behaviour: { kind: 'no-answer' }, contactParams: '' });
      await c.command('bgapi originate {originate_timeout=10}sofia/internal/sip:busy@127.0.0.1:5180 &park()');
      await c.waitEvent((e) => e.name === 'CHANNEL_DESTROY');
      await c.command('bgapi originate {originate_timeout=3}sofia/internal/sip:noanswer@127.0.0.1:5181 &park()');
      await tick(3000);
      await c.waitEvent((e) => e.name === 'BACKGROUND_JOB' && (e.body ?? '').includes('NO_ANSWER'));
      await c.command('bgapi originate {originate_timeout=4}sofia/internal/sip:nobody@127.0.0.1:5189 &park()');
      await c.waitEvent((e) => e.name === 'BACKGROUND_JOB' && (e.body ?? '').includes('NORMAL_TEMPORARY_FAILURE'));
      const noRoute = c.command('api originate {originate_timeout=3}loopback/zz_none/nosuchcontext &park()');
      await until(() => sim.channels().length > 0);
      await tick(20);
      await noRoute;
      expect(await c.api('originate bogus_endpoint/foo &park()')).toBe('-ERR CHAN_NOT_IMPLEMENTED\n');
      expect(await c.api('uuid_kill 00000000-0000-0000-0000-000000000000')).toBe('-ERR No such channel!\n');
      expect(await c.api('uuid_bridge 00000000-0000-0000-0000-000000000000 11111111-1111-1111-1111-111111111111')).toBe('-ERR Invalid uuid\n');
      expect(await c.api('uuid_hold 00000000-0000-0000-0000-000000000000')).toBe('+OK Success\n');
      expect(await c.api('uuid_transfer 00000000-0000-0000-0000-000000000000 9196')).toBe('-ERR No such channel!\n');
      expect(await c.api('uuid_getvar 00000000-0000-0000-0000-000000000000 foo')).toBe('-ERR No such channel!\n');
      expect(await c.api('nosuchcommand arg')).toBe('-ERR nosuchcommand Command not found!\n');
      expect(await c.api('originate')).toMatch(/^-USAGE: <call url> <exten>\|&<application_name>\(<app_args>\)/);
      await c.command('bgapi uuid_kill 00000000-0000-0000-0000-000000000000');
      await c.waitEvent((e) => e.name === 'BACKGROUND_JOB' && e.headers['Job-Command'] === 'uuid_kill');
      await c.command('sendmsg 00000000-0000-0000-0000-000000000000\ncall-command: hangup\nhangup-cause: NORMAL_CLEARING');
      await c.command('event plain NOT_AN_EVENT');
      await c.command('filter');
      await c.command('bogus_esl_command');
    });
    // Unanswered leg (B): the real switch reported the originate before B's teardown and
    // read the next command before B was gone; the loopback pair (D, E) tore down in
    // another interleaving.
    check(r, { order: { 'B/jobs': 4, 'B/reply': 4, 'D/E': 19 } });
  });

  it('h: shutdown (fsctl shutdown from a second connection) with a parked loopback call up', async () => {
    const r = await replay('h_shutdown_disconnect_notice', async ({ sim, client: c, tick }) => {
      await c.command('auth ClueCon');
      await c.command('event plain ALL');
      await c.command('bgapi originate loopback/8600 &park()');
      await c.waitEvent((e) => e.name === 'CHANNEL_PARK' && (e.headers['Channel-Name'] ?? '').endsWith('-a'));
      await tick(1000);
      const other = await EslTestClient.authed(sim.port);
      expect(await other.api('fsctl shutdown')).toBe('+OK\n');
      await c.closed;
      other.close();
    });
    // Both loopback legs tear down at once; the real switch interleaved their events.
    check(r, { order: { 'A/B': 12 } });
  });

  it('m: a gateway leg bridged before its originate reported — the job says ORIGINATOR_CANCEL, the legs stay up and bridged', async () => {
    const r = await replay('m_bridge_on_answer_before_originate_result_plain', async ({ sim, client: c, tick }) => {
      // The real switch's originate looks at its leg every 20 ms.
      sim.setOriginateReportDelay(20);
      await c.command('auth ClueCon');
      await c.command(
        'event plain CHANNEL_CREATE CHANNEL_PROGRESS CHANNEL_PROGRESS_MEDIA CHANNEL_ANSWER CHANNEL_PARK CHANNEL_UNPARK CHANNEL_BRIDGE ' +
          'CHANNEL_UNBRIDGE CHANNEL_EXECUTE CHANNEL_CALLSTATE CHANNEL_HANGUP CHANNEL_HANGUP_COMPLETE BACKGROUND_JOB',
      );
      const A = '9a97aa7e-0de2-46fe-ace4-97704302d83a';
      const B = 'c4fda69c-fc8a-41e1-985b-a6d064dd3fcb';
      // This run's sipp scenario sent an Allow header in its 200 OK.
      const allow = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE';
      sim.addSipPhone({ ip: '127.0.0.1', port: 15191, behaviour: { kind: 'answer', afterMs: 220 }, contactUser: 'agent', allow });
      // The gateway's far end (sipp) answered one 20 ms tick after the INVITE.
      sim.addGateway({ name: 'trunk', proxy: '127.0.0.1:15064', defaultBehaviour: { kind: 'answer', afterMs: 20 }, allow });
      await c.command(`bgapi originate {origination_uuid=${A}}sofia/internal/sip:agent@127.0.0.1:15191 &park()`);
      await tick(220);
      await tick(20);
      await c.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === A);
      await c.command(`bgapi originate {origination_uuid=${B},origination_caller_id_number=4008001000}sofia/gateway/trunk/900100 &park()`);
      await c.waitEvent((e) => e.name === 'CHANNEL_CREATE' && e.headers['Unique-ID'] === B);
      expect(await c.api(`uuid_bridge ${B} ${A}`)).toBe(`+OK ${A}\n`);
      await tick(20);
      await c.waitEvent((e) => e.name === 'CHANNEL_BRIDGE');
      await tick(3000);
      const channels = JSON.parse(await c.api('show channels as json')) as { row_count: number };
      expect(channels.row_count).toBe(2);
      expect(sim.channel(A)?.bridgedTo).toBe(B);
      await c.api(`uuid_kill ${A}`);
      await tick(300);
      expect(await c.api(`uuid_kill ${B}`)).toBe('-ERR No such channel!\n');
    });
    // Event for event, state for state the same, the job's -ERR ORIGINATOR_CANCEL included.
    // What differs: B was originated without a caller-id name, and switch_ivr_uuid_bridge
    // flips, reverses and copies caller ids between two profiles one of which has none;
    // FreeSWITCH leaves an empty name out of an event, the simulator keeps the names it
    // has (a *-ID-Name header more or less; polylink reads none of them). B rang ~1 ms
    // before the uuid_bridge reply in this run, and A unbridged before B's teardown as in b json.
    const name = (extra: string[], missing: string[] = []) => [...missing, ...extra.map((x) => '+' + x)];
    check(r, {
      headers: {
        'A#7': name(['Caller-Callee-ID-Name', 'Other-Leg-Callee-ID-Name'], ['Other-Leg-Caller-ID-Name']),
        'A#8': name(['Caller-Callee-ID-Name', 'Other-Leg-Callee-ID-Name'], ['Other-Leg-Caller-ID-Name']),
        ...Object.fromEntries(['A#9', 'A#10', 'A#11', 'A#12', 'A#13'].map((id) => [id, name(['Other-Leg-Callee-ID-Name'], ['Other-Leg-Caller-ID-Name'])])),
        'B#3': ['Caller-Caller-ID-Name', 'variable_channel_cid_flipped', 'variable_original_caller_id_name', 'variable_pre_transfer_caller_id_number'],
        'B#4': ['Caller-Caller-ID-Name'],
        'B#5': ['Caller-Callee-ID-Name', 'variable_original_caller_id_name'],
        'B#6': ['Caller-Callee-ID-Name', 'variable_original_caller_id_name'],
        'B#7': ['Caller-Callee-ID-Name'],
        'B#8': ['Caller-Callee-ID-Name', 'variable_bridge_hangup_cause', 'variable_original_caller_id_name'],
      },
      order: { 'B/reply': 2, 'A/B': 1 },
    });
  });

  it('k: a phone registers, reboots (a new Call-ID), unregisters with a third, registers again: one registration per user — identical', async () => {
    const tokens = (reply: string) => ((JSON.parse(reply) as { rows?: Array<{ token: string }> }).rows ?? []).map((row) => row.token);
    const r = await replay(
      'k_register_reboot_unregister_plain',
      async ({ sim, client: c }) => {
        // freeswitch-conf/: the user's variables, and the domain's user_context.
        sim.addUser('8005', { variables: { user_context: 'default', effective_caller_id_name: 'Extension 8005', effective_caller_id_number: '8005' } });
        await c.command('auth ClueCon');
        await c.command('event plain CUSTOM sofia::register sofia::unregister sofia::expire sofia::register_attempt sofia::register_failure');
        expect(await c.api('show registrations as json')).toBe('{"row_count": 0}\n');
        const step = async (callId: string, expires: number, expected: string[]) => {
          if (expires === 0) sim.unregister('8005', { callId });
          else sim.register('8005', { ip: '127.0.0.1', port: 15071, callId, userAgent: 'polylink-acceptance', expires });
          await c.waitEvent((e) => e.subclass !== 'sofia::register_attempt' && e.headers['call-id'] === callId);
          expect(tokens(await c.api('show registrations as json'))).toEqual(expected);
        };
        await step('1-29484@127.0.0.1', 3600, ['1-29484@127.0.0.1']);
        await step('1-29485@127.0.0.1', 3600, ['1-29485@127.0.0.1']); // the reboot: B replaces A
        await step('1-29486@127.0.0.1', 0, []); // Expires: 0 with a third Call-ID removes B
        await step('1-29487@127.0.0.1', 3600, ['1-29487@127.0.0.1']);
      },
      { simulator: { sipProfile: { authCalls: true, presenceHosts: '127.0.0.1' } } },
    );
    check(r);
  });

  it('i: a registered directory user: sofia::register, sofia_contact, originate user/1007, kill the agent leg — identical', async () => {
    const r = await replay('i_registered_user_originate_plain', async (ctx) => {
      const { sim, client: c, tick } = ctx;
      await c.command('auth ClueCon');
      await c.command(CTI);
      sim.register('1007', { ip: '127.0.0.1', port: 5190, userAgent: 'sipp-agent' });
      await c.waitEvent((e) => e.name === 'CUSTOM');
      expect(await c.api('sofia_contact 1007@127.0.0.1')).toBe('sofia/internal/sip:1007@127.0.0.1:5190');
      expect(await c.api('sofia status profile internal reg 1007')).toContain('User:       \t1007@127.0.0.1\n');
      sim.setPhoneBehaviour('1007', AGENT_ANSWERS_AFTER_1S);
      const A = sim.placeCall({ from: 'cust5191', to: '8600', callerName: 'Customer 5191', sip: sipp(5191) }).uuid;
      await c.waitEvent((e) => e.name === 'CHANNEL_PARK');
      const B = '33c90152-d3dd-45df-aa8f-f0b6f200c559';
      await c.command(`bgapi originate {origination_uuid=${B},originate_timeout=15}user/1007 &park()`);
      await tick(1000);
      await c.waitEvent((e) => e.name === 'BACKGROUND_JOB');
      await c.api(`uuid_bridge ${A} ${B}`);
      await tick(1500);
      await c.api(`uuid_kill ${B}`);
      await tick(500);
    });
    check(r);
  });
});
