// The OpenAPI document at /openapi.json covers every route the HTTP port serves (from the
// server's own list of routes), and the page at /docs shows it with nothing fetched from
// anywhere but polylink.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ config: { api: { webKey: null, adminKey: 'admin-key-0123456789abcdef' } } });
});
afterAll(() => s?.close());

const base = () => `http://127.0.0.1:${s.server.httpPort}`;

interface OpenApi {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, { readonly tags?: string[]; readonly summary?: string; readonly responses?: object }>>;
}

/** fastify's `/a/:id/*` as OpenAPI writes it: `/a/{id}/{*}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{*}');

describe('/openapi.json', () => {
  it('has every route the port serves, each with a tag, a summary and its responses', async () => {
    const doc = (await (await fetch(`${base()}/openapi.json`)).json()) as OpenApi;
    expect(doc.openapi).toMatch(/^3\./);
    const served = s.server.httpRoutes.filter((r) => !r.hidden && r.method !== 'HEAD');
    // The families and their endpoints are all there (a regression that drops a plugin would drop these).
    expect(served.length).toBeGreaterThan(60);
    const missing = served.filter((r) => doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()] === undefined).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(op.responses, `${method} ${path}`).toBeDefined();
      }
    }
    for (const path of ['/coocenter-api/extensions/click-number', '/agentgateway/resource/calldata/{agentid}/statistics', '/admin/agents/{key}', '/admin/queues/{num}/members/{agent}', '/health', '/simulator/calls']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it('leaves out only the families’ catch-alls (404 / 405) and the page’s own files', () => {
    const documented = new Set(s.server.httpRoutes.filter((r) => !r.hidden).map((r) => r.url));
    const hidden = s.server.httpRoutes.filter((r) => r.hidden && r.method !== 'HEAD');
    for (const r of hidden) {
      // The docs page's files; a family's catch-all; or the other methods of a documented path, each answering 405.
      const why = r.url.startsWith('/docs') || r.url.endsWith('/*') || documented.has(r.url);
      expect(why, `${r.method} ${r.url} is served but not documented`).toBe(true);
    }
    expect([...new Set(hidden.map((r) => r.url).filter((u) => u.endsWith('/*') && !u.startsWith('/docs')))].sort()).toEqual(['/*', '/admin/*', '/coocenter-api/*', '/simulator/*']);
  });

  it('documents a route’s fields from its schema: the seed’s form fields, the admin API’s bearer key', async () => {
    const doc = (await (await fetch(`${base()}/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> } }>> };
    const click = doc.paths['/coocenter-api/extensions/click-number']!['post']!.requestBody!.content;
    expect(Object.keys(click).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(click['application/x-www-form-urlencoded']!.schema.required).toEqual(['src', 'dst']);
    const agent = doc.paths['/admin/agents']!['post']!.requestBody!.content['application/json']!.schema;
    expect(Object.keys(agent.properties)).toEqual(expect.arrayContaining(['id', 'name', 'password', 'role', 'group', 'exten']));
  });
});

describe('/docs', () => {
  it('is a page whose scripts and styles come from polylink itself', async () => {
    const res = await fetch(`${base()}/docs/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(2);
    for (const ref of refs) {
      expect(ref, ref).not.toMatch(/^(https?:)?\/\//);
      const asset = await fetch(new URL(ref, `${base()}/docs/`));
      expect(asset.status, ref).toBe(200);
    }
    // The page reads the document from this server too.
    const init = await (await fetch(`${base()}/docs/static/swagger-initializer.js`)).text();
    expect(init).not.toMatch(/https?:\/\/(?!stackoverflow)/);
    expect((await fetch(`${base()}/docs/json`)).status).toBe(200);
  });
});
