import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG } from '../../../src/config/config-schema.js';
import { envName, loadConfig } from '../../../src/config/load-config.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const tempDir = tempDirs('polylink-config-');

function dirWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const load = (files: Record<string, string>, env: Record<string, string> = {}) => loadConfig({ cwd: dirWith(files), env });

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults with no file and no environment', () => {
    const { config, file } = load({});
    expect(file).toBeUndefined();
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(config.agent.tcpPort).toBe(6020);
    expect(config.http.port).toBe(8080);
    expect(config.database.path).toBe('./data/polylink.db');
  });

  it('reads polylink.yaml and lays it over the defaults', () => {
    const { config } = load({ 'polylink.yaml': 'agent:\n  tcpPort: 7000\n  duplicateSignin: reject\nlog:\n  level: debug\n' });
    expect(config.agent.tcpPort).toBe(7000);
    expect(config.agent.duplicateSignin).toBe('reject');
    expect(config.agent.heartbeatIntervalSeconds).toBe(30);
    expect(config.log.level).toBe('debug');
  });

  it('reads JSON named by --config / POLYLINK_CONFIG', () => {
    const dir = dirWith({ 'site.json': '{"http": {"port": 9090}}' });
    expect(loadConfig({ cwd: dir, env: { POLYLINK_CONFIG: join(dir, 'site.json') } }).config.http.port).toBe(9090);
    // Named as the user named it.
    expect(errorOf(() => loadConfig({ cwd: dir, env: {}, file: join(dir, 'missing.yaml') })).message).toBe(`--config ${join(dir, 'missing.yaml')}: no such file`);
    expect(errorOf(() => loadConfig({ cwd: dir, env: { POLYLINK_CONFIG: 'gone.yml' } })).message).toBe('POLYLINK_CONFIG=gone.yml: no such file');
  });

  it('lets POLYLINK_* variables override the file', () => {
    const { config } = load(
      { 'polylink.yaml': 'agent:\n  tcpPort: 7000\n' },
      {
        POLYLINK_AGENT_TCP_PORT: '7100',
        POLYLINK_AGENT_RESUME_GRACE_SECONDS: '5',
        POLYLINK_LEAVE_REQUIRE_APPROVAL: 'yes',
        POLYLINK_DATABASE_PATH: '/tmp/x.db',
        POLYLINK_FREESWITCH_NODES: 's3cret@fs1.example:8021,other@fs2.example',
      },
    );
    expect(config.agent.tcpPort).toBe(7100);
    expect(config.agent.resumeGraceSeconds).toBe(5);
    expect(config.leave.requireApproval).toBe(true);
    expect(config.database.path).toBe('/tmp/x.db');
    expect(config.freeswitch.nodes).toEqual([
      { id: 'fs1.example:8021', host: 'fs1.example', port: 8021, password: 's3cret' },
      { id: 'fs2.example:8021', host: 'fs2.example', port: 8021, password: 'other' },
    ]);
  });

  it("takes the simulator's max-sessions (FreeSWITCH's default 1000) from the environment", () => {
    expect(load({}).config.simulator.maxSessions).toBe(1000);
    expect(load({}, { POLYLINK_SIMULATOR_MAX_SESSIONS: '10000' }).config.simulator.maxSessions).toBe(10_000);
  });

  it('takes TLS for the HTTP port (wss://) as agent.tls: a mapping of certFile and keyFile, from the file or POLYLINK_HTTP_TLS', () => {
    expect(load({}).config.http.tls).toBeNull();
    expect(load({ 'polylink.yaml': 'http:\n  tls: { certFile: /etc/polylink/cert.pem, keyFile: /etc/polylink/key.pem }\n' }).config.http.tls).toEqual({
      certFile: '/etc/polylink/cert.pem',
      keyFile: '/etc/polylink/key.pem',
    });
    expect(load({}, { POLYLINK_HTTP_TLS: '{"certFile": "/c.pem", "keyFile": "/k.pem"}' }).config.http.tls).toEqual({ certFile: '/c.pem', keyFile: '/k.pem' });
    expect(errorOf(() => load({ 'polylink.yaml': 'http:\n  tls: { certFile: /c.pem }\n' })).key).toBe('http.tls.keyFile');
    expect(errorOf(() => load({ 'polylink.yaml': 'http:\n  tls: { cert: /c.pem, keyFile: /k.pem }\n' })).key).toBe('http.tls.cert');
  });

  it('reads the webhooks\' pace and refuses a ceiling under the floor or a busy fraction outside (0, 1]', () => {
    const { config } = load({ 'polylink.yaml': 'webhooks:\n  pace:\n    floorPerSecond: 0\n' });
    expect(config.webhooks.pace).toEqual({ ...DEFAULT_CONFIG.webhooks.pace, floorPerSecond: 0 });
    expect(errorOf(() => load({ 'polylink.yaml': 'webhooks:\n  pace:\n    floorPerSecond: 3000\n    ceilingPerSecond: 2000\n' })).key).toBe('webhooks.pace.ceilingPerSecond');
    expect(errorOf(() => load({ 'polylink.yaml': 'webhooks:\n  pace:\n    busyUtilisation: 1.5\n' })).key).toBe('webhooks.pace.busyUtilisation');
    expect(errorOf(() => load({ 'polylink.yaml': 'webhooks:\n  pace:\n    threadNice: 20\n' })).key).toBe('webhooks.pace.threadNice');
  });

  it('names environment variables after the keys', () => {
    expect(envName('agent.tcpPort')).toBe('POLYLINK_AGENT_TCP_PORT');
    expect(envName('timeZone')).toBe('POLYLINK_TIME_ZONE');
  });

  it.each([
    ['agent.tcpPort', { 'polylink.yaml': 'agent:\n  tcpPort: 70000\n' }, {}],
    ['agent.tcpPort', {}, { POLYLINK_AGENT_TCP_PORT: 'six' }],
    ['agent.duplicateSignin', { 'polylink.yaml': 'agent:\n  duplicateSignin: both\n' }, {}],
    ['agent.heartbeatInterval', { 'polylink.yaml': 'agent:\n  heartbeatInterval: 30\n' }, {}],
    ['agent.maxMessageBytes', { 'polylink.yaml': 'agent:\n  maxMessageBytes: 10\n' }, {}],
    ['log.level', { 'polylink.yaml': 'log:\n  level: loud\n' }, {}],
    ['timeZone', { 'polylink.yaml': 'timeZone: Mars/Olympus\n' }, {}],
    ['leave.requireApproval', {}, { POLYLINK_LEAVE_REQUIRE_APPROVAL: 'maybe' }],
    ['freeswitch.nodes[0].password', { 'polylink.yaml': 'freeswitch:\n  nodes:\n    - { host: fs1, password: ClueCon }\n' }, {}],
    ['freeswitch.nodes[1].id', { 'polylink.yaml': 'freeswitch:\n  nodes:\n    - { host: fs1, password: a }\n    - { host: fs1, password: b }\n' }, {}],
    ['simulator.maxSessions', { 'polylink.yaml': 'simulator:\n  maxSessions: 0\n' }, {}],
    ['freeswitch.overload.leaveAgeMs', { 'polylink.yaml': 'freeswitch:\n  overload: { enterAgeMs: 500, leaveAgeMs: 500 }\n' }, {}],
    ['freeswitch.overload.leaveDepth', {}, { POLYLINK_FREESWITCH_OVERLOAD_LEAVE_DEPTH: '6000' }],
    ['freeswitch.backlogLimit', { 'polylink.yaml': 'freeswitch:\n  backlogLimit: 4000\n' }, {}],
  ])('a bad value fails naming the key %s', (key, files, env) => {
    const err = errorOf(() => load(files, env));
    expect(err.key).toBe(key);
    expect(err.message).toContain(key);
  });

  it('a config file that is not YAML fails naming the file, in one line', () => {
    const err = errorOf(() => load({ 'polylink.yaml': 'agent: [\n' }));
    expect(err.key).toBe('(file)');
    expect(err.message).toMatch(/polylink\.yaml: not valid YAML: [^\n]+$/);
  });

  it('never puts a node password into an error message about another key', () => {
    const err = errorOf(() => load({ 'polylink.yaml': 'freeswitch:\n  nodes:\n    - { host: fs1, password: hunter22, port: 99999 }\n' }));
    expect(err.key).toBe('freeswitch.nodes[0].port');
    expect(err.message).not.toContain('hunter22');
  });
});

