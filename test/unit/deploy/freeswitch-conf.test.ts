/**
 * freeswitch-conf/: every file well-formed, the preprocessor's pitfalls avoided, and the
 * assembled configuration does what polylink relies on (docs/esl-commands.md): a guarded
 * event socket, the modules, a user for every extension of the example organisation, access
 * numbers parked unanswered with polylink_access_number, IVRs that hand over their choice.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOrganisationFile, type OrganisationFile } from '../../../src/store/organisation-file.js';
import { assemble, BUILT_IN_VARIABLES, type Assembled } from './freeswitch-preprocessor.js';
import { all, configuration, dial, type El, kid, kids, params, parseTree } from './freeswitch-xml.js';

const ROOT = join(import.meta.dirname, '../../..');
const CONF = join(ROOT, 'freeswitch-conf');
const ORG: OrganisationFile = parseOrganisationFile(readFileSync(join(ROOT, 'examples/callcenter.yaml'), 'utf8'));

/** An operator's environment: the two secrets given, everything else left at its default. */
const CONFIGURED = { FREESWITCH_ESL_PASSWORD: 'e5lSecret0000', FREESWITCH_SIP_PASSWORD: 'sipSecret0000' };

function xmlFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? xmlFiles(p) : [p];
    })
    .filter((p) => p.endsWith('.xml'))
    .sort();
}

const FILES = xmlFiles(CONF);
const rel = (p: string): string => relative(CONF, p);

let configured: Assembled;
let doc: El;

beforeAll(() => {
  configured = assemble(CONF, CONFIGURED);
  doc = parseTree(configured.text);
});

describe('freeswitch-conf files', () => {
  it('are all well-formed XML on their own', () => {
    expect(FILES.length).toBeGreaterThan(10);
    const bad = FILES.map((f) => [rel(f), XMLValidator.validate(readFileSync(f, 'utf8'))] as const).filter(([, r]) => r !== true);
    expect(bad).toEqual([]);
  });

  it('are all read by FreeSWITCH (none left out of an include)', () => {
    expect(configured.files.map(rel).sort()).toEqual(FILES.map(rel));
  });

  it('keep the directive tag on lines of its own, so no directive is commented out or swallowed', () => {
    // FreeSWITCH acts on the tag name wherever it appears on a line, comments included,
    // and drops the rest of the line; a line with the name not right after "<" is dropped.
    const offending = FILES.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${rel(f)}:${i + 1}`, line }))
        .filter(({ line }) => /x-pre-process/i.test(line) && !/^\s*<X-PRE-PROCESS cmd="(set|env-set|include)" data="[^"]*"\/>\s*$/.test(line)),
    );
    expect(offending).toEqual([]);
  });

  it('keep include-wrapper tags and declarations on lines of their own (FreeSWITCH drops those lines whole)', () => {
    const offending = FILES.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${rel(f)}:${i + 1}`, line }))
        .filter(({ line }) => /<\/?include>|<\?/.test(line) && !/^\s*(<include>|<\/include>|<\?xml version="1\.0"\?>)\s*$/.test(line)),
    );
    expect(offending).toEqual([]);
  });

  it('have no "--" inside comments and no preprocessor comments (FreeSWITCH parses both differently)', () => {
    // FreeSWITCH's parser ends a comment at the first "--"; "<!--#" starts a preprocessor command.
    const offending = FILES.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return [...text.matchAll(/<!--([\s\S]*?)-->/g)]
        .filter((m) => (m[1] ?? '').includes('--') || (m[1] ?? '').startsWith('#'))
        .map((m) => `${rel(f)}: ${(m[1] ?? '').slice(0, 60)}`);
    });
    expect(offending).toEqual([]);
  });

  it('use no global variable that is never set, once the two secrets are given', () => {
    expect(configured.unset).toEqual([]);
  });

  it('leave exactly the two secrets unset when the environment gives nothing', () => {
    const bare = assemble(CONF, {});
    expect([...new Set(bare.unset.map((u) => u.name))].sort()).toEqual(['polylink_esl_password', 'polylink_sip_password']);
  });

  it('assemble into one well-formed document', () => {
    expect(XMLValidator.validate(configured.text)).toBe(true);
    expect(doc.name).toBe('document');
    expect(kids(doc, 'section').map((s) => s.attrs['name']).sort()).toEqual(['configuration', 'dialplan', 'directory']);
  });
});

