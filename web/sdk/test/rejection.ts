/** The AgentBarError a promise rejects with (the test fails if it resolves or rejects with anything else). */
import { expect } from 'vitest';
import { AgentBarError } from '../src/errors.js';

export async function rejection(p: Promise<unknown>): Promise<AgentBarError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgentBarError);
  return err as AgentBarError;
}
