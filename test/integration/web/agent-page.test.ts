// The agent bar page in a real browser (Debian's chromium through playwright-core) against
// polylink on its simulator, the page built as `npm run build` builds it and served by
// polylink itself: agents sign in on the page, simulated customers call, and everything the
// agent does is a click or a key on the page. The screen pop opens a real (local) web server.
// Screenshots go to a temporary folder, or with UPDATE_SCREENSHOTS=1 to docs/images/ (README).
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAKE_STR_KEYS } from '../../../src/numbers/make-str.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { builtPages } from '../../helpers/web-build.js';
import { BUTTONS } from '../../../web/agent/src/buttons.js';

const pages = builtPages();
/** A browser test is a few dozen clicks, each waiting for the server: generous on a loaded machine. */
const BROWSER_TEST_MS = 90_000;
const tempDir = tempDirs('polylink-shots-');
const SHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? resolve(import.meta.dirname, '..', '..', '..', 'docs', 'images') : undefined;
let shots: string;

/** The business system the screen pop opens: it records what it was asked for. */
let crm: http.Server;
const crmRequests: URL[] = [];
let crmBase: string;

let browser: TestBrowser;
let f: CallFixture | undefined;

beforeAll(async () => {
  shots = SHOTS ?? tempDir();
  crm = http.createServer((req, res) => {
    crmRequests.push(new URL(req.url ?? '/', 'http://crm'));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>CRM</title><body style="font-family:sans-serif"><h3>CRM: customer record</h3></body>');
  });
  await new Promise<void>((r) => crm.listen(0, '127.0.0.1', r));
  crmBase = `http://127.0.0.1:${(crm.address() as AddressInfo).port}`;
  await pages();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => crm?.close(r));
});

afterEach(async () => {
  for (const p of browser?.context.pages() ?? []) await p.close();
  await f?.close();
  f = undefined;
  crmRequests.length = 0;
});

/** Every makeStr field in the template, so that the pop shows what each one carries. */
const POP_TEMPLATE = () => `${crmBase}/crm/pop?${MAKE_STR_KEYS.map((k) => `${k}={${k}}`).join('&')}`;

async function start(screenPop: { on: 'ring' | 'answer'; target: 'frame' | 'tab' }): Promise<CallFixture> {
  f = await startCallFixture({ config: { web: { dir: await pages(), screenPop: { url: POP_TEMPLATE(), ...screenPop } } } });
  return f;
}

/** A page signed in as `agentId` (password `<id>pw`, its own extension), in `initStatus`. */
function signedIn(fx: CallFixture, agentId: string, initStatus = '0'): Promise<Page> {
  return signedInWith(fx, agentId, async () => undefined, initStatus);
}

/** As signedIn, with `prepare` run on the page before it loads. */
async function signedInWith(fx: CallFixture, agentId: string, prepare: (page: Page) => Promise<void>, initStatus = '0'): Promise<Page> {
  const page = await browser.context.newPage();
  await prepare(page);
  await page.goto(`http://127.0.0.1:${fx.s.server.httpPort}/`);
  expect(new URL(page.url()).pathname).toBe('/agent/');
  await page.fill('input[name=agentId]', agentId);
  await page.fill('input[name=password]', `${agentId}pw`);
  await page.fill('input[name=exten]', fx.exten(agentId));
  await page.selectOption('select[name=initStatus]', initStatus);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#agent');
  await expectStatus(page, initStatus);
  return page;
}

const button = (page: Page, name: string) => page.locator(`[data-button=${name}]`);

async function expectStatus(page: Page, status: string): Promise<void> {
  await page.waitForSelector(`#state-time[data-status="${status}"]`, { timeout: 5000 });
}

/** The buttons enabled now, by the seed's names, in the seed's order. */
async function enabled(page: Page): Promise<string[]> {
  const names = await page.$$eval('[data-button]', (els) => els.filter((e) => !(e as unknown as { disabled: boolean }).disabled).map((e) => e.getAttribute('data-button')!));
  return BUTTONS.filter((b) => names.includes(b));
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = join(shots, name);
  await page.screenshot({ path: file });
  const png = readFileSync(file);
  // The PNG header's IHDR: width and height at bytes 16 and 20.
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1366, 768]);
}

