// The browser bundle `npm run build` writes (web/sdk/vite.config.ts), built here into a
// temporary folder: it needs nothing at run time (no import, no Node), the classic script
// defines PolylinkAgentBar, and it stays small.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/helpers/temp-dirs.js';
import { sdkBuild } from '../vite.config.js';

/** Gzipped size budget of each bundle: the SDK is loaded by every agent's page. */
const MAX_GZIP_BYTES = 16 * 1024;

const tempDir = tempDirs('polylink-sdk-bundle-');
let dir: string;
beforeAll(async () => {
  dir = tempDir();
  await build(sdkBuild(dir));
}, 60_000);

describe('the SDK bundle', () => {
  it('as an ES module: no imports, and it works as built (here in Node, with a WebSocket handed in)', async () => {
    const code = readFileSync(join(dir, 'agent-bar.js'), 'utf8');
    expect(code).not.toMatch(/(^|[;}\s])import\s*[{*\w]+[^"'`]*from\s*["'`]/);
    expect(code).not.toMatch(/\brequire\(/);
    const sdk = (await import(pathToFileURL(join(dir, 'agent-bar.js')).href)) as typeof import('../src/index.js');
    class Refusing {
      readyState = 0;
      protocol = '';
      onopen = null;
      onmessage = null;
      onerror = null;
      onclose: ((e: { code: number; reason: string }) => void) | null = null;
      constructor(readonly url: string) {
        setImmediate(() => this.onclose?.({ code: 1006, reason: '' }));
      }
      send(): void {}
      close(): void {}
    }
    const bar = new sdk.AgentBar({ WebSocket: Refusing, url: 'ws://127.0.0.1:9/agent' });
    await expect(bar.DoConnect()).rejects.toMatchObject({ name: 'AgentBarError', retCode: sdk.ErrorCode.CLIENT_NETWORK_ERROR, reasonZh: '网络异常错误!' });
    expect(sdk.AgentState.AGENT_STATUS_TALKING_CUSTOMER).toBe(6);
  });

  it('as a classic script: defines PolylinkAgentBar with nothing of Node around', () => {
    const code = readFileSync(join(dir, 'agent-bar.iife.js'), 'utf8');
    // What a browser page has that the SDK uses: no require, no process, no Buffer.
    const page = vm.createContext({ Intl, setTimeout, clearTimeout, queueMicrotask, Date, Math, JSON });
    vm.runInContext(code, page);
    const sdk = page['PolylinkAgentBar'] as typeof import('../src/index.js');
    expect(typeof sdk.AgentBar).toBe('function');
    // No WebSocket on this "page": the client says what to do.
    expect(() => new sdk.AgentBar()).toThrow(/No WebSocket here/);
    expect(new sdk.AgentBarError(-53).reasonZh).toBe('登陆密码错误');
  });

  it(`each bundle is under ${MAX_GZIP_BYTES / 1024} KB gzipped`, () => {
    for (const file of ['agent-bar.js', 'agent-bar.iife.js']) {
      const bytes = readFileSync(join(dir, file));
      expect(gzipSync(bytes, { level: 9 }).length, file).toBeLessThan(MAX_GZIP_BYTES);
    }
  });
});
