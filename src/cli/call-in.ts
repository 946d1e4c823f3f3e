/** `polylink call-in NUMBER`: asks a running polylink's simulator to place a customer call (POST /simulator/calls). */
import { CliError, systemReason } from './cli-error.js';

export async function callIn(base: string, to: string, from: string | undefined): Promise<string> {
  let url: URL;
  try {
    url = new URL('/simulator/calls', base);
  } catch {
    throw new CliError(`polylink call-in: --url ${base} is not a URL (e.g. http://127.0.0.1:8080)`, 2);
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to, ...(from !== undefined ? { from } : {}) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    const why = systemReason(cause) ?? (err instanceof Error && err.name === 'TimeoutError' ? 'no answer within 10 s' : String((cause as Error | undefined)?.message ?? err));
    throw new CliError(`polylink call-in: cannot reach polylink at ${base} (${why}); is it running? Start it with "polylink start", or name it with --url`);
  }
  let body: Record<string, unknown>;
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    throw new CliError(`polylink call-in: ${base} answered HTTP ${res.status}, not polylink's JSON; is it polylink?`);
  }
  if (!res.ok) throw new CliError(`polylink call-in: ${String(body['error'] ?? `HTTP ${res.status}`)}`);
  return `customer ${String(body['from'])} is calling ${to} (channel ${String(body['uuid'])})`;
}