/** Picks `value` of `kind` in the open target dialog and confirms. */
async function chooseTarget(page: Page, kind: string, value: string): Promise<void> {
  const dialog = page.locator('dialog[open]');
  await dialog.locator('select[name=kind]').selectOption(kind);
  const field = dialog.locator('[name=value]');
  if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
  else await field.fill(value);
  await dialog.locator('[data-ok]').click();
  await page.waitForSelector('dialog[open]', { state: 'detached' });
}

describe('the agent bar page', () => {
  it('a customer waits, is answered, held, retrieved, consulted and handed to a second agent’s page, who hangs up, sets after-call work and goes idle; leave applied for and withdrawn', async () => {
    const fx = await start({ on: 'ring', target: 'frame' });
    // 1001's phone answers only when told to (ctiAnswer): the page's Answer does it.
    fx.phone('1001', { kind: 'no-answer' });
    const a = await signedIn(fx, '1001', '6');
    await expect.poll(() => a.textContent('#agent')).toContain('Zhang Wei');
    expect(fx.statusOf('1001')).toBe(6);
    // Busy, no call: no call button but the selectors; the figures of the day are there.
    await expect.poll(() => enabled(a)).toEqual(['tsbCallAgent', 'tsddbAfterHangup']);
    await a.waitForSelector('[data-figure=answernums]');

    // Nobody free in the sales queue: the customer waits, and the page lists it.
    await a.waitForSelector('#waiting .empty');
    const customer = fx.sim.placeCall({ from: '051287654321', to: '4008001000' });
    const waiting = a.locator('#waiting tr[data-customer]');
    await expect.poll(() => waiting.count()).toBe(1);
    expect(await waiting.textContent()).toMatch(/051287654321.*Sales hotline 销售热线.*\d:\d\d.*waiting/);

    // The agent goes idle: the customer is offered to it; the page rings, pops the CRM, shows the call.
    await a.selectOption('#state', '0');
    await expect.poll(() => enabled(a)).toEqual(['tsbAnswer', 'tsbHangUp', 'tsddbAfterHangup']);
    await expect.poll(() => a.textContent('#call [data-field=number]')).toBe('051287654321');
    await expect.poll(() => a.textContent('#call [data-field=queue]')).toBe('Sales hotline 销售热线');
    expect(await a.textContent('#call [data-field=area]')).toBe('江苏-苏州');
    expect(await a.textContent('#call [data-field=line]')).toBe('Sales line 销售线');
    expect(await a.textContent('#call [data-field=waited]')).toMatch(/^0:0\d$/);
    await expect.poll(() => crmRequests.length).toBe(1);
    const pop = crmRequests[0]!;
    expect(pop.pathname).toBe('/crm/pop');
    expect(Object.fromEntries(pop.searchParams)).toMatchObject({
      customer_num: '051287654321',
      callcenter_num: '4008001000',
      access_num_name: 'Sales line 销售线',
      agent_num: '1001',
      area_name: '江苏-苏州',
      customer_num_format_e164: '+8651287654321',
    });
    const callId = pop.searchParams.get('relation_uuid')!;
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await a.getAttribute('#pop-frame', 'src')).toBe(pop.href.replace('http://crm', crmBase));

    // F2 answers, F8 holds and retrieves.
    await a.keyboard.press('F2');
    await expectStatus(a, '2');
    await expect.poll(() => a.textContent('#call [data-field=talking]')).toMatch(/^0:0\d$/);
    expect(await a.locator('#waiting tr[data-customer]').count()).toBe(0);
    expect(await enabled(a)).toEqual(['tsbHangUp', 'tsbHold', 'tsbKeyPad', 'tsbTransfer', 'tsbConsult', 'tsbThreeWay', 'tsbGrade', 'tsddbAfterHangup']);
    await a.keyboard.press('F8');
    await expectStatus(a, '3');
    expect(await enabled(a)).toEqual(['tsbHangUp', 'tsbStopHold', 'tsddbAfterHangup']);
    await a.keyboard.press('F8');
    await expectStatus(a, '2');
    // Meanwhile another customer calls and waits (the only free agent is busy): the list counts its wait.
    const second = fx.sim.placeCall({ from: '13911112222', to: '4008001000' });
    await expect.poll(() => waiting.count()).toBe(1);
    await expect.poll(() => waiting.locator('td.num').textContent(), { timeout: 5000 }).toMatch(/^0:0[2-9]$/);
    await screenshot(a, 'agent-bar.png');
    second.hangup();
    await expect.poll(() => waiting.count()).toBe(0);

    // A second agent's page; A consults it, then hands the customer over.
    const b = await signedIn(fx, '1017');
    await button(a, 'tsbConsult').click();
    await chooseTarget(a, 'agent', '1017');
    await expect.poll(() => b.textContent('#call .call-kind')).toBe('Consulted by 1001');
    await expectStatus(b, '2');
    await expect.poll(() => button(a, 'tsbTransfer').textContent()).toBe('Hand over');
    expect(await enabled(a)).toEqual(['tsbHangUp', 'tsbKeyPad', 'tsbTransfer', 'tsbStopConsult', 'tsddbAfterHangup']);
    // A picks where it goes after this call (the seed's tsddbAfterHangup): busy rather than after-call work.
    await a.selectOption('#after-hangup', '6');
    await eventually(() => fx.s.server.engine.agents.session('1001')?.afterHangupStatus === 6);
    await button(a, 'tsbTransfer').click();
    await expectStatus(a, '6');
    await a.waitForSelector('#call .ended');
    expect(fx.statusOf('1017')).toBe(2);
    expect(await b.textContent('#call [data-field=number]')).toBe('051287654321');
    // The consulted agent serves the call now: its page offers the customer call's buttons.
    await expect.poll(() => enabled(b)).toContain('tsbTransfer');

    // B hangs up: after-call work, then back to idle.
    await button(b, 'tsbHangUp').click();
    await expectStatus(b, '4');
    await b.waitForSelector('#call .ended');
    expect(await b.textContent('#state-time')).toMatch(/^for 0:0\d$/);
    expect(await b.locator('#state option:checked').textContent()).toBe('After-call work');
    await b.selectOption('#state', '0');
    await expectStatus(b, '0');
    await a.selectOption('#state', '0');
    await expectStatus(a, '0');
    expect(customer.isUp).toBe(false);
    await eventually(() => fx.cdr(callId) !== undefined);
    expect(fx.cdr(callId)).toMatchObject({ agent_id: '1017', status: 'ANSWER' });

    // Today's figures follow: A answered one call, consulted once, held once.
    await expect.poll(() => a.textContent('[data-figure=answernums]')).toBe('1');
    await expect.poll(() => a.textContent('[data-figure=interhelpnums]')).toBe('1');
    expect(await a.textContent('[data-figure=keepnums]')).toBe('1');
    // One screen pop per call per agent: B's page popped the same call once.
    expect(crmRequests.map((u) => u.searchParams.get('agent_num'))).toEqual(['1001', '1017']);

    // Leave through an application, with a supervisor online to approve it; withdrawn with Cancel leave.
    const supervisor = await signedIn(fx, '1101', '6');
    await a.selectOption('#state', 'apply');
    await expect.poll(() => enabled(a)).toContain('tsbCancelApplication');
    expect(await a.textContent('#notice')).toBe('Leave applied for; waiting for approval.');
    await button(a, 'tsbCancelApplication').click();
    await expect.poll(() => a.textContent('#notice')).toBe('Leave application cancelled.');
    expect(await enabled(a)).not.toContain('tsbCancelApplication');
    await supervisor.close();
  }, BROWSER_TEST_MS);

  it('dials out from the dial pad, pops the CRM in a tab on answer, hangs up with F4; transfers a customer to a queue; remembers the sign-in but the password; speaks Chinese by the browser or the switch', async () => {
    const fx = await start({ on: 'answer', target: 'tab' });
    const a = await signedIn(fx, '1002');
    await button(a, 'tsbKeyPad').click();
    for (const key of '13900139000') await a.click(`dialog[open] [data-key="${key}"]`);
    expect(await a.inputValue('dialog[open] input[name=number]')).toBe('13900139000');
    const popup = browser.context.waitForEvent('page');
    await a.click('dialog[open] [data-ok]');
    // The agent's phone, then the customer's (the simulator answers both): a tab with the CRM once answered.
    const tab = await popup;
    await tab.waitForLoadState();
    expect(new URL(tab.url()).searchParams.get('customer_num')).toBe('13900139000');
    expect(new URL(tab.url()).searchParams.get('agent_num')).toBe('1002');
    await expectStatus(a, '2');
    expect(await a.textContent('#call .call-kind')).toBe('Outbound call');
    expect(await a.textContent('#call [data-field=line]')).toBe('Sales line 销售线');
    await a.keyboard.press('F4');
    await expectStatus(a, '4');
    await a.selectOption('#state', '0');
    await expectStatus(a, '0');
    await expect.poll(() => a.textContent('[data-figure=calloutnums]')).toBe('1');

    // A customer's call, answered by the phone, transferred blind to another queue from the dialog.
    fx.sim.placeCall({ from: '13912345678', to: '4008001000' });
    await expectStatus(a, '2');
    await button(a, 'tsbTransfer').click();
    await chooseTarget(a, 'queue', '631');
    await expectStatus(a, '4');
    await a.selectOption('#state', '0');
    await expectStatus(a, '0');


    // Signed out, the form keeps the agent, its extension and state, not the password — also after a reload.
    await a.click('#sign-out');
    await a.waitForSelector('#sign-in');
    await a.reload();
    expect([await a.inputValue('input[name=agentId]'), await a.inputValue('input[name=exten]'), await a.inputValue('input[name=password]')]).toEqual(['1002', '8002', '']);
    expect(await a.evaluate<string>('Object.values(localStorage).join(" ")')).not.toContain('1002pw');
    // The custom states learnt at the last sign-in can be signed in with.
    expect(await a.$$eval('select[name=initStatus] option', (os) => os.map((o) => o.textContent))).toEqual(['Idle', 'Busy', 'Call-out mode', 'Training 培训', 'Meeting 会议', 'Lunch 用餐']);

    // The switch: Chinese, kept for the next visit.
    await a.click('#language');
    expect(await a.textContent('#sign-in h2')).toBe('签入');
    await a.fill('input[name=password]', '1002pw');
    await a.click('#sign-in button[type=submit]');
    await a.waitForSelector('#agent');
    expect(await button(a, 'tsbCallOut').textContent()).toBe('外呼');
    expect(await a.locator('#state option:checked').textContent()).toBe('空闲');
    await expect.poll(() => a.textContent('#figures dt')).toBe('通话时长');
    await a.waitForSelector('[data-figure=calloutnums]');
    await screenshot(a, 'agent-bar-zh.png');
    await a.reload();
    expect(await a.textContent('#sign-in h2')).toBe('签入');

    // A browser that prefers Chinese gets Chinese without the switch.
    const zh = await browser.context.newPage();
    await zh.addInitScript(`localStorage.removeItem('polylink.language'); Object.defineProperty(navigator, 'languages', { get: () => ['zh-CN', 'zh'] });`);
    await zh.goto(`http://127.0.0.1:${fx.s.server.httpPort}/agent/`);
    expect(await zh.textContent('#sign-in h2')).toBe('签入');
    expect(await zh.getAttribute('html', 'lang')).toBe('zh-CN');
  }, BROWSER_TEST_MS);

  it('an internal call (the caller may hold it), a network blip the call survives, a three-way call and its cancel, keys into the call, the satisfaction survey', async () => {
    const fx = await start({ on: 'ring', target: 'frame' });
    // 1002's page records its WebSockets, so that the test can drop the connection under it.
    const agentA = await signedInWith(fx, '1002', async (page) => {
      await page.addInitScript(`window.__sockets = []; const Native = WebSocket; window.WebSocket = class extends Native { constructor(...args) { super(...args); window.__sockets.push(this); } };`);
    });
    const b = await signedIn(fx, '1017');

    // 1002 calls 1017: its own phone first, then 1017's (both answer by themselves).
    await button(agentA, 'tsbCallAgent').click();
    await chooseTarget(agentA, 'agent', '1017');
    await expectStatus(agentA, '2');
    await expectStatus(b, '2');
    expect(await agentA.textContent('#call .call-kind')).toBe('Internal call');
    expect(await agentA.textContent('#call [data-field=number]')).toBe('1017');
    expect(await b.textContent('#call [data-field=number]')).toBe('1002');
    expect(await enabled(agentA)).toEqual(['tsbHangUp', 'tsbHold', 'tsbKeyPad', 'tsddbAfterHangup']);
    expect(await enabled(b)).toEqual(['tsbHangUp', 'tsbKeyPad', 'tsddbAfterHangup']);
    await button(b, 'tsbHangUp').click();
    await expectStatus(agentA, '0');
    await expectStatus(b, '0');

    // A customer for 1002 (its phone answers); the connection drops and comes back: the call goes on.
    const customer = fx.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await expectStatus(agentA, '2');
    await agentA.evaluate('window.__sockets.at(-1).close()');
    await expect.poll(() => agentA.textContent('#notice'), { timeout: 8000 }).toBe('Connection back; your session and calls carried on.');
    expect(await agentA.textContent('#connection')).toBe('Connected');
    expect(await agentA.evaluate<number>('window.__sockets.length')).toBe(2);
    expect(customer.isUp).toBe(true);
    expect(await enabled(agentA)).toContain('tsbThreeWay');

    // Three-way with 1017, cancelled: 1017 leaves, 1002 and the customer talk on.
    await button(agentA, 'tsbThreeWay').click();
    await chooseTarget(agentA, 'agent', '1017');
    await expect.poll(() => b.textContent('#call .call-kind')).toBe('Three-way with 1002');
    await expectStatus(b, '2');
    expect(await enabled(agentA)).toEqual(['tsbHangUp', 'tsbKeyPad', 'tsbThreeWayCancel', 'tsddbAfterHangup']);
    await button(agentA, 'tsbThreeWayCancel').click();
    await expectStatus(b, '0');
    // The customer and 1002 are bridged again as before the three-way call: hold, transfer and the survey are back, and hold works.
    await expect.poll(() => enabled(agentA)).toEqual(['tsbHangUp', 'tsbHold', 'tsbKeyPad', 'tsbTransfer', 'tsbConsult', 'tsbThreeWay', 'tsbGrade', 'tsddbAfterHangup']);
    await agentA.keyboard.press('F8');
    await expectStatus(agentA, '3');
    await agentA.keyboard.press('F8');
    await expectStatus(agentA, '2');

    // The keypad in a call sends each key into it, clicked or typed: the customer's side hears them.
    await button(agentA, 'tsbKeyPad').click();
    expect(await agentA.textContent('dialog[open] h2')).toBe('Keypad: keys into the call');
    for (const key of '12#') await agentA.click(`dialog[open] [data-key="${key}"]`);
    await agentA.keyboard.press('9');
    await expect.poll(() => agentA.textContent('dialog[open] .tones-sent')).toBe('12#9');
    expect(fx.sim.dtmfSentOut(customer.uuid)).toBe('12#9');
    await agentA.click('dialog[open] [data-ok]');
    await agentA.waitForSelector('dialog[open]', { state: 'detached' });
    expect(customer.isUp).toBe(true);
    await button(agentA, 'tsbHangUp').click();
    await expectStatus(agentA, '4');
    await agentA.selectOption('#state', '0');
    await expectStatus(agentA, '0');

    // The next customer goes to the satisfaction survey, in Chinese; the agent is free.
    fx.sim.placeCall({ from: '13912345678', to: '4008001000' });
    await expectStatus(agentA, '2');
    await button(agentA, 'tsbGrade').click();
    await agentA.locator('dialog[open] select[name=language]').selectOption('zh');
    await agentA.click('dialog[open] [data-ok]');
    await expectStatus(agentA, '4');
    await agentA.waitForSelector('#call .ended');
  }, BROWSER_TEST_MS);
});

