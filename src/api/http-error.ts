import type { FastifyInstance } from 'fastify';

/** A request refused with an HTTP status and a reason; each API family's error handler shapes the answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Headers the answer carries (Allow on a 405). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** fastify's name for it: an error reaching the server's own handler keeps its status. */
  get statusCode(): number {
    return this.status;
  }
}

/**
 * An API family's catch-all: any other path or method under it is refused — 404 when no
 * route has the path, else 405 naming the methods it takes — before the body is read, so
 * a body the route would refuse does not hide that there is no such route. The family
 * words the refusal (`refuse`) its own way.
 */
export function registerCatchAll(
  app: FastifyInstance,
  methodsOf: (path: string) => readonly string[],
  refuse: (status: 404 | 405, message: string, allow?: string) => Error,
): void {
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '/*',
    schema: { hide: true },
    onRequest: async (request) => {
      const path = (request.raw.url ?? '').split('?')[0]!;
      const allowed = methodsOf(path);
      if (allowed.length === 0) throw refuse(404, `no endpoint ${path}`);
      throw refuse(405, `${path} takes ${allowed.join(', ')}, not ${request.method}`, allowed.join(', '));
    },
    handler: unreachable,
  });
}

/** The handler of a route whose onRequest hook always answers (a catch-all 404/405). */
export async function unreachable(): Promise<never> {
  throw new Error('the route’s onRequest hook answers every request');
}
