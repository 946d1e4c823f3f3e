/**
 * The sign-in form of the pages: agent, password, extension, the state to start in; all but
 * the password remembered. Each page passes its own texts, which hold the form's keys.
 */
import type { AgentBar } from '../sdk/src/index.js';
import { h } from './dom.js';
import type { Language, Translate } from './i18n.js';
import type { Remembered } from './remembered.js';
import { signInStates, statusName, type StatusKey } from './status-names.js';

export type SignInTextKey = StatusKey | 'title' | 'signInTitle' | 'agentId' | 'password' | 'exten' | 'extenHint' | 'initStatus' | 'signIn' | 'signingIn';

export interface SignInValues {
  readonly agentId: string;
  readonly password: string;
  readonly exten: string;
  readonly initStatus: string;
}

/** `submit` answers with an error to show, or undefined when signed in. */
export function signInForm(t: Translate<SignInTextKey>, remembered: Remembered, submit: (values: SignInValues) => Promise<string | undefined>): HTMLElement {
  const agentId = h('input', { name: 'agentId', required: true, pattern: '[0-9]{3,6}', inputmode: 'numeric', autocomplete: 'username', value: remembered.agentId });
  const password = h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const exten = h('input', { name: 'exten', pattern: '[0-9]{1,20}', inputmode: 'numeric', placeholder: t('extenHint'), value: remembered.exten });
  const initStatus = h(
    'select',
    { name: 'initStatus' },
    ...signInStates(remembered.customStates).map((s) => h('option', { value: s, selected: s === remembered.initStatus }, statusName(s, remembered.customStates, t))),
  );
  const message = h('p', { class: 'message', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('signIn'));
  const form = h(
    'form',
    { class: 'sign-in', id: 'sign-in' },
    h('h1', {}, t('title')),
    h('h2', {}, t('signInTitle')),
    h('label', {}, t('agentId'), agentId),
    h('label', {}, t('password'), password),
    h('label', {}, t('exten'), exten),
    h('label', {}, t('initStatus'), initStatus),
    button,
    message,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    button.disabled = true;
    button.textContent = t('signingIn');
    message.textContent = '';
    void submit({ agentId: agentId.value.trim(), password: password.value, exten: exten.value.trim(), initStatus: initStatus.value }).then((error) => {
      button.disabled = false;
      button.textContent = t('signIn');
      if (error !== undefined) {
        message.textContent = error;
        password.select();
      }
    });
  });
  queueMicrotask(() => (remembered.agentId === '' ? agentId : password).focus());
  return form;
}

/** Signs `bar` in with the form's values; answers the refusal to show (code and reason in `language`), or undefined once signed in. */
export async function signInWith(bar: AgentBar, values: SignInValues, language: Language): Promise<string | undefined> {
  bar.AgentID = values.agentId;
  bar.AgentPwd = values.password;
  bar.BindExten = values.exten !== '';
  bar.AgentExten = values.exten;
  bar.AgentStatus = values.initStatus;
  try {
    await bar.DoSignInWithConnect();
    return undefined;
  } catch (err) {
    const e = err as { retCode?: number; reason?: string; reasonZh?: string };
    return `${e.retCode ?? ''} ${(language === 'zh' ? e.reasonZh : e.reason) ?? String(err)}`.trim();
  }
}
