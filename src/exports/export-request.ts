/**
 * The body of queryAgentOprInfoData (seed 004), checked field by field in the seed's
 * order: request.version "2.0"; msgBody.beginTime and endTime `yyyy-MM-dd HH:mm:ss` in the
 * configured time zone, endTime after beginTime, at most maxPeriodDays apart; accountId
 * and agentId optional, at most 20 characters; callBackURL required, an http(s) URL.
 */
import { ResultCode, type ResultError } from './result-codes.js';

export interface ExportRequest {
  readonly beginAt: number;
  readonly endAt: number;
  readonly accountId: string | null;
  readonly agentId: string | null;
  readonly callbackUrl: string;
}

export type LocalTimeParser = (text: string) => number | undefined;

export function checkExportRequest(body: unknown, parseTime: LocalTimeParser, maxPeriodDays: number): ExportRequest | ResultError {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return refuse(ResultCode.NO_BODY, 'The params of requestBody is null.');
  const b = body as Record<string, unknown>;
  const request = b['request'];
  const msgBody = b['msgBody'];
  if (request === undefined || request === null || msgBody === undefined || msgBody === null) return refuse(ResultCode.NO_BODY, 'The params of requestBody is null.');
  if (typeof request !== 'object' || typeof msgBody !== 'object' || Array.isArray(msgBody)) return refuse(ResultCode.NO_BODY, 'The params of requestBody is null.');
  const version = checkString((request as Record<string, unknown>)['version'], 'version', 32, true);
  if (typeof version !== 'string') return version;
  if (version !== '2.0') return refuse(ResultCode.VERSION, 'The value of version is error, current version is 2.0 .');
  const m = msgBody as Record<string, unknown>;
  const times: number[] = [];
  for (const name of ['beginTime', 'endTime'] as const) {
    const text = checkString(m[name], name, 19, true);
    if (typeof text !== 'string') return text;
    const at = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? parseTime(text) : undefined;
    if (at === undefined) return refuse(ResultCode.FORMAT, `The format of ${name} is incorrect.`);
    times.push(at);
  }
  const [beginAt, endAt] = times as [number, number];
  if (endAt <= beginAt) return refuse(ResultCode.PERIOD_REVERSED, 'The endTime must be later than the beginTime.');
  if (endAt - beginAt > maxPeriodDays * 86_400_000) return refuse(ResultCode.PERIOD_TOO_LONG, `The interval between the beginTime and the endTime cannot exceed ${maxPeriodDays} days.`);
  const optional: Record<string, string | null> = {};
  for (const name of ['accountId', 'agentId'] as const) {
    const v = m[name];
    if (v === undefined || v === null || v === '') {
      optional[name] = null;
      continue;
    }
    const text = checkString(v, name, 20, false);
    if (typeof text !== 'string') return text;
    if (!/^[0-9A-Za-z_-]+$/.test(text)) return refuse(ResultCode.FORMAT, `The format of ${name} is incorrect.`);
    optional[name] = text;
  }
  const url = checkString(m['callBackURL'], 'callBackURL', 1024, true);
  if (typeof url !== 'string') return url;
  if (!isHttpUrl(url)) return refuse(ResultCode.FORMAT, 'The format of callBackURL is incorrect.');
  return { beginAt, endAt, accountId: optional['accountId'] ?? null, agentId: optional['agentId'] ?? null, callbackUrl: url };
}

function checkString(v: unknown, name: string, max: number, required: boolean): string | ResultError {
  if (v === undefined || v === null) return required ? refuse(ResultCode.NULL, `The value of ${name} cannot be null.`) : '';
  if (typeof v !== 'string') return refuse(ResultCode.FORMAT, `The format of ${name} is incorrect.`);
  if (v === '' && required) return refuse(ResultCode.EMPTY, `The value of ${name} cannot be an empty string.`);
  if (v.length > max) return refuse(ResultCode.TOO_LONG, `The length of ${name} is too long.`);
  return v;
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

function refuse(resultCode: string, resultDesc: string): ResultError {
  return { resultCode, resultDesc };
}

export function isResultError(v: ExportRequest | ResultError): v is ResultError {
  return 'resultCode' in v;
}
