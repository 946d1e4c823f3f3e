/**
 * The admin API's authentication: `Authorization: Bearer <api.adminKey>`. Without a key
 * configured the admin API is off and answers 404, as if it were not there; a missing or
 * wrong key is 401 with a reason. The key is compared in constant time (as digests, so
 * its length tells nothing either). Any plugin with admin routes mounts this hook, as
 * `onRequest` (so a stranger learns nothing of what its requests should look like) or as
 * `preHandler`; it answers in the admin API's shape itself, whatever family mounts it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type AdminAuthenticate = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

export function adminAuthentication(adminKey: string | null): AdminAuthenticate {
  const expected = adminKey === null ? undefined : digest(adminKey);
  return async (request, reply) => {
    if (expected === undefined) return reply.code(404).send({ error: 'not-found', message: 'the admin API is off: set api.adminKey to turn it on' });
    const header = request.headers.authorization;
    const m = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (m === null) return refuse(reply, header === undefined ? 'Authorization header missing: send Authorization: Bearer <api.adminKey>' : 'Authorization must be Bearer <api.adminKey>');
    if (!timingSafeEqual(digest(m[1]!), expected)) return refuse(reply, 'the bearer token is not api.adminKey');
    return undefined;
  };
}

function refuse(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer realm="polylink admin"').send({ error: 'unauthorized', message });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