describe('event socket', () => {
  const settingsOf = (d: El) => params(kid(configuration(d, 'event_socket.conf') ?? fail('no event_socket.conf'), 'settings'));
  const aclList = (d: El, name: string) => all(configuration(d, 'acl.conf') ?? fail('no acl.conf'), 'list').find((l) => l.attrs['name'] === name);

  function checkGuarded(d: El, vars: ReadonlyMap<string, string>, expectedClient: string): void {
    const s = settingsOf(d);
    const listen = s.get('listen-ip')?.[0];
    const password = s.get('password')?.[0];
    const acl = s.get('apply-inbound-acl') ?? [];
    expect(s.get('listen-port')).toEqual(['8021']);
    expect(password).toBeTruthy();
    expect(password).not.toBe('ClueCon');
    expect(password).toBe(vars.get('polylink_esl_password'));
    if (listen === '0.0.0.0' || listen === '::' || listen === '[::]') expect(acl.length).toBeGreaterThan(0);
    for (const name of acl) {
      const list = aclList(d, name);
      expect(list, `ACL list ${name}`).toBeDefined();
      expect(list?.attrs['default']).toBe('deny');
      const allowed = kids(list as El, 'node')
        .filter((n) => n.attrs['type'] === 'allow')
        .map((n) => n.attrs['cidr'] ?? n.attrs['domain'] ?? '?');
      expect(allowed.sort()).toEqual(['127.0.0.1/32', expectedClient].sort());
    }
  }

  it('listens on loopback by default, with a password from the environment and the ACL', () => {
    expect(settingsOf(doc).get('listen-ip')).toEqual(['127.0.0.1']);
    expect(settingsOf(doc).get('password')).toEqual([CONFIGURED.FREESWITCH_ESL_PASSWORD]);
    expect(settingsOf(doc).get('apply-inbound-acl')).toEqual(['polylink_esl']);
    checkGuarded(doc, configured.vars, '127.0.0.1/32');
  });

  it('when bound to all interfaces (the container), admits only loopback and polylink', () => {
    const a = assemble(CONF, { ...CONFIGURED, FREESWITCH_ESL_LISTEN_IP: '0.0.0.0', FREESWITCH_ESL_CLIENT_CIDR: '172.30.80.20/32' });
    const d = parseTree(a.text);
    expect(settingsOf(d).get('listen-ip')).toEqual(['0.0.0.0']);
    checkGuarded(d, a.vars, '172.30.80.20/32');
  });

  it('has no password at all, rather than a known one, when the environment gives none', () => {
    // mod_event_socket then falls back to ClueCon, which polylink refuses and compose prevents
    // (docker-compose.test.ts); what must never happen is a usable password in the repository.
    const bare = parseTree(assemble(CONF, {}).text);
    expect(settingsOf(bare).get('password')).toEqual(['']);
  });
});

