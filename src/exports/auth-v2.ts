/**
 * The `Authorization: auth-v2/{ak}/{timestamp}/{signedHeaders}/{signature}` scheme of
 * seed 004 (the CC-FS interfaces' AK/SK signature): an app key (ak) and its secret key
 * (sk), a UTC timestamp `yyyy-MM-ddTHH:mm:ssZ`, the names of the headers signed
 * (lowercase, `;` between them), and the signature:
 *
 *   signingKey = hex(HMAC-SHA256(sk, "auth-v2/{ak}/{timestamp}/{signedHeaders}"))
 *   canonical  = METHOD \n path \n query \n headers \n body
 *   signature  = hex(HMAC-SHA256(signingKey, canonical))
 *
 * path: the URI path, each segment percent-encoded (RFC 3986: A-Z a-z 0-9 - . _ ~ kept),
 * `/` kept; query: `name=value` pairs encoded alike, sorted, joined by `&`; headers: one
 * `name:value` line per signed header in the order of signedHeaders (value trimmed and
 * encoded alike); body: as sent. docs/api.md has a worked example.
 * Used both ways: polylink checks the requests of apps, and signs its callbacks to them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AppKey {
  readonly ak: string;
  readonly sk: string;
  /** The tenant this app may read. */
  readonly accountId: string;
}

export interface SignedRequest {
  readonly method: string;
  /** The path with its query, as in the request line. */
  readonly url: string;
  /** Header values by lowercase name. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export type AuthFailure = { readonly ok: false; readonly reason: string };
export type AuthResult = { readonly ok: true; readonly app: AppKey } | AuthFailure;

/** RFC 3986's unreserved characters stay; everything else is %XX (upper case). */
export function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalRequest(req: SignedRequest, signedHeaders: readonly string[]): string {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  const canonicalPath = path.split('/').map((s) => encode(decodeURIComponentSafe(s))).join('/') || '/';
  const canonicalQuery = query === ''
    ? ''
    : query
        .split('&')
        .filter((p) => p !== '')
        .map((p) => {
          const eq = p.indexOf('=');
          const name = decodeURIComponentSafe(eq < 0 ? p : p.slice(0, eq));
          const value = eq < 0 ? '' : decodeURIComponentSafe(p.slice(eq + 1));
          return `${encode(name)}=${encode(value)}`;
        })
        .sort()
        .join('&');
  const headers = signedHeaders.map((name) => `${name}:${encode(headerValue(req.headers[name]).trim())}`).join('\n');
  return `${req.method.toUpperCase()}\n${canonicalPath}\n${canonicalQuery}\n${headers}\n${req.body}`;
}

export function signature(app: Pick<AppKey, 'ak' | 'sk'>, timestamp: string, signedHeaders: readonly string[], req: SignedRequest): string {
  const prefix = `auth-v2/${app.ak}/${timestamp}/${signedHeaders.join(';')}`;
  const signingKey = createHmac('sha256', app.sk).update(prefix, 'utf8').digest('hex');
  return createHmac('sha256', signingKey).update(canonicalRequest(req, signedHeaders), 'utf8').digest('hex');
}

/** `2018-07-02T02:42:49Z` of an instant. */
export function authTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The Authorization value for a request (polylink's callbacks; tests and the docs' example). */
export function authorize(app: Pick<AppKey, 'ak' | 'sk'>, req: SignedRequest, now: number, signedHeaders: readonly string[] = ['content-length', 'content-type', 'host']): string {
  const timestamp = authTimestamp(now);
  return `auth-v2/${app.ak}/${timestamp}/${signedHeaders.join(';')}/${signature(app, timestamp, signedHeaders, req)}`;
}

export interface VerifierOptions {
  readonly apps: readonly AppKey[];
  /** How far a request's timestamp may be from now, either way. */
  readonly maxSkewMs: number;
}

/**
 * Checks requests: a known app, a timestamp within the window, `host` among the signed
 * headers, the right signature, and a signature not seen before within the window (a
 * request replayed as it was is refused).
 */
export class AuthV2Verifier {
  private readonly apps: ReadonlyMap<string, AppKey>;
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: VerifierOptions) {
    this.apps = new Map(options.apps.map((a) => [a.ak, a]));
  }

  verify(req: SignedRequest, now: number): AuthResult {
    const value = headerValue(req.headers['authorization']);
    if (value === '') return fail('no Authorization header');
    const parts = value.split('/').map((p) => p.trim());
    if (parts.length !== 5 || parts[0] !== 'auth-v2') return fail('Authorization is not auth-v2/{ak}/{timestamp}/{signed headers}/{signature}');
    const [, ak, timestamp, signed, given] = parts as [string, string, string, string, string];
    const app = this.apps.get(ak);
    if (app === undefined) return fail(`unknown app key ${JSON.stringify(ak.slice(0, 64))}`);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(timestamp) || Number.isNaN(Date.parse(timestamp))) return fail('the timestamp is not yyyy-MM-ddTHH:mm:ssZ');
    if (Math.abs(now - Date.parse(timestamp)) > this.options.maxSkewMs) return fail(`the timestamp is more than ${Math.round(this.options.maxSkewMs / 1000)} s away from the server's time`);
    const signedHeaders = signed.split(';').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
    if (!signedHeaders.includes('host')) return fail('the host header must be signed');
    for (const h of signedHeaders) if (req.headers[h] === undefined) return fail(`the signed header ${h} is not in the request`);
    const expected = signature(app, timestamp, signedHeaders, req);
    if (!/^[0-9a-f]{64}$/.test(given) || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return fail('the signature does not match');
    this.forgetOld(now);
    if (this.seen.has(given)) return fail('this request was already received (replay)');
    this.seen.set(given, Date.parse(timestamp) + this.options.maxSkewMs);
    return { ok: true, app };
  }

  appOf(ak: string): AppKey | undefined {
    return this.apps.get(ak);
  }

  private forgetOld(now: number): void {
    for (const [sig, until] of this.seen) if (until < now) this.seen.delete(sig);
  }
}

function fail(reason: string): AuthFailure {
  return { ok: false, reason };
}

function headerValue(v: string | string[] | undefined): string {
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
