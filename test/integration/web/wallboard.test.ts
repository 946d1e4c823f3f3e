// The supervisor wallboard in a real browser (Debian's chromium through playwright-core)
// against polylink on its simulator, the page built as `npm run build` builds it and served
// by polylink itself. Agents work on real TCP bars; the supervisor only looks and clicks.
// Screenshots go to a temporary folder, or with UPDATE_SCREENSHOTS=1 to docs/images/ (README).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { builtPages } from '../../helpers/web-build.js';

const pages = builtPages();
const BROWSER_TEST_MS = 90_000;
const tempDir = tempDirs('polylink-shots-');
const SHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? resolve(import.meta.dirname, '..', '..', '..', 'docs', 'images') : undefined;
/** The wall screen the board is made for. */
const WALL = { width: 1920, height: 1080 };
let shots: string;
let browser: TestBrowser;
let f: CallFixture | undefined;

beforeAll(async () => {
  shots = SHOTS ?? tempDir();
  await pages();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  for (const p of browser?.context.pages() ?? []) await p.close();
  await f?.close();
  f = undefined;
});

/** The wallboard signed in as supervisor `id` (password `<id>pw`, its own extension for listening in), busy. */
async function wallboard(fx: CallFixture, id: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize(WALL);
  await page.goto(`http://127.0.0.1:${fx.s.server.httpPort}/wallboard/`);
  await page.fill('input[name=agentId]', id);
  await page.fill('input[name=password]', `${id}pw`);
  await page.fill('input[name=exten]', fx.exten(id));
  expect(await page.inputValue('select[name=initStatus]')).toBe('6');
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#agents');
  return page;
}

const tile = (page: Page, agentId: string) => page.locator(`#agents [data-agent="${agentId}"]`);

/** Resolves once the tile of `agentId` shows `status`; fails after `withinMs`. */
async function tileShows(page: Page, agentId: string, status: string, withinMs: number): Promise<void> {
  await page.waitForSelector(`#agents [data-agent="${agentId}"][data-status="${status}"]`, { timeout: withinMs });
}

describe('the supervisor wallboard', () => {
  it('shows each agent’s change within a second, the queue’s customers and figures, listens to a call with one click and forces a state', async () => {
    const fx = (f = await startCallFixture({ config: { web: { dir: await pages() } } }));
    const a = await fx.agent('1001', { initStatus: '6' });
    const board = await wallboard(fx, '1101');
    await tileShows(board, '1001', '6', 5000);
    expect(await tile(board, '1001').textContent()).toMatch(/^Zhang Wei1001 · 8001Busy\d+:\d\d$/);
    // Agents of groups the role does not monitor have no tile.
    expect(await board.locator('#agents [data-agent="1201"]').count()).toBe(0);

    // Each change of state is on the board within a second of the server making it.
    await a.request('setagentdefinestatus', '1001', { targetStatus: '0' });
    const customer = fx.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await tileShows(board, '1001', '2', 5000);
    const changes: [string, string][] = [['100', 'Training 培训'], ['0', 'Idle']];
    customer.hangup();
    await tileShows(board, '1001', '4', 1000);
    for (const [status, name] of changes) {
      await a.request('setagentdefinestatus', '1001', { targetStatus: status });
      await tileShows(board, '1001', status, 1000);
      expect(await tile(board, '1001').locator('.state').textContent()).toBe(name);
    }

    // The sales queue's day: one call offered and answered.
    const sales = board.locator('#queues tr[data-queue="630"]');
    await expect.poll(() => sales.locator('[data-figure=offered]').textContent(), { timeout: 5000 }).toBe('1');
    // A push at the offer may have shown offered 1 and answered 0; the next, at most a second later, the answer.
    await expect.poll(() => sales.locator('[data-figure=answered]').textContent(), { timeout: 3000 }).toBe('1');
    await expect.poll(() => board.locator('#queues tr[data-queue=centre] [data-figure=offered]').textContent(), { timeout: 3000 }).toBe('1');
    // The quarter hour now has the call in the chart.
    await board.waitForSelector('#calls-chart rect.bar.now[data-value="1"]');

    // A second customer waits (1001 is the only agent of 630 and is busy): the board counts it and its wait.
    await a.request('setagentdefinestatus', '1001', { targetStatus: '6' });
    await tileShows(board, '1001', '6', 1000);
    const waiting = fx.sim.placeCall({ from: '13911112222', to: '4008001000' });
    await expect.poll(() => sales.locator('[data-figure=waiting]').textContent(), { timeout: 2000 }).toBe('1');
    await expect.poll(() => sales.locator('[data-figure=longest]').textContent(), { timeout: 5000 }).toMatch(/^0:0[2-9]$/);
    await board.waitForSelector('#waiting-chart path.level');

    // 1001 takes it; one click on its tile's Listen and the supervisor listens in.
    await a.request('setagentdefinestatus', '1001', { targetStatus: '0' });
    await tileShows(board, '1001', '2', 5000);
    // A few more agents at work for the picture: training, busy, call-out mode.
    for (const [id, status] of [['1002', '100'], ['1003', '6'], ['1004', '8']] as const) {
      await fx.agent(id, { initStatus: status });
      await tileShows(board, id, status, 1000);
    }
    await board.screenshot({ path: join(shots, 'wallboard.png') });
    await tile(board, '1001').locator('[data-action=listen]').click();
    await expect.poll(() => board.textContent('#notice')).toBe('Listen: sent for Zhang Wei (1001).');
    // The supervisor's phone rang and answered: it hears the customer and the agent, neither hears it.
    await eventually(() => fx.statusOf('1101') === 2, 5000);
    const monitor = fx.sim.channels().find((c) => c.variables['polylink_leg'] === 'monitor' && c.variables['polylink_agent'] === '1101')!.uuid;
    const agentLeg = fx.sim.channel(waiting.uuid)!.bridgedTo!;
    expect(fx.sim.media.matrix([waiting.uuid, agentLeg, monitor])).toEqual({ [waiting.uuid]: [agentLeg], [agentLeg]: [waiting.uuid], [monitor]: [waiting.uuid, agentLeg] });
    expect(waiting.isUp).toBe(true);

    // A click elsewhere on a tile opens the agent's dialog: force its state (after its call).
    waiting.hangup();
    await tileShows(board, '1001', '4', 2000);
    await tile(board, '1001').locator('.name').click();
    const dialog = board.locator('dialog[open][data-agent="1001"]');
    expect(await dialog.locator('[data-action=listen]').isDisabled()).toBe(true);
    await dialog.locator('select[name=status]').selectOption('6');
    await dialog.locator('[data-action=force]').click();
    await tileShows(board, '1001', '6', 1000);
    expect(fx.statusOf('1001')).toBe(6);
    await board.waitForSelector('dialog[open]', { state: 'detached' });

    // In Chinese, by the switch.
    await board.click('#language');
    await expect.poll(() => board.textContent('.panel.agents h2')).toMatch(/^座席/);
    expect(await tile(board, '1001').locator('.state').textContent()).toBe('示忙');
    expect(await board.textContent('#calls-chart figcaption')).toBe('今日每 15 分钟来电');
    await board.screenshot({ path: join(shots, 'wallboard-zh.png') });
  }, BROWSER_TEST_MS);
});