describe('modules', () => {
  it('loads every module polylink relies on', () => {
    const loaded = kids(kid(configuration(doc, 'modules.conf') ?? fail('no modules.conf'), 'modules') ?? fail('no modules'), 'load').map(
      (l) => l.attrs['module'],
    );
    for (const m of [
      'mod_event_socket',
      'mod_sofia',
      'mod_commands',
      'mod_dptools',
      'mod_loopback',
      'mod_conference',
      'mod_local_stream',
      'mod_sndfile',
      'mod_tone_stream',
      'mod_dialplan_xml',
    ]) {
      expect(loaded, m).toContain(m);
    }
    expect(new Set(loaded).size).toBe(loaded.length);
  });

  it('has a quiet conference profile "default" for three-way calls', () => {
    const conf = configuration(doc, 'conference.conf') ?? fail('no conference.conf');
    const profile = all(conf, 'profile').find((p) => p.attrs['name'] === 'default') ?? fail('no default profile');
    expect(params(profile).get('caller-controls')).toEqual(['none']);
  });

  it('plays hold music from a directory the configuration itself ships: 8000 Hz mono WAV files', () => {
    const streams = all(configuration(doc, 'local_stream.conf') ?? fail('no local_stream.conf'), 'directory');
    expect(streams.map((d) => d.attrs['name']).sort()).toEqual(['default', 'moh']);
    for (const stream of streams) {
      const path = stream.attrs['path'] ?? '';
      // conf_dir is wherever this configuration is installed (/etc/freeswitch, /usr/local/freeswitch/conf).
      const confDir = BUILT_IN_VARIABLES['conf_dir'] as string;
      expect(path.startsWith(`${confDir}/`), `${stream.attrs['name']}: ${path}`).toBe(true);
      const dir = join(CONF, path.slice(confDir.length + 1));
      expect(existsSync(dir), dir).toBe(true);
      const wavs = readdirSync(dir).filter((n) => n.endsWith('.wav'));
      expect(wavs.length, dir).toBeGreaterThan(0);
      const rate = Number(params(stream).get('rate')?.[0]);
      expect(rate).toBe(8000);
      for (const name of wavs) {
        const wav = readFileSync(join(dir, name));
        expect(wav.toString('ascii', 0, 4) + wav.toString('ascii', 8, 12), name).toBe('RIFFWAVE');
        expect({ format: wav.readUInt16LE(20), channels: wav.readUInt16LE(22), rate: wav.readUInt32LE(24) }, name).toEqual({ format: 1, channels: 1, rate });
      }
    }
  });

  it('defines the hold music stream every queue of the organisation uses', () => {
    const streams = all(configuration(doc, 'local_stream.conf') ?? fail('no local_stream.conf'), 'directory').map((d) => d.attrs['name']);
    expect(configured.vars.get('hold_music')).toBe('local_stream://moh');
    for (const q of ORG.queues) {
      const m = /^local_stream:\/\/(.+)$/.exec(q.musicOnHold);
      if (m === null) continue;
      // mod_local_stream looks for NAME/RATE first, then NAME.
      expect(streams.some((s) => s === m[1] || s === `${m[1]}/8000`), q.musicOnHold).toBe(true);
    }
  });

  it('keeps the RTP range in the variables docker-compose.yml publishes', () => {
    const core = params(kid(configuration(doc, 'switch.conf') ?? fail('no switch.conf'), 'settings'));
    expect(core.get('rtp-start-port')).toEqual(['16384']);
    expect(core.get('rtp-end-port')).toEqual(['16583']);
  });

  it('records under the path polylink uses', () => {
    expect(configured.vars.get('polylink_recordings_dir')).toBe('/var/lib/freeswitch/recordings/polylink');
  });
});

