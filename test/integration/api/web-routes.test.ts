// Serving the built pages (src/api/web-routes.ts) over real HTTP from polylink's port: caching
// by name (hashed assets immutable, HTML revalidated), content types, the page's config,
// redirects, read-only, and no way out of web.dir.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const tempDir = tempDirs('polylink-webroot-');
let s: TestServer;
let unbuilt: TestServer;

/** A raw request: the path goes on the wire as written (fetch would normalise it). */
function request(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const root = tempDir();
  mkdirSync(join(root, 'agent'));
  mkdirSync(join(root, 'assets'));
  mkdirSync(join(root, 'sdk'));
  writeFileSync(join(root, 'agent', 'index.html'), '<!doctype html><title>agent</title>');
  writeFileSync(join(root, 'assets', 'agent-C3UFV8Ui.js'), 'console.log("agent")');
  writeFileSync(join(root, 'assets', 'agent-CKs4E-8Q.css'), 'body{}');
  writeFileSync(join(root, 'assets', '.secret'), 'no');
  writeFileSync(join(root, 'sdk', 'agent-bar.js'), 'export {}');
  const outside = tempDir();
  writeFileSync(join(outside, 'passwd'), 'root:x:0:0');
  symlinkSync(join(outside, 'passwd'), join(root, 'assets', 'link.js'));
  s = await startTestServer({
    config: {
      web: { dir: root, screenPop: { url: 'https://crm.example.com/pop?n={customer_num}', on: 'answer', target: 'tab' } },
      calls: { internalCallStates: [0, 6] },
    },
  });
  unbuilt = await startTestServer({ config: { web: { dir: join(tempDir(), 'dist', 'web'), screenPop: { url: null, on: 'ring', target: 'frame' } } } });
}, 60_000);

afterAll(async () => {
  await s?.close();
  await unbuilt?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => request(s.server.httpPort, 'GET', path, headers);

describe('the web pages on the HTTP port', () => {
  it('/ sends the browser to the agent bar page; a page folder without its slash gets it', async () => {
    expect(await get('/')).toMatchObject({ status: 302, headers: { location: '/agent/' } });
    expect(await get('/agent?x=1')).toMatchObject({ status: 301, headers: { location: '/agent/?x=1' } });
  });

  it('HTML: revalidated every time (no-cache with an ETag, 304 when unchanged), with its content security policy', async () => {
    const page = await get('/agent/');
    expect(page).toMatchObject({ status: 200, body: '<!doctype html><title>agent</title>' });
    expect(page.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    const again = await get('/agent/index.html', { 'if-none-match': page.headers.etag! });
    expect([again.status, again.body]).toEqual([304, '']);
  });

  it('hashed assets: a year, immutable; the SDK’s unhashed bundle: revalidated', async () => {
    const js = await get('/assets/agent-C3UFV8Ui.js');
    expect(js.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable', 'content-length': '20' });
    expect((await get('/assets/agent-CKs4E-8Q.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/sdk/agent-bar.js')).headers['cache-control']).toBe('no-cache');
    const head = await request(s.server.httpPort, 'HEAD', '/assets/agent-C3UFV8Ui.js');
    expect([head.status, head.headers['content-length'], head.body]).toEqual([200, '20', '']);
  });

  it('the agent page’s settings from polylink’s config', async () => {
    const config = await get('/agent/config.json');
    expect(config.headers['cache-control']).toBe('no-cache');
    expect(JSON.parse(config.body)).toEqual({
      screenPop: { url: 'https://crm.example.com/pop?n={customer_num}', on: 'answer', target: 'tab' },
      internalCallStates: [0, 6],
      leaveRequiresApproval: false,
    });
  });

  it('is read-only', async () => {
    for (const path of ['/agent/', '/assets/agent-C3UFV8Ui.js', '/agent/config.json', '/']) {
      const answer = await request(s.server.httpPort, 'POST', path);
      expect([answer.status, answer.headers.allow], path).toEqual([405, 'GET, HEAD']);
    }
  });

  it.each([
    ['an encoded slash climbing out', '/assets/..%2f..%2f..%2fetc%2fpasswd', 400],
    ['an encoded backslash', '/assets/..%5c..%5cpasswd', 400],
    ['a dot file', '/assets/.secret', 400],
    ['a NUL byte', '/assets/agent-C3UFV8Ui.js%00.png', 400],
    ['bad percent-encoding', '/assets/%E0%A4%A', 400],
    ['dot segments (resolved inside the site, to nothing)', '/agent/../../../../etc/passwd', 404],
    ['encoded dot segments', '/%2e%2e/%2e%2e/etc/passwd', 404],
    ['a symbolic link to a file outside', '/assets/link.js', 404],
    ['a file that is not there', '/assets/agent-00000000.js', 404],
  ])('refuses %s', async (_what, path, status) => {
    const answer = await get(path);
    expect(answer.status).toBe(status);
    expect(answer.body).not.toContain('root:x');
  });

  it('leaves the other routes alone', async () => {
    expect((await get('/health')).status).toBe(200);
    expect((await get('/agentgateway/resource/calldata/1001/statistics')).status).toBe(401);
  });

  it('says so when the pages are not built', async () => {
    const page = await request(unbuilt.server.httpPort, 'GET', '/agent/');
    expect(page.status).toBe(404);
    expect(JSON.parse(page.body).error).toMatch(/^the web pages are not built: run npm run build \(web\.dir is .*dist\/web\)$/);
    expect((await request(unbuilt.server.httpPort, 'GET', '/')).status).toBe(302);
  });
});