describe('call settings', () => {
  it('take lists and mappings from the environment as JSON', () => {
    const { config } = load({}, { POLYLINK_CALLS_INTERNAL_CALL_STATES: '[0, 6]', POLYLINK_CALLS_GATEWAY_CHANNELS: '{"trunk": 30}', POLYLINK_CALLS_GRADE_DIGIT_TIMEOUT_SECONDS: '5' });
    expect(config.calls.internalCallStates).toEqual([0, 6]);
    expect(config.calls.gatewayChannels).toEqual({ trunk: 30 });
    expect(config.calls.grade.digitTimeoutSeconds).toBe(5);
  });

  it.each([
    ['calls.holdMusic', { 'polylink.yaml': 'calls:\n  holdMusic: "http://evil/x.mp3"\n' }],
    ['calls.recordingsDir', { 'polylink.yaml': 'calls:\n  recordingsDir: "rel/dir"\n' }],
    ['calls.gatewayChannels.trunk', { 'polylink.yaml': 'calls:\n  gatewayChannels: { trunk: 0 }\n' }],
    ['calls.grade.prompts.zh', { 'polylink.yaml': 'calls:\n  grade:\n    prompts: { zh: "../x.wav", en: "/a.wav" }\n' }],
  ])('a bad %s is refused', (key, files) => {
    expect(errorOf(() => load(files)).key).toBe(key);
  });
});

