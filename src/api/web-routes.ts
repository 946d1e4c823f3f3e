/**
 * The web pages on the HTTP port: the files `npm run build` writes to `web.dir` (web/vite.config.ts),
 * `/` sending the browser to the agent bar page, and `/<page>/config.json` giving a page its
 * settings from polylink's config. Read-only (GET, HEAD). Vite's output under /assets/ has the
 * content hash in its names, so it is cached for a year as immutable; HTML and the SDK's
 * unhashed files are revalidated (no-cache, ETag). A path is decoded segment by segment and
 * `..`, dot files, encoded slashes and anything that resolves outside the folder are refused.
 * Documented in docs/api.md ("Web pages").
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type http from 'node:http';
import type { Config } from '../config/config-schema.js';
import type { RouteHandler } from '../transport/http-server.js';
import { sendJson } from './http-json.js';

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

export function agentPageConfig(config: Config): AgentPageConfig {
  return { screenPop: config.web.screenPop, internalCallStates: config.calls.internalCallStates, leaveRequiresApproval: config.leave.requireApproval };
}

export function webRoutes(config: Config): RouteHandler {
  const root = resolve(config.web.dir);
  const pageConfigs = new Map<string, unknown>([['/agent/config.json', agentPageConfig(config)]]);
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const readOnly = method === 'GET' || method === 'HEAD';
    const pageConfig = pageConfigs.get(url.pathname);
    if (pageConfig !== undefined) {
      if (!readOnly) return refuseMethod(res);
      sendJson(res, 200, pageConfig, { 'cache-control': 'no-cache' });
      return true;
    }
    if (url.pathname === '/') {
      if (!readOnly) return refuseMethod(res);
      res.writeHead(302, { location: HOME_PAGE, 'cache-control': 'no-cache' }).end();
      return true;
    }
    const segments = decodeSegments(url.pathname);
    if (segments === undefined) {
      sendJson(res, 400, { error: 'path not allowed: no "..", dot files, encoded slashes or control characters' });
      return true;
    }
    const file = await fileFor(root, segments, url.pathname.endsWith('/'));
    if (file === undefined) {
      if (url.pathname === HOME_PAGE && readOnly) {
        sendJson(res, 404, { error: `the web pages are not built: run npm run build (web.dir is ${root})` });
        return true;
      }
      return false;
    }
    if (!readOnly) return refuseMethod(res);
    if (file.directory) {
      // A page's own relative links need the trailing slash.
      res.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
      return true;
    }
    serveFile(req, res, file.path, file.size, file.mtimeMs, url.pathname.startsWith('/assets/'));
    return true;
  };
}

function refuseMethod(res: http.ServerResponse): true {
  sendJson(res, 405, { error: 'the web pages are read-only: GET or HEAD' }, { allow: 'GET, HEAD' });
  return true;
}

/** The path's segments, decoded; undefined when one of them could lead anywhere but down the folder. */
function decodeSegments(pathname: string): string[] | undefined {
  const out: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment.startsWith('.') || /[/\\\x00-\x1f\x7f]/.test(segment)) return undefined;
    out.push(segment);
  }
  return out;
}

type Found = { path: string; directory: false; size: number; mtimeMs: number } | { directory: true };

async function fileFor(root: string, segments: readonly string[], wantsIndex: boolean): Promise<Found | undefined> {
  let path = join(root, ...segments);
  try {
    let info = await stat(path);
    if (info.isDirectory()) {
      const index = join(path, 'index.html');
      const indexInfo = await stat(index);
      if (!indexInfo.isFile()) return undefined;
      if (!wantsIndex) return { directory: true };
      path = index;
      info = indexInfo;
    }
    if (!info.isFile()) return undefined;
    // A symbolic link inside the folder must not lead out of it.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)]);
    if (!realFile.startsWith(realRoot + sep)) return undefined;
    return { path, directory: false, size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return undefined;
  }
}

function serveFile(req: http.IncomingMessage, res: http.ServerResponse, path: string, size: number, mtimeMs: number, hashed: boolean): void {
  const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const etag = `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  const headers: http.OutgoingHttpHeaders = {
    'content-type': type,
    'cache-control': hashed ? IMMUTABLE : 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
    ...(type.startsWith('text/html') ? { 'content-security-policy': PAGE_POLICY } : {}),
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
