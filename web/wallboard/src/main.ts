/**
 * The supervisor wallboard (/wallboard/): the sign-in form (a supervisor, its extension for
 * listening in), then the board (wallboard-page.ts) on the SDK, talking to the polylink that
 * served the page. The language from the browser, or the supervisor's choice with the switch.
 */
import './wallboard.css';
import { AgentBar } from '../../sdk/src/index.js';
import { browserStorage, h } from '../../shared/dom.js';
import { chooseLanguage, LANGUAGE_KEY, translator, type Language } from '../../shared/i18n.js';
import { readRemembered, writeRemembered, type Remembered } from '../../shared/remembered.js';
import { signInForm, signInWith } from '../../shared/sign-in-form.js';
import { BoardState, WallboardPage } from './wallboard-page.js';
import { TEXTS } from './texts.js';

/** Where the sign-in form's values are kept (localStorage), apart from the agent bar's. */
const REMEMBERED_KEY = 'polylink.wallboard.signin';
/** A supervisor watching starts busy: no queue offers it a customer. */
const FIRST_STATE = '6';

function start(container: HTMLElement): void {
  const bar = new AgentBar();
  let language: Language = chooseLanguage(browserStorage()?.getItem(LANGUAGE_KEY) ?? null, navigator.languages);
  const stored = browserStorage()?.getItem(REMEMBERED_KEY) ?? null;
  let remembered: Remembered = stored === null ? { ...readRemembered(null), initStatus: FIRST_STATE } : readRemembered(stored);
  let page: WallboardPage | undefined;
  let state = new BoardState();

  const setLanguage = (): void => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  };
  const switchLanguage = (): void => {
    language = language === 'zh' ? 'en' : 'zh';
    browserStorage()?.setItem(LANGUAGE_KEY, language);
  };

  const showSignIn = (message: string | undefined): void => {
    page?.unmount();
    page = undefined;
    state = new BoardState();
    const t = translator(TEXTS, language);
    const form = signInForm(t, remembered, async (values) => {
      const refused = await signInWith(bar, values, language);
      if (refused !== undefined) return refused;
      remembered = { ...remembered, agentId: values.agentId, exten: values.exten, initStatus: values.initStatus };
      browserStorage()?.setItem(REMEMBERED_KEY, writeRemembered(remembered));
      showBoard();
      void page?.load();
      return undefined;
    });
    const languageSwitch = h('button', { type: 'button', id: 'language', title: t('languageTitle'), onclick: () => (switchLanguage(), showSignIn(message)) }, t('language'));
    container.replaceChildren(h('div', { class: 'sign-in-page' }, languageSwitch, form, h('p', { class: 'message', id: 'ended' }, message ?? '')));
    setLanguage();
    document.title = t('title');
  };

  const showBoard = (): void => {
    page?.unmount();
    const t = translator(TEXTS, language);
    page = new WallboardPage({ bar, language, t, switchLanguage: () => (switchLanguage(), showBoard()), ended: (message) => showSignIn(message) }, state);
    page.mount(container);
    setLanguage();
    document.title = `${t('title')} · ${bar.AgentID}`;
  };

  showSignIn(undefined);
}

start(document.getElementById('app')!);