describe('SIP', () => {
  const profiles = (d: El = doc) => all(configuration(d, 'sofia.conf') ?? fail('no sofia.conf'), 'profile');
  const settings = (d: El) => profiles(d).map((p) => [p.attrs['name'], params(kid(p, 'settings'))] as const);
  const domainOf = (d: El) => kid(kid(d, 'section', ['name', 'directory']) ?? fail('no directory'), 'domain')?.attrs['name'];

  it('binds both profiles to FreeSWITCH’s own address by default, and the directory domain is that address', () => {
    const local = BUILT_IN_VARIABLES['local_ip_v4'];
    for (const [name, s] of settings(doc)) {
      expect(s.get('sip-ip'), name).toEqual([local]);
      expect(s.get('rtp-ip'), name).toEqual([local]);
      expect(s.get('ext-sip-ip'), name).toEqual([local]);
    }
    expect(domainOf(doc)).toBe(local);
  });

  it('takes the SIP and RTP addresses and the domain from the environment (a host with several addresses, a lab on loopback)', () => {
    const lab = parseTree(assemble(CONF, { ...CONFIGURED, FREESWITCH_SIP_IP: '127.0.0.1' }).text);
    for (const [name, s] of settings(lab)) {
      expect(s.get('sip-ip'), name).toEqual(['127.0.0.1']);
      expect(s.get('rtp-ip'), name).toEqual(['127.0.0.1']);
      expect(s.get('ext-rtp-ip'), name).toEqual(['127.0.0.1']);
    }
    expect(domainOf(lab)).toBe('127.0.0.1');
    const env = { ...CONFIGURED, FREESWITCH_SIP_IP: '198.51.100.7', FREESWITCH_RTP_IP: '198.51.100.8', FREESWITCH_DOMAIN: 'pbx.example.com', FREESWITCH_EXTERNAL_IP: '203.0.113.5' };
    const assembled = assemble(CONF, env);
    expect(assembled.unset).toEqual([]);
    const multi = parseTree(assembled.text);
    for (const [name, s] of settings(multi)) {
      expect(s.get('sip-ip'), name).toEqual(['198.51.100.7']);
      expect(s.get('rtp-ip'), name).toEqual(['198.51.100.8']);
      expect(s.get('ext-sip-ip'), name).toEqual(['203.0.113.5']);
    }
    expect(domainOf(multi)).toBe('pbx.example.com');
    const internal = settings(multi).find(([n]) => n === 'internal')?.[1] ?? fail('no internal profile');
    expect(internal.get('force-register-domain')).toEqual(['pbx.example.com']);
    // Phones dial each other in that domain too.
    const dialled = dial(multi, 'default', '8001', { globals: assembled.vars });
    expect(dialled.steps.at(-1)?.data).toBe('user/8001@pbx.example.com');
  });

  it('times media out with the 1.10 channel variables (milliseconds), not the deprecated profile params', () => {
    for (const [name, s] of settings(doc)) {
      for (const deprecated of ['rtp-timeout-sec', 'rtp-hold-timeout-sec']) expect(s.has(deprecated), `${name}: ${deprecated}`).toBe(false);
    }
    expect(configured.vars.get('media_timeout')).toBe('300000');
    expect(configured.vars.get('media_hold_timeout')).toBe('1800000');
  });

  it('has the agents profile on 5060 that authenticates every call', () => {
    const internal = profiles().find((p) => p.attrs['name'] === 'internal') ?? fail('no internal profile');
    const s = params(kid(internal, 'settings'));
    expect(s.get('sip-port')).toEqual(['5060']);
    expect(s.get('auth-calls')).toEqual(['true']);
  });

  it('has the gateway every access number of the organisation leaves through', () => {
    const gateways = profiles().flatMap((p) => all(p, 'gateway').map((g) => g.attrs['name']));
    expect(gateways).toContain('trunk');
    for (const a of ORG.accessNumbers) if (a.gateway !== null) expect(gateways, a.number).toContain(a.gateway);
  });

  it('admits calls on the trunk profile only from the provider ACL, and routes them in "public"', () => {
    const external = profiles().find((p) => p.attrs['name'] === 'external') ?? fail('no external profile');
    const s = params(kid(external, 'settings'));
    expect(s.get('context')).toEqual(['public']);
    expect(s.get('apply-inbound-acl')).toEqual(['trunk']);
    const list = all(configuration(doc, 'acl.conf') ?? fail('no acl.conf'), 'list').find((l) => l.attrs['name'] === 'trunk');
    expect(list?.attrs['default']).toBe('deny');
  });
});

describe('directory', () => {
  const users = () => {
    const section = kid(doc, 'section', ['name', 'directory']) ?? fail('no directory');
    return all(section, 'user');
  };

  it('has a user with a password for every extension of examples/callcenter.yaml', () => {
    const byId = new Map(users().map((u) => [u.attrs['id'], u]));
    const extens = ORG.agents.map((a) => a.exten).filter((e): e is string => e !== null);
    expect(extens.length).toBe(27);
    for (const e of extens) {
      const u = byId.get(e);
      expect(u, `user ${e}`).toBeDefined();
      expect(params(kid(u as El, 'params')).get('password'), `password of ${e}`).toEqual([CONFIGURED.FREESWITCH_SIP_PASSWORD]);
    }
    expect(byId.size).toBe(users().length);
  });

  it('puts the users in the domain user/EXTENSION uses, routed in the default context', () => {
    const section = kid(doc, 'section', ['name', 'directory']) ?? fail('no directory');
    const domain = kid(section, 'domain') ?? fail('no domain');
    expect(domain.attrs['name']).toBe(configured.vars.get('domain'));
    expect(params(kid(domain, 'variables'), 'variable').get('user_context')).toEqual(['default']);
  });
});

