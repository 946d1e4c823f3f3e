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

/** The handler of a route whose onRequest hook always answers (a family's catch-all 404/405). */
export async function unreachable(): Promise<never> {
  throw new Error('the route’s onRequest hook answers every request');
}
