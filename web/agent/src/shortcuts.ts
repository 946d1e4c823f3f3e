/**
 * Keyboard shortcuts: F2 answers, F4 hangs up, F8 holds or retrieves. Function keys, because
 * they type nothing into a field the agent is filling in and the browser leaves these three
 * alone; with a modifier they are the browser's or the system's, not ours.
 */

export type ShortcutAction = 'answer' | 'hangup' | 'hold';

export const SHORTCUT_KEYS: Readonly<Record<ShortcutAction, string>> = { answer: 'F2', hangup: 'F4', hold: 'F8' };

export interface KeyPress {
  readonly key: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly repeat: boolean;
}

export function shortcutOf(e: KeyPress): ShortcutAction | undefined {
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.repeat) return undefined;
  return (Object.keys(SHORTCUT_KEYS) as ShortcutAction[]).find((action) => SHORTCUT_KEYS[action] === e.key);
}
