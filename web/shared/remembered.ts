/**
 * What the sign-in form remembers between visits (localStorage, each page under its own
 * key): the agent, its extension, the state to sign in with, and the deployment's custom
 * states learnt at the last sign-in (the protocol tells them only to a signed-in agent).
 * Never the password.
 */

export interface Remembered {
  readonly agentId: string;
  readonly exten: string;
  readonly initStatus: string;
  readonly customStates: readonly { readonly status: string; readonly name: string }[];
}

export const NOTHING_REMEMBERED: Remembered = { agentId: '', exten: '', initStatus: '0', customStates: [] };

const text = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

/** Reads what was stored; anything unreadable (another version, a hand edit) is forgotten, not an error. */
export function readRemembered(stored: string | null): Remembered {
  if (stored === null) return NOTHING_REMEMBERED;
  let v: unknown;
  try {
    v = JSON.parse(stored);
  } catch {
    return NOTHING_REMEMBERED;
  }
  if (v === null || typeof v !== 'object') return NOTHING_REMEMBERED;
  const o = v as Record<string, unknown>;
  const states = Array.isArray(o['customStates']) ? o['customStates'] : [];
  return {
    agentId: text(o['agentId'], ''),
    exten: text(o['exten'], ''),
    initStatus: /^\d{1,3}$/.test(text(o['initStatus'], '')) ? (o['initStatus'] as string) : '0',
    customStates: states.flatMap((s: unknown) => {
      const st = s as Record<string, unknown> | null;
      return st !== null && typeof st === 'object' && typeof st['status'] === 'string' && typeof st['name'] === 'string' ? [{ status: st['status'], name: st['name'] }] : [];
    }),
  };
}

/** The text to store: only the fields of Remembered, whatever else the object carries. */
export function writeRemembered(r: Remembered): string {
  return JSON.stringify({ agentId: r.agentId, exten: r.exten, initStatus: r.initStatus, customStates: r.customStates.map((s) => ({ status: s.status, name: s.name })) });
}
