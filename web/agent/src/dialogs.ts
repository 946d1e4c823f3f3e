/**
 * The questions a button asks before it acts — whom to transfer to or consult, which number
 * to call — as native <dialog>s (Chromium and Firefox have them): Enter confirms, Escape
 * cancels, and the answer comes back as a promise (undefined when cancelled).
 */
import { h } from '../../shared/dom.js';
import type { Translate } from '../../shared/i18n.js';
import type { TextKey } from './texts.js';

export type TargetKind = 'agent' | 'queue' | 'ivr' | 'ivrProfile' | 'number';
export interface Target {
  readonly kind: TargetKind;
  readonly value: string;
}

/** Value → label, for each kind the dialog offers; agents and numbers are typed (these are suggestions). */
export type TargetOptions = Readonly<Partial<Record<TargetKind, readonly (readonly [string, string])[]>>>;

const KIND_TEXT: Readonly<Record<TargetKind, TextKey>> = {
  agent: 'targetAgent',
  queue: 'targetQueue',
  ivr: 'targetIvr',
  ivrProfile: 'targetIvrProfile',
  number: 'targetNumber',
};

/** Typed rather than picked: an agent ID or a phone number. */
const TYPED: ReadonlySet<TargetKind> = new Set(['agent', 'number']);

function open<T>(dialog: HTMLDialogElement, read: () => T | undefined): Promise<T | undefined> {
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const value = dialog.returnValue === 'ok' ? read() : undefined;
      dialog.remove();
      resolve(value);
    });
    dialog.showModal();
  });
}

function buttons(t: Translate<TextKey>, ok: TextKey = 'dialogOk'): HTMLElement {
  return h(
    'menu',
    { class: 'dialog-buttons' },
    h('button', { value: 'cancel', formnovalidate: true }, t('dialogCancel')),
    h('button', { value: 'ok', class: 'primary', 'data-ok': true }, t(ok)),
  );
}

export function askTarget(t: Translate<TextKey>, title: TextKey, kinds: readonly TargetKind[], options: TargetOptions): Promise<Target | undefined> {
  const kind = h('select', { name: 'kind' }, ...kinds.map((k) => h('option', { value: k }, t(KIND_TEXT[k]))));
  const slot = h('span', { class: 'target-value' });
  let value: HTMLInputElement | HTMLSelectElement;
  const showValue = (): void => {
    const k = kind.value as TargetKind;
    const choices = options[k] ?? [];
    if (TYPED.has(k)) {
      const list = h('datalist', { id: `choices-${k}` }, ...choices.map(([v, label]) => h('option', { value: v }, label)));
      value = h('input', { name: 'value', required: true, autocomplete: 'off', list: list.id, pattern: k === 'number' ? '\\+?[0-9]{1,32}' : '[0-9]{1,6}', inputmode: 'tel' });
      slot.replaceChildren(value, list);
    } else {
      value = h('select', { name: 'value', required: true }, ...choices.map(([v, label]) => h('option', { value: v }, `${v} ${label}`)));
      slot.replaceChildren(value);
    }
  };
  kind.addEventListener('change', showValue);
  showValue();
  const dialog = h('dialog', { class: 'ask', 'data-dialog': title }, h('form', { method: 'dialog' }, h('h2', {}, t(title)), h('p', {}, kind, slot), buttons(t)));
  return open(dialog, () => ({ kind: kind.value as TargetKind, value: value.value.trim() }));
}

/** The dial pad (seed tsbKeyPad 拨号盘) and call out: a number, keys to type it, the number to show. */
export function askNumber(t: Translate<TextKey>, title: TextKey, displayNumbers: readonly string[], defaultDisplay: string, history: readonly string[]): Promise<{ number: string; display: string } | undefined> {
  const list = h('datalist', { id: 'callout-history' }, ...history.map((n) => h('option', { value: n })));
  const number = h('input', { name: 'number', required: true, autocomplete: 'off', pattern: '\\+?[0-9]{1,32}', inputmode: 'tel', list: list.id });
  const keys = h(
    'div',
    { class: 'keys' },
    ...['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0', t('erase')].map((key) =>
      h(
        'button',
        {
          type: 'button',
          'data-key': key,
          onclick: () => {
            number.value = key === t('erase') ? number.value.slice(0, -1) : number.value + key;
            number.focus();
          },
        },
        key,
      ),
    ),
  );
  const display = h('select', { name: 'display' }, ...displayNumbers.map((n) => h('option', { value: n, selected: n === defaultDisplay }, n)));
  const dialog = h(
    'dialog',
    { class: 'ask', 'data-dialog': title },
    h('form', { method: 'dialog' }, h('h2', {}, t(title)), h('p', {}, number, list), keys, h('label', {}, t('displayNumber'), ' ', display), buttons(t, 'dial')),
  );
  return open(dialog, () => ({ number: number.value.trim(), display: display.value }));
}

/** The keys of a phone's keypad, in its order. */
export const PHONE_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/**
 * The keypad during a call (seed tsbKeyPad, DoShowKeyPad): each key pressed — clicked, or
 * typed while the pad is open — goes into the call at once, as on a phone, through `send`;
 * the keys that went through are shown. Resolves when the agent closes it.
 */
export function showTonePad(t: Translate<TextKey>, send: (key: string) => Promise<boolean>): Promise<void> {
  const sent = h('output', { class: 'tones-sent', 'aria-live': 'polite' });
  const press = (key: string): void => {
    void send(key).then((ok) => {
      if (ok) sent.textContent = (sent.textContent ?? '') + key;
    });
  };
  const keys = h('div', { class: 'keys' }, ...PHONE_KEYS.map((key) => h('button', { type: 'button', 'data-key': key, onclick: () => press(key) }, key)));
  const dialog = h(
    'dialog',
    { class: 'ask', 'data-dialog': 'tonePadTitle' },
    h(
      'form',
      { method: 'dialog' },
      h('h2', {}, t('tonePadTitle')),
      h('p', { class: 'tones' }, t('tonesSent'), ' ', sent),
      keys,
      h('menu', { class: 'dialog-buttons' }, h('button', { value: 'close', class: 'primary', 'data-ok': true }, t('dialogClose'))),
    ),
  );
  dialog.addEventListener('keydown', (e) => {
    if ((PHONE_KEYS as readonly string[]).includes(e.key)) {
      e.preventDefault();
      press(e.key);
    }
  });
  return open(dialog, () => undefined).then(() => undefined);
}

export function askGradeLanguage(t: Translate<TextKey>, preferred: 'zh' | 'en'): Promise<'zh' | 'en' | undefined> {
  const language = h(
    'select',
    { name: 'language' },
    h('option', { value: 'zh', selected: preferred === 'zh' }, t('gradeZh')),
    h('option', { value: 'en', selected: preferred === 'en' }, t('gradeEn')),
  );
  const dialog = h('dialog', { class: 'ask', 'data-dialog': 'gradeTitle' }, h('form', { method: 'dialog' }, h('h2', {}, t('gradeTitle')), h('p', {}, language), buttons(t)));
  return open(dialog, () => language.value as 'zh' | 'en');
}
