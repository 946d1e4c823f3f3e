/**
 * The web pages on the HTTP port: the files `npm run build` writes to `web.dir` (web/vite.config.ts),
 * `/` sending the browser to the agent bar page, and `/<page>/config.json` giving a page its
 * settings from polylink's config. Read-only (GET, HEAD). Vite's output under /assets/ has the
 * content hash in its names, so it is cached for a year as immutable; HTML and the SDK's
 * unhashed files are revalidated (no-cache, ETag). A path is decoded segment by segment and
 * `..`, dot files, encoded slashes and anything that resolves outside the folder are refused.
 * Documented in docs/api.md ("Web pages").
 */
import { extname, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config/config-schema.js';
import { sendFile } from './file-reply.js';
import { HttpError, unreachable } from './http-error.js';
import { decodeSegments, fileUnder, type Found } from './safe-path.js';

/** The page `/` leads to. */
export const HOME_PAGE = '/agent/';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * The pages talk to this server only (the WebSocket /agent, the statistics); the screen pop's
 * frame shows the CRM the operator configured, wherever it is.
 */
const PAGE_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-src http: https:; object-src 'none'; base-uri 'none'";

/** What the agent bar page reads from /agent/config.json. */
export interface AgentPageConfig {
  readonly screenPop: Config['web']['screenPop'];
  /** States in which an internal call may be made (calls.internalCallStates): the page enables the button by them. */
  readonly internalCallStates: readonly number[];
  /** leave.requireApproval: LEAVE only through an application. */
  readonly leaveRequiresApproval: boolean;
}

const TAGS = ['web pages'];

const AGENT_PAGE_CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    screenPop: {
      type: 'object',
      properties: { url: { type: ['string', 'null'] }, on: { type: 'string', enum: ['ring', 'answer'] }, target: { type: 'string', enum: ['frame', 'tab'] } },
    },
    internalCallStates: { type: 'array', items: { type: 'integer' } },
    leaveRequiresApproval: { type: 'boolean' },
  },
} as const;

export function agentPageConfig(config: Config): AgentPageConfig {
  return { screenPop: config.web.screenPop, internalCallStates: config.calls.internalCallStates, leaveRequiresApproval: config.leave.requireApproval };
}

export const webPlugin: FastifyPluginAsync<{ readonly config: Config }> = async (app, { config }) => {
  const root = resolve(config.web.dir);
  const pageConfigs = new Map<string, unknown>([['/agent/config.json', agentPageConfig(config)]]);
  const fileSchema = { tags: TAGS, summary: 'A file of the built pages (web.dir): HTML, scripts, styles, the SDK', produces: ['text/html', 'text/javascript', 'text/css'] };

  app.get('/', { schema: { tags: TAGS, summary: `Sends the browser to the agent bar page (${HOME_PAGE})`, response: { 302: { type: 'null', description: `redirect to ${HOME_PAGE}` } } } }, async (_request, reply) =>
    reply.code(302).headers({ location: HOME_PAGE, 'cache-control': 'no-cache' }).send(),
  );

  for (const [path, pageConfig] of pageConfigs) {
    app.get(path, { schema: { tags: TAGS, summary: "The agent bar page's settings, from polylink's config", response: { 200: AGENT_PAGE_CONFIG_SCHEMA } } }, async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return pageConfig;
    });
  }

  app.get('/*', { schema: { ...fileSchema, params: { type: 'object', properties: { '*': { type: 'string', description: 'the file under web.dir' } } } } }, async (request, reply) => {
    const url = new URL(request.raw.url ?? '/', 'http://localhost');
    const found = await pageFile(root, url.pathname);
    if (found === 'refused') throw new HttpError(400, 'path not allowed: no "..", dot files, encoded slashes or control characters');
    if (found === undefined) {
      if (url.pathname === HOME_PAGE) throw new HttpError(404, `the web pages are not built: run npm run build (web.dir is ${root})`);
      return reply.callNotFound();
    }
    // A page's own relative links need the trailing slash.
    if (found.directory) return reply.code(301).header('location', `${url.pathname}/${url.search}`).send();
    const type = CONTENT_TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream';
    return sendFile(request, reply, { ...found, type }, {
      cacheControl: url.pathname.startsWith('/assets/') ? IMMUTABLE : 'no-cache',
      ranges: false,
      ...(type.startsWith('text/html') ? { headers: { 'content-security-policy': PAGE_POLICY } } : {}),
    });
  });

  // The pages are read-only: another method on one of them is told so; on anything else it finds nothing.
  app.route({
    method: ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '/*',
    schema: { hide: true },
    onRequest: async (request) => {
      const path = new URL(request.raw.url ?? '/', 'http://localhost').pathname;
      const isPage = path === '/' || pageConfigs.has(path) || (await pageFile(root, path)) !== undefined;
      if (!isPage) throw new HttpError(404, 'not found');
      throw new HttpError(405, 'the web pages are read-only: GET or HEAD', { allow: 'GET, HEAD' });
    },
    handler: unreachable,
  });
};

/** The file (or page folder) a path names under the web root; 'refused' when the path tries to leave it. */
async function pageFile(root: string, pathname: string): Promise<Found | 'refused' | undefined> {
  const segments = decodeSegments(pathname);
  if (segments === undefined) return 'refused';
  return fileUnder(root, segments, pathname.endsWith('/'));
}
