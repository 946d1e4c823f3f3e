// How a refused request is understood, on fastify itself through inject (no socket adds
// anything here): the field a schema named and what it must be, a body that is not JSON
// or too large, a content type no route takes; and the byte ranges a recording is sent in.
import Fastify, { type FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { problemOf, type RequestProblem } from '../../../src/api/request-problem.js';
import { rangeOf } from '../../../src/api/file-reply.js';

async function problem(body: string, contentType = 'application/json'): Promise<RequestProblem> {
  const app = Fastify({ bodyLimit: 64, ajv: { customOptions: { verbose: true, allErrors: true, removeAdditional: false } } });
  let seen: RequestProblem | undefined;
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    seen = problemOf(err);
    return reply.code(400).send();
  });
  app.post('/', {
    schema: {
      body: {
        type: 'object',
        properties: { queue: { type: 'string', pattern: '^[0-9]+$', description: 'a queue number' }, state: { type: 'string', description: 'on or off' }, members: { type: 'array', items: { type: 'object', properties: { level: { type: 'integer' } } } } },
        required: ['queue', 'state'],
        additionalProperties: false,
      },
    },
    handler: async () => ({}),
  });
  await app.inject({ method: 'POST', url: '/', headers: { 'content-type': contentType }, payload: body });
  await app.close();
  return seen!;
}

describe('problemOf', () => {
  it.each([
    ['{"state": "on"}', { kind: 'missing', field: 'queue', what: 'a queue number' }],
    ['{"queue": "63a", "state": "on"}', { kind: 'invalid', field: 'queue', what: 'a queue number', value: '63a', keyword: 'pattern' }],
    // A bad value explains more than the fields missing beside it.
    ['{"queue": "630member=808"}', { kind: 'invalid', field: 'queue', value: '630member=808' }],
    ['{"queue": "630", "state": "on", "members": [{"level": "x"}]}', { kind: 'invalid', field: 'members[0].level', keyword: 'type' }],
    ['{"queue": "630", "state": "on", "colour": "red"}', { kind: 'unknown-field', field: 'colour' }],
    ['[1]', { kind: 'not-an-object' }],
    ['{"queue": ', { kind: 'not-json' }],
    [JSON.stringify({ queue: '1', state: 'x'.repeat(100) }), { kind: 'too-large' }],
  ])('%s → %j', async (body, expected) => {
    expect(await problem(body)).toMatchObject(expected);
  });

  it('a content type no route takes', async () => {
    expect(await problem('queue=630', 'text/csv')).toEqual({ kind: 'media-type' });
  });
});

describe('rangeOf (RFC 9110 §14)', () => {
  it.each([
    [undefined, undefined],
    ['bytes=0-99', [0, 99]],
    ['bytes=900-', [900, 999]],
    ['bytes=-10', [990, 999]],
    ['bytes=-5000', [0, 999]],
    ['bytes=990-5000', [990, 999]],
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=50-10', undefined],
    ['bytes=0-1,5-6', undefined],
    ['items=0-1', undefined],
  ])('%s of 1000 bytes → %j', (header, expected) => {
    expect(rangeOf(header, 1000)).toEqual(expected);
  });
});