describe('api.webKey (seed 001 WEBKEY)', () => {
  it('is null by default: no authentication', () => {
    expect(load({}).config.api.webKey).toBeNull();
  });

  it('is read from the file and from POLYLINK_API_WEB_KEY, the variable winning; empty means none', () => {
    expect(load({ 'polylink.yaml': 'api:\n  webKey: asjdfjklkasdf\n' }).config.api.webKey).toBe('asjdfjklkasdf');
    expect(load({ 'polylink.yaml': 'api:\n  webKey: asjdfjklkasdf\n' }, { POLYLINK_API_WEB_KEY: 'from-the-environment' }).config.api.webKey).toBe('from-the-environment');
    expect(load({ 'polylink.yaml': 'api:\n  webKey: asjdfjklkasdf\n' }, { POLYLINK_API_WEB_KEY: '' }).config.api.webKey).toBeNull();
    expect(load({ 'polylink.yaml': 'api:\n  webKey: ""\n' }).config.api.webKey).toBeNull();
  });

  it.each([
    ['too short', { 'polylink.yaml': 'api:\n  webKey: short\n' }, {}],
    ['not a string', { 'polylink.yaml': 'api:\n  webKey: 12345678\n' }, {}],
    ['with a space', {}, { POLYLINK_API_WEB_KEY: 'two words here' }],
    ['with a tab', {}, { POLYLINK_API_WEB_KEY: 'tab\tinside-key' }],
    ['an unknown key beside it', { 'polylink.yaml': 'api:\n  webkey: asjdfjklkasdf\n' }, {}],
  ])('is refused %s, naming the key', (_what, files, env) => {
    const err = errorOf(() => load(files, env));
    expect(err.key).toMatch(/^api\.web[kK]ey$/);
    expect(err.message).toContain(err.key);
  });

  it('never shows the key in its error message', () => {
    expect(errorOf(() => load({}, { POLYLINK_API_WEB_KEY: 'secret with space' })).message).not.toContain('secret');
  });
});

describe('web.screenPop (seed 001 pop_url)', () => {
  it('is off by default; the template, moment and target come from the file or POLYLINK_WEB_SCREEN_POP_*', () => {
    expect(load({}).config.web).toEqual({ dir: 'dist/web', screenPop: { url: null, on: 'ring', target: 'frame' } });
    const file = 'web:\n  screenPop:\n    url: "https://crm.example.com/pop?phone={customer_num}&call={relation_uuid}"\n    on: answer\n';
    expect(load({ 'polylink.yaml': file }).config.web.screenPop).toEqual({
      url: 'https://crm.example.com/pop?phone={customer_num}&call={relation_uuid}',
      on: 'answer',
      target: 'frame',
    });
    const env = { POLYLINK_WEB_SCREEN_POP_URL: 'http://crm/{customerForeignId}', POLYLINK_WEB_SCREEN_POP_TARGET: 'tab' };
    expect(load({}, env).config.web.screenPop).toEqual({ url: 'http://crm/{customerForeignId}', on: 'ring', target: 'tab' });
    expect(load({ 'polylink.yaml': file }, { POLYLINK_WEB_SCREEN_POP_URL: '' }).config.web.screenPop.url).toBeNull();
  });

  it.each([
    ['a field makeStr does not have', 'https://crm/pop?n={caller}', /\{caller\} is not a makeStr field; use one of \{customer_num\}/],
    ['a brace left open', 'https://crm/pop?n={customer_num', /does not enclose a field name/],
    ['a scheme other than http(s)', 'javascript:alert(1)//{customer_num}', /http:\/\/ or https:\/\//],
    ['a space', 'https://crm/pop?n={customer_num} x', /without spaces/],
  ])('refuses a template with %s, naming the key', (_what, url, message) => {
    const err = errorOf(() => load({}, { POLYLINK_WEB_SCREEN_POP_URL: url }));
    expect(err.key).toBe('web.screenPop.url');
    expect(err.message).toMatch(message);
  });

  it('refuses a moment or target it does not know', () => {
    expect(errorOf(() => load({}, { POLYLINK_WEB_SCREEN_POP_ON: 'hangup' })).key).toBe('web.screenPop.on');
    expect(errorOf(() => load({}, { POLYLINK_WEB_SCREEN_POP_TARGET: 'window' })).key).toBe('web.screenPop.target');
  });
});
