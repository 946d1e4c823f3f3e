/** Real HTTP requests to a test server's HTTP port, answered as status, headers and parsed JSON. */

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

export class HttpApi {
  constructor(
    readonly base: string,
    /** Headers every request carries (e.g. Authorization). */
    readonly headers: Record<string, string> = {},
  ) {}

  static on(httpPort: number, headers: Record<string, string> = {}): HttpApi {
    return new HttpApi(`http://127.0.0.1:${httpPort}`, headers);
  }

  with(headers: Record<string, string>): HttpApi {
    return new HttpApi(this.base, { ...this.headers, ...headers });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.send('GET', path, undefined, headers);
  }

  /** A form body (application/x-www-form-urlencoded), as the seed's curl examples send. */
  form(method: string, path: string, fields: Record<string, string>): Promise<HttpAnswer> {
    return this.send(method, path, new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }

  json(method: string, path: string, body: unknown): Promise<HttpAnswer> {
    return this.send(method, path, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  async send(method: string, path: string, body: string | undefined, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const res = await fetch(this.base + path, { method, headers: { ...this.headers, ...headers }, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }
}
