/**
 * The agent bar page (/agent/): the sign-in form, then the bar (agent-page.ts) on the SDK,
 * talking to the polylink that served the page. Its settings (the screen pop …) come from
 * /agent/config.json; the language from the browser, or the agent's choice with the switch.
 */
import './agent.css';
import { AgentBar } from '../../sdk/src/index.js';
import { browserStorage, h } from '../../shared/dom.js';
import { chooseLanguage, LANGUAGE_KEY, translator, type Language } from '../../shared/i18n.js';
import { AgentPage, AgentPageState, type PageSettings } from './agent-page.js';
import { readRemembered, writeRemembered, type Remembered } from '../../shared/remembered.js';
import { signInForm, signInWith } from '../../shared/sign-in-form.js';
import { TEXTS } from './texts.js';

/** Where the sign-in form's values are kept (localStorage). */
const REMEMBERED_KEY = 'polylink.agent.signin';

/** Without its settings the page still works: no screen pop, the server's default rules. */
const FALLBACK_SETTINGS: PageSettings = {
  screenPop: { url: null, on: 'ring', target: 'frame' },
  internalCallStates: [0, 4, 6, 8],
  leaveRequiresApproval: false,
};

async function loadSettings(): Promise<PageSettings> {
  try {
    const res = await fetch('/agent/config.json', { cache: 'no-cache' });
    if (res.ok) return (await res.json()) as PageSettings;
  } catch {
    // As below: the page goes on with the fallback.
  }
  console.warn('polylink: /agent/config.json could not be read; no screen pop');
  return FALLBACK_SETTINGS;
}

async function start(container: HTMLElement): Promise<void> {
  const settings = await loadSettings();
  const bar = new AgentBar();
  let language: Language = chooseLanguage(browserStorage()?.getItem(LANGUAGE_KEY) ?? null, navigator.languages);
  let remembered: Remembered = readRemembered(browserStorage()?.getItem(REMEMBERED_KEY) ?? null);
  let page: AgentPage | undefined;
  let state = new AgentPageState();

  const remember = (r: Remembered): void => {
    remembered = r;
    browserStorage()?.setItem(REMEMBERED_KEY, writeRemembered(r));
  };

  const showSignIn = (message: string | undefined): void => {
    page?.unmount();
    page = undefined;
    state = new AgentPageState();
    const t = translator(TEXTS, language);
    const form = signInForm(t, remembered, async (values) => {
      const refused = await signInWith(bar, values, language);
      if (refused !== undefined) return refused;
      remember({ ...remembered, agentId: values.agentId, exten: values.exten, initStatus: values.initStatus });
      showBar();
      void page?.load();
      return undefined;
    });
    const languageSwitch = h(
      'button',
      {
        type: 'button',
        id: 'language',
        title: t('languageTitle'),
        onclick: () => {
          switchLanguage();
          showSignIn(message);
        },
      },
      t('language'),
    );
    container.replaceChildren(h('div', { class: 'sign-in-page' }, languageSwitch, form, h('p', { class: 'message', id: 'ended' }, message ?? '')));
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = t('title');
  };

  const switchLanguage = (): void => {
    language = language === 'zh' ? 'en' : 'zh';
    browserStorage()?.setItem(LANGUAGE_KEY, language);
  };

  const showBar = (): void => {
    page?.unmount();
    const t = translator(TEXTS, language);
    page = new AgentPage(
      {
        bar,
        settings,
        language,
        t,
        switchLanguage: () => {
          switchLanguage();
          showBar();
        },
        ended: (message) => showSignIn(message),
        learntStates: (customStates) => remember({ ...remembered, customStates }),
      },
      state,
    );
    page.mount(container);
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = `${t('title')} · ${bar.AgentID}`;
  };

  showSignIn(undefined);
}

void start(document.getElementById('app')!);