describe('the wallboard as built', () => {
  /** Gzipped budget of the wallboard's script with the chunk it shares with the agent page (the SDK is most of it), and of its style. */
  const MAX_SCRIPT_GZIP = 24 * 1024;
  const MAX_STYLE_GZIP = 3 * 1024;

  /** The page's script and every chunk it imports, gzipped. */
  function scriptGzip(dir: string, entry: string): number {
    const seen = new Set<string>();
    const visit = (file: string): number => {
      if (seen.has(file)) return 0;
      seen.add(file);
      const text = readFileSync(join(dir, 'assets', file), 'utf8');
      const imported = [...text.matchAll(/(?:from|import)\s*"\.\/([\w-]+\.js)"/g)].map((m) => m[1]!);
      return gzipSync(text, { level: 9 }).length + imported.reduce((sum, f) => sum + visit(f), 0);
    };
    return visit(entry);
  }

  it('its HTML names its own script and style by content hash; nothing fetched from elsewhere; both small', async () => {
    const dir = await pages();
    const html = readFileSync(join(dir, 'wallboard', 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((r) => r !== 'data:,');
    expect(refs.map((r) => r.replace(/-[\w-]{8}\.(js|css)$/, '-HASH.$1')).sort()).toEqual(['/assets/wallboard-HASH.css', '/assets/wallboard-HASH.js']);
    expect(html).not.toMatch(/https?:\/\//);
    for (const file of readdirSync(join(dir, 'assets')).filter((f) => !f.endsWith('.map'))) {
      // The SVG namespace of the charts names the element kind; nothing is fetched from it.
      expect(readFileSync(join(dir, 'assets', file), 'utf8'), file).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    }
    const script = refs.find((r) => r.endsWith('.js'))!.replace('/assets/', '');
    const style = refs.find((r) => r.endsWith('.css'))!;
    expect(scriptGzip(dir, script)).toBeLessThan(MAX_SCRIPT_GZIP);
    expect(gzipSync(readFileSync(join(dir, style), 'utf8'), { level: 9 }).length).toBeLessThan(MAX_STYLE_GZIP);
  });
});
