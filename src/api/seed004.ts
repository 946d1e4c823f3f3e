/**
 * Seed 004 (fastify plugin `seed004`): POST /CCFS/resource/ccfs/queryAgentOprInfoData asks
 * for an agent operation details export and is answered at once (resultCode "0",
 * resultData.responseId); the zip is built in the background and its name POSTed to the
 * callBackURL. The file is fetched with GET (or the CC-FS's POST) on
 * /CCFS/resource/ccfs/downloadAgentOprInfoFile by the app that asked.
 *
 * Every request carries `Authorization: auth-v2/…` (src/exports/auth-v2.ts), checked
 * over the raw body: 401 when missing, wrong, outside the time window or replayed. An
 * app reads only its own tenant (accountId). A bad field is answered 200 with the seed's
 * result code, as the CC-FS does; errors have this family's shape `{ resultCode, resultDesc }`.
 */
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/swagger';
import type { AppKey, AuthResult, SignedRequest } from '../exports/auth-v2.js';
import { checkExportRequest, isResultError } from '../exports/export-request.js';
import type { ExportJobs } from '../exports/export-jobs.js';
import { ResultCode } from '../exports/result-codes.js';

export interface Seed004Options {
  readonly exports: Pick<ExportJobs, 'submit' | 'fileFor' | 'backlog'>;
  readonly auth: { verify(req: SignedRequest, now: number): AuthResult };
  /** `yyyy-MM-dd HH:mm:ss` in the tenant's (configured) time zone → ms; undefined when it is no such time. */
  readonly parseLocalTime: (text: string) => number | undefined;
  readonly maxPeriodDays: number;
  /** Exports waiting or being built at most: beyond, 0300009 (the query flow control threshold). */
  readonly maxBacklog: number;
  readonly now: () => number;
}

export const QUERY_PATH = '/CCFS/resource/ccfs/queryAgentOprInfoData';
export const DOWNLOAD_PATH = '/CCFS/resource/ccfs/downloadAgentOprInfoFile';

const TAGS = ['seed004'];
const RESULT = {
  type: 'object',
  properties: {
    resultCode: { type: 'string' },
    resultDesc: { type: 'string' },
    resultData: { type: 'object', properties: { responseId: { type: 'string' } } },
  },
  required: ['resultCode', 'resultDesc'],
} as const;
const QUERY_BODY = {
  type: 'object',
  properties: {
    request: { type: 'object', properties: { version: { type: 'string' } } },
    msgBody: {
      type: 'object',
      properties: {
        beginTime: { type: 'string', description: 'yyyy-MM-dd HH:mm:ss' },
        endTime: { type: 'string', description: 'yyyy-MM-dd HH:mm:ss' },
        accountId: { type: 'string' },
        agentId: { type: 'string' },
        callBackURL: { type: 'string' },
      },
    },
  },
} as const;
const FILE_NAME = /^\d{8}_[0-9a-f]{32}\.zip$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received: what auth-v2 signs. */
    seed004RawBody?: string;
    seed004App?: AppKey;
  }
}

function result(reply: FastifyReply, status: number, resultCode: string, resultDesc: string) {
  return reply.code(status).send({ resultCode, resultDesc });
}

export const seed004: FastifyPluginAsync<Seed004Options> = async (app, o) => {
  // auth-v2 signs the body as sent: keep it as text beside the parsed JSON.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (req, body, done) => {
    req.seed004RawBody = body as string;
    if (body === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const err = new Error('The params of requestBody is null.') as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  app.setErrorHandler((err, _req, reply) => {
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return result(reply, status, ResultCode.NO_BODY, (err as Error).message);
    app.log.error({ err }, 'seed 004 request failed');
    return result(reply, 500, '0300999', 'internal error');
  });
  // Authentication first, over the raw body: nothing is looked at for a caller not known.
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const checked = o.auth.verify({ method: req.method, url: req.url, headers: req.headers, body: req.seed004RawBody ?? '' }, o.now());
    if (!checked.ok) {
      req.log.warn({ reason: checked.reason, url: req.url }, 'seed 004 request refused: authentication');
      return result(reply, 401, ResultCode.UNAUTHORIZED, `authentication failed: ${checked.reason}`);
    }
    req.seed004App = checked.app;
  });

  app.post(QUERY_PATH, {
    schema: { tags: TAGS, summary: 'Ask for the agent operation details of a period (answered at once; the file’s name is POSTed to callBackURL)', body: QUERY_BODY, response: { 200: RESULT, 401: RESULT, 403: RESULT } },
    attachValidation: true,
  }, async (req, reply) => {
    const appKey = req.seed004App!;
    const checked = checkExportRequest(req.body, o.parseLocalTime, o.maxPeriodDays);
    if (isResultError(checked)) return result(reply, 200, checked.resultCode, checked.resultDesc);
    if (checked.accountId !== null && checked.accountId !== appKey.accountId) {
      return result(reply, 403, ResultCode.FOREIGN_ACCOUNT, `The accountId ${checked.accountId} is not this app's.`);
    }
    if (o.exports.backlog >= o.maxBacklog) return result(reply, 200, ResultCode.BUSY, 'Reached the query flow control threshold.');
    const { responseId } = o.exports.submit(appKey, checked);
    return reply.code(200).send({ resultData: { responseId }, resultCode: ResultCode.OK, resultDesc: 'success' });
  });

  const download = (appKey: AppKey, name: unknown, reply: FastifyReply) => {
    if (typeof name !== 'string' || name === '') return result(reply, 200, ResultCode.NULL, 'The value of agentOprInfoFileName cannot be null.');
    if (!FILE_NAME.test(name)) return result(reply, 200, ResultCode.FORMAT, 'The format of agentOprInfoFileName is incorrect.');
    const file = o.exports.fileFor(appKey.ak, name);
    if (file === undefined) return result(reply, 404, ResultCode.NO_FILE, `No file ${name} for this app (not built yet, or removed after its retention).`);
    reply.header('Content-Type', 'application/octet-stream');
    reply.header('Content-Disposition', `attachment; filename="${name}"`);
    return reply.code(200).send(createReadStream(file.path));
  };

  app.get<{ Querystring: { agentOprInfoFileName?: string } }>(DOWNLOAD_PATH, {
    schema: { tags: TAGS, summary: 'The zip file of an export, for the app that asked for it', querystring: { type: 'object', properties: { agentOprInfoFileName: { type: 'string' } } } },
  }, async (req, reply) => download(req.seed004App!, req.query.agentOprInfoFileName, reply));

  app.post<{ Body: { msgBody?: { agentOprInfoFileName?: unknown } } | undefined }>(DOWNLOAD_PATH, {
    schema: { tags: TAGS, summary: 'The zip file of an export (the CC-FS’s form: {"request":{"version":"2.0"},"msgBody":{"agentOprInfoFileName":…}})' },
  }, async (req, reply) => download(req.seed004App!, req.body?.msgBody?.agentOprInfoFileName, reply));
};
