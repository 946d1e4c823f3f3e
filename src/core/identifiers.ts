/** The shapes of the identifiers everything outside the core hands in. */

/** Agent IDs of seed 000: 101 … 999999 (the pattern admits 100; `isAgentId` does not). */
export const AGENT_ID = /^[1-9][0-9]{2,5}$/;

export function isAgentId(text: string): boolean {
  return AGENT_ID.test(text) && Number(text) >= 101;
}

/** Extensions, queue, IVR and group numbers. */
export const NUMBER_ID = /^[0-9]{1,20}$/;