describe('dialplan', () => {
  const dialIn = (context: string, number: string, options: Parameters<typeof dial>[3] = {}) =>
    dial(doc, context, number, { ...options, globals: configured.vars });
  /** Applications that answer or send media; none may run before an access number is parked. */
  const MEDIA = ['answer', 'pre_answer', 'playback', 'play_and_get_digits', 'read', 'say', 'speak', 'echo', 'conference', 'record', 'bridge'];

  it.each(ORG.accessNumbers.map((a) => a.number))('parks a call to access number %s unanswered, marked with the number', (number) => {
    for (const context of ['public', 'default']) {
      const call = dialIn(context, number);
      expect(call.end, context).toBe('park');
      expect(call.vars.get('polylink_access_number'), context).toBe(number);
      expect(call.steps.filter((s) => MEDIA.includes(s.app)), context).toEqual([]);
    }
  });

  it.each(ORG.accessNumbers.map((a) => a.number))('maps the international form of %s to the number polylink knows', (number) => {
    const international = number.startsWith('0') ? number.slice(1) : number;
    for (const form of [`+86${international}`, `86${international}`]) {
      const call = dialIn('public', form);
      expect(call.end, form).toBe('park');
      expect(call.vars.get('polylink_access_number'), form).toBe(number);
      expect(call.steps.filter((s) => MEDIA.includes(s.app)), form).toEqual([]);
    }
  });

  it('refuses other numbers from outside and never dials out from "public"', () => {
    expect(dialIn('public', '13800138000').end).toBe('no-route');
    expect(dialIn('public', '8001').end).toBe('no-route');
    const publicContext = all(kid(doc, 'section', ['name', 'dialplan']) ?? fail('no dialplan'), 'context').find((c) => c.attrs['name'] === 'public');
    const apps = all(publicContext ?? fail('no public'), 'action').map((a) => a.attrs['application']);
    expect(apps.filter((a) => a === 'bridge')).toEqual([]);
  });

  const IVR_KEYS: [string, string, string][] = [
    ['610', '1', '630'],
    ['610', '2', '631'],
    ['610', '3', '632'],
    ['611', '1', '631'],
    ['611', '2', '632'],
  ];

  it.each(IVR_KEYS)('IVR %s, key %s: answers, then parks for polylink with queue %s', (ivr, key, queue) => {
    expect(ORG.ivrs.map((i) => i.num)).toContain(ivr);
    expect(ORG.queues.map((q) => q.num)).toContain(queue);
    const call = dialIn('default', ivr, { keys: [key] });
    expect(call.end).toBe('park');
    expect(call.steps.map((s) => s.app)).toContain('answer');
    expect(call.vars.get('polylink_ivr')).toBe(ivr);
    expect(call.vars.get('polylink_dtmf')).toBe(key);
    expect(call.vars.get('polylink_queue')).toBe(queue);
    expect(call.vars.get('polylink_ivr_data')).toBeTruthy();
    expect(ORG.accessNumbers.map((a) => a.number)).toContain(call.vars.get('polylink_access_number'));
  });

  it('IVR 610 without a valid key parks with no queue (the access number default) and no key', () => {
    const call = dialIn('default', '610', { keys: ['9'] });
    expect(call.end).toBe('park');
    expect(call.vars.has('polylink_queue')).toBe(false);
    expect(call.vars.has('polylink_dtmf')).toBe(false);
    expect(call.vars.get('polylink_ivr_data')).toBeTruthy();
  });

  it('keeps the access number a call came in on through an IVR, and drops an earlier key', () => {
    const call = dialIn('default', '611', { keys: ['2'], vars: { polylink_access_number: '02161234567', polylink_dtmf: '3' } });
    expect(call.vars.get('polylink_access_number')).toBe('02161234567');
    expect(call.vars.get('polylink_dtmf')).toBe('2');
    expect(dialIn('default', '611', { vars: { polylink_dtmf: '3' } }).vars.has('polylink_dtmf')).toBe(false);
  });

  it('lets a phone dial every extension of the organisation', () => {
    const domain = configured.vars.get('domain_name');
    for (const e of ORG.agents.map((a) => a.exten).filter((x): x is string => x !== null)) {
      const call = dialIn('default', e);
      expect(call.end, e).toBe('bridge');
      expect(call.steps.at(-1)?.data, e).toBe(`user/${e}@${domain}`);
    }
  });

  it('has an echo test and a hold music test', () => {
    expect(dialIn('default', '9196').end).toBe('echo');
    const moh = dialIn('default', '9664');
    expect(moh.steps.at(-1)).toEqual({ app: 'playback', data: 'local_stream://moh' });
  });
});

function fail(message: string): never {
  throw new Error(message);
}