describe('the pages as built', () => {
  /** Gzipped budget of the agent page's script (the SDK is a good half of it) and style. */
  const MAX_SCRIPT_GZIP = 32 * 1024;
  const MAX_STYLE_GZIP = 4 * 1024;

  it('HTML names its script and style by content hash; nothing is fetched from elsewhere; both stay small', async () => {
    const dir = await pages();
    const html = readFileSync(join(dir, 'agent', 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    const hashed = refs.filter((r) => r !== 'data:,').map((r) => r.replace(/-[\w-]{8}\.(js|css)$/, '-HASH.$1'));
    expect(hashed.sort()).toEqual(['/assets/agent-HASH.css', '/assets/agent-HASH.js']);
    for (const file of readdirSync(join(dir, 'assets')).filter((f) => !f.endsWith('.map'))) {
      const text = readFileSync(join(dir, 'assets', file), 'utf8');
      // The SVG namespace (the wallboard's charts) names the element kind; nothing is fetched from it.
      expect(text, file).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      const budget = file.endsWith('.css') ? MAX_STYLE_GZIP : MAX_SCRIPT_GZIP;
      expect(gzipSync(text, { level: 9 }).length, file).toBeLessThan(budget);
    }
    expect(html).not.toMatch(/https?:\/\//);
  });
});

