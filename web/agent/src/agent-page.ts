/**
 * The agent bar page once signed in: the bar (state, after-call state, the seed's buttons),
 * the current call, the customers waiting in the agent's queues, today's figures and the
 * screen pop. What it shows is reduced from the SDK's events by the pure modules beside it
 * (buttons, call-card, waiting-customers, screen-pop); this file wires them to the SDK and
 * the DOM. Built once per sign-in and per language; updated in place on every event and once
 * a second for the running times.
 */
import { isCallStatus } from '../../../src/core/agent-status.js';
import { AgentBarError, AgentStatus, type AgentBar } from '../../sdk/src/index.js';
import { h, replaceChildren } from '../../shared/dom.js';
import { formatDuration, serverSecondsBetween } from '../../shared/durations.js';
import type { Translate } from '../../shared/i18n.js';
import { SessionPage, type SessionContext } from '../../shared/session-page.js';
import { BUTTONS, enabledButtons, keypadKind, maySignOut, transferKind, type ButtonName } from './buttons.js';
import { CARD_EVENTS, nextCard, ringSeconds, talkSeconds, type CallCard, type CardInput } from './call-card.js';
import { askGradeLanguage, askNumber, askTarget, showTonePad, type TargetOptions } from './dialogs.js';
import { FIGURES, TIME_FIGURES, readStatistics, statisticsPath, type FiguresResult } from './figures.js';
import { screenPopFor, type Popped, type ScreenPopSettings } from './screen-pop.js';
import { SHORTCUT_KEYS, shortcutOf } from './shortcuts.js';
import { afterHangupStates, selectableStates, statusName, type CustomState } from './statuses.js';
import type { TextKey } from './texts.js';
import { byLongestWait, fromCustomerList, onQueueEvent, waitedSeconds, type Waiting } from './waiting-customers.js';

export interface PageSettings {
  readonly screenPop: ScreenPopSettings;
  readonly internalCallStates: readonly number[];
  readonly leaveRequiresApproval: boolean;
}

export interface PageContext extends SessionContext<TextKey> {
  readonly settings: PageSettings;
  /** The custom states learnt, for the sign-in form next time. */
  readonly learntStates: (states: readonly CustomState[]) => void;
}

const APPLY = 'apply';

/** The buttons that send their command as they are pressed, asking nothing. */
const DIRECT: Partial<Record<ButtonName, (bar: AgentBar) => Promise<unknown>>> = {
  tsbAnswer: (bar) => bar.DoAnswer(),
  tsbHangUp: (bar) => bar.DoHangUp(),
  tsbHold: (bar) => bar.DoHold(),
  tsbStopHold: (bar) => bar.DoStopHold(),
  tsbStopConsult: (bar) => bar.DoStopConsult(),
  tsbThreeWayCancel: (bar) => bar.DoThreeWayCancel(),
  tsbCancelApplication: (bar) => bar.DoCancelApplication(7),
};
const FIGURES_EVERY_MS = 60_000;

/** What the page knows beyond the SDK; kept across a rebuild for another language. */
export class AgentPageState {
  card: CallCard | undefined;
  waiting: Waiting = new Map();
  inQueues = true;
  popped: Popped = new Set();
  popUrl: string | undefined;
  popBlocked = false;
  applying = false;
  /** The third party of the agent's three-way call left; the agent and the customer are not bridged again yet. */
  leavingConference = false;
  stateSince = Date.now();
  rights: ReadonlySet<string> | undefined;
  custom: readonly CustomState[] = [];
  queues: Readonly<Record<string, string>> = {};
  ivrs: Readonly<Record<string, string>> = {};
  ivrProfiles: Readonly<Record<string, string>> = {};
  accessNumbers: readonly string[] = [];
  defaultAccess = '';
  history: readonly string[] = [];
  figures: FiguresResult | undefined;
  notice: { readonly text: string; readonly error: boolean } | undefined;
}

export class AgentPage extends SessionPage<TextKey> {
  declare protected readonly t: Translate<TextKey>;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private figuresTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly buttons = new Map<ButtonName, HTMLButtonElement>();
  private readonly root: HTMLElement;
  private readonly el: {
    agent: HTMLElement;
    connection: HTMLElement;
    state: HTMLSelectElement;
    stateTime: HTMLElement;
    afterHangup: HTMLSelectElement;
    signOut: HTMLButtonElement;
    card: HTMLElement;
    waiting: HTMLElement;
    figures: HTMLElement;
    pop: HTMLElement;
    frame: HTMLIFrameElement;
    notice: HTMLElement;
  };

  constructor(
    private readonly ctx: PageContext,
    readonly state: AgentPageState,
  ) {
    super(ctx);
    const t = this.t;
    this.el = {
      agent: h('span', { class: 'agent', id: 'agent' }),
      connection: h('span', { class: 'connection', id: 'connection', role: 'status' }),
      state: h('select', { id: 'state', 'aria-label': t('state'), onchange: () => this.chooseState() }),
      stateTime: h('span', { class: 'state-time', id: 'state-time' }),
      afterHangup: h('select', { id: 'after-hangup', 'data-button': 'tsddbAfterHangup', 'aria-label': t('afterHangup'), onchange: () => this.chooseAfterHangup() }),
      signOut: h('button', { id: 'sign-out', type: 'button', onclick: () => void this.signOut() }, t('signOut')),
      card: h('section', { class: 'panel call', id: 'call' }),
      waiting: h('section', { class: 'panel waiting', id: 'waiting' }),
      figures: h('section', { class: 'panel figures', id: 'figures' }),
      pop: h('section', { class: 'panel pop', id: 'pop' }),
      frame: h('iframe', { id: 'pop-frame', title: t('popTitle'), referrerpolicy: 'no-referrer' }),
      notice: h('p', { class: 'notice', id: 'notice', role: 'alert' }),
    };
    const toolbar = h('nav', { class: 'toolbar', 'aria-label': t('title') });
    for (const name of BUTTONS) {
      if (name === 'tsddbAfterHangup') continue;
      const button = h('button', { type: 'button', 'data-button': name, onclick: () => void this.press(name) });
      this.buttons.set(name, button);
      toolbar.append(button);
    }
    this.root = h(
      'div',
      { class: 'bar-page' },
      h(
        'header',
        { class: 'top' },
        h('strong', { class: 'brand' }, t('title')),
        this.el.agent,
        h('label', { class: 'state-pick' }, t('state'), ' ', this.el.state, ' ', this.el.stateTime),
        h('label', {}, t('afterHangup'), ' ', this.el.afterHangup),
        this.el.connection,
        h('button', { type: 'button', id: 'language', title: t('languageTitle'), onclick: () => ctx.switchLanguage() }, t('language')),
        this.el.signOut,
      ),
      toolbar,
      this.el.notice,
      h('main', { class: 'panels' }, h('div', { class: 'column' }, this.el.card, this.el.waiting), h('div', { class: 'column' }, this.el.figures, this.el.pop)),
    );
  }

  /** Shows the page in `container` and follows the SDK until the session ends. */
  mount(container: HTMLElement): void {
    container.replaceChildren(this.root);
    this.fillSelects();
    this.listen();
    this.timers.push(setInterval(() => this.update(), 1000));
    this.timers.push(setInterval(() => this.refreshFigures(), FIGURES_EVERY_MS));
    document.addEventListener('keydown', this.onKey);
    this.update();
    if (this.state.popUrl !== undefined && this.ctx.settings.screenPop.target === 'frame') this.el.frame.src = this.state.popUrl;
  }

  /** Stops following (the session ended, or the page is built again in another language). */
  unmount(): void {
    this.stopListening();
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    clearTimeout(this.figuresTimer);
    document.removeEventListener('keydown', this.onKey);
    for (const dialog of document.querySelectorAll('dialog')) dialog.close();
  }

  /** What a new session loads: the lists behind the selectors and dialogs, the queue, the figures. */
  async load(): Promise<void> {
    const s = this.state;
    const me = this.bar.AgentID;
    const tasks: Promise<unknown>[] = [
      this.bar.DoGetAgentDefineStatus().then((r) => {
        s.custom = r.result.define_status_list.map((d) => ({ status: d.status, name: d.name }));
        this.ctx.learntStates(s.custom);
        this.fillSelects();
      }),
      this.bar.DoGetDefinedRoleRights().then((r) => (s.rights = new Set(r.result.rights.split(',').filter((x) => x !== '')))),
      this.bar.DoGetAccessNumbers().then((r) => {
        s.accessNumbers = r.result.accessNumbers;
        s.defaultAccess = r.result.default_access_number;
        s.history = r.result.callHistory;
      }),
      this.bar.DoGetQueueList().then((r) => (s.queues = r.result.queue_list)),
      this.bar.DoGetIvrList().then((r) => (s.ivrs = r.result.ivr_list)),
      this.bar.DoGetIvrProfileList().then((r) => (s.ivrProfiles = r.result.ivr_profile_list)),
      this.bar.DoGetCustomerOfMyQueue().then(
        (r) => {
          s.inQueues = true;
          s.waiting = fromCustomerList(r.result.customer_list, Date.now());
        },
        (err: unknown) => {
          // -48: the agent is in no queue.
          if (err instanceof AgentBarError && err.retCode === -48) s.inQueues = false;
          else throw err;
        },
      ),
      this.bar.DoGetChangeStatusApplyList(7).then((r) => (s.applying = r.result.apply_agent_list.some((a) => a.apply_agentid === me && a.apply_state === 'pending'))),
      this.bar.DoGetOnlineAgent(me, 1).then((r) => {
        const self = r.result.agent_online[0];
        const since = self === undefined ? undefined : serverSecondsBetween(self.status_change_time, r.result.time);
        if (since !== undefined) s.stateSince = Date.now() - since * 1000;
      }),
    ];
    const results = await Promise.allSettled(tasks);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) this.showError('signIn', failed.reason);
    this.refreshFigures();
    this.update();
  }

  // ── events ────────────────────────────────────────────────────────────────────────

  private listen(): void {
    const s = this.state;
    const t = this.t;
    const me = (): string => this.bar.AgentID;
    for (const name of CARD_EVENTS) this.on(name, (event) => this.changeCard({ name, event } as CardInput));
    for (const name of ['AddCustomerToQueueEvent', 'UpdateCustomerOfQueueEvent', 'DelCustomerFromQueueEvent'] as const) {
      this.on(name, (event) => (s.waiting = onQueueEvent(s.waiting, { name, event } as Parameters<typeof onQueueEvent>[1], Date.now())));
    }
    // After a three-way call the server bridges the agent and the customer again: BridgeEvent says it is done.
    this.on('ThreeWayeeHangupEvent', () => (s.leavingConference = true));
    for (const name of ['BridgeEvent', 'HangupEvent'] as const) this.on(name, () => (s.leavingConference = false));
    this.on('AgentStatusChangeEvent', (e) => {
      if (e.agent_num !== me()) return;
      if (e.old_status !== e.new_status) s.stateSince = Date.now();
      this.refreshFiguresSoon();
    });
    this.on('SysThrowExceptionEvent', (e) => this.notice(t('switchTrouble', { reason: e.reason }), true));
    this.on('WarnAgentForceChangeStatusEvent', (e) => this.notice(t('forced', { agent: e.executorAgentID }), false));
    this.on('WarnAgentResigninEvent', () => this.notice(t('resignIn'), false));
    this.on('NoAnswerCallAlarmlEvent', () => this.notice(t('missedCall'), true));
    this.on('AllGetwaysFullEvent', () => this.notice(t('gatewaysFull'), true));
    this.followSession((e) => {
      this.notice(t(e.resumed ? 'resumed' : 'newSession'), false);
      if (e.resumed) return;
      // A new session has no call: one on the card ended while the connection was down.
      if (s.card !== undefined && s.card.endedAt === undefined) s.card = { ...s.card, endedAt: Date.now() };
      void this.load();
    });
    // Leave: the agent's own application.
    this.on('ApplyChangeStatusEvent', (e) => {
      if (e.retCode !== 0) return;
      s.applying = true;
      this.notice(t('applied'), false);
    });
    this.on('ApplyChangeStatusCancelEvent', (e) => {
      if (e.apply_agentid !== me()) return;
      s.applying = false;
      this.notice(t('applyCancelled'), false);
    });
    this.on('ApproveChangeStatusDistributeEvent', (e) => {
      if (e.apply_agentid !== me()) return;
      s.applying = false;
      this.notice(t(e.approveResult === '1' ? 'approved' : 'rejected'), e.approveResult !== '1');
    });
    this.on('ApproveChangeStatusTimeoutDistributeEvent', (e) => {
      if (e.apply_agentid !== me()) return;
      s.applying = false;
      this.notice(t('applyExpired'), true);
    });
  }

  private changeCard(input: CardInput): void {
    const s = this.state;
    s.card = nextCard(s.card, input, Date.now());
    if (input.name === 'HangupEvent') this.refreshFiguresSoon();
    const pop = screenPopFor(this.ctx.settings.screenPop, s.card, s.popped);
    if (pop === undefined) return;
    s.popped = pop.popped;
    s.popUrl = pop.url;
    if (this.ctx.settings.screenPop.target === 'frame') {
      this.el.frame.src = pop.url;
      return;
    }
    // A pop-up opened without a click is the browser's to allow: the page offers the link when it is refused.
    s.popBlocked = window.open(pop.url, 'polylink-screen-pop') === null;
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const action = shortcutOf(e);
    if (action === undefined || document.querySelector('dialog[open]') !== null) return;
    e.preventDefault();
    const name: ButtonName = action === 'answer' ? 'tsbAnswer' : action === 'hangup' ? 'tsbHangUp' : this.buttons.get('tsbStopHold')!.disabled ? 'tsbHold' : 'tsbStopHold';
    const button = this.buttons.get(name)!;
    if (!button.disabled) button.click();
  };

  // ── actions ───────────────────────────────────────────────────────────────────────

  private async press(name: ButtonName): Promise<void> {
    const bar = this.bar;
    const t = this.t;
    try {
      const direct = DIRECT[name];
      if (direct !== undefined) await direct(bar);
      switch (name) {
        case 'tsbKeyPad':
          // In a call the keypad sends its keys into it; with none it dials out.
          if (keypadKind({ agentState: bar.AgentState, agentStatus: Number(bar.AgentStatus) }) === 'tones') await showTonePad(t, (key) => this.sendTone(key));
          else await this.dialOut('dialPadTitle');
          break;
        case 'tsbCallOut':
          await this.dialOut('callOutTitle');
          break;
        case 'tsbCallAgent': {
          const target = await askTarget(t, 'callAgentTitle', ['agent'], { agent: await this.agentChoices() });
          if (target === undefined) return;
          await bar.DoCallAgent(target.value);
          this.changeCard({ name: 'dialled', kind: 'internal', number: target.value });
          break;
        }
        case 'tsbTransfer': {
          if (transferKind(bar.AgentState) === 'consult-transfer') {
            await bar.DoConsultTransfer();
            break;
          }
          const target = await askTarget(t, 'transferTitle', ['agent', 'queue', 'ivr', 'ivrProfile', 'number'], await this.targetChoices());
          if (target === undefined) return;
          if (target.kind === 'agent' || target.kind === 'number') await bar.DoTransferAgent(target.value, target.kind === 'number');
          else if (target.kind === 'queue') await bar.DoTransferQueue(target.value);
          else if (target.kind === 'ivr') await bar.DoTransferIvr(target.value);
          else await bar.DoTransferIvrProfile(target.value);
          break;
        }
        case 'tsbConsult':
        case 'tsbThreeWay': {
          const target = await askTarget(t, name === 'tsbConsult' ? 'consultTitle' : 'threeWayTitle', ['agent', 'number'], { agent: await this.agentChoices(), number: this.historyChoices() });
          if (target === undefined) return;
          if (name === 'tsbConsult') await bar.DoConsult(target.value, target.kind === 'number');
          else await bar.DoThreeWay(target.value, target.kind === 'number');
          break;
        }
        case 'tsbGrade': {
          const language = await askGradeLanguage(t, this.ctx.language);
          if (language === undefined) return;
          await bar.DoGrade(language);
          break;
        }
      }
    } catch (err) {
      this.showError(name === 'tsddbAfterHangup' ? 'afterHangup' : name, err);
    }
    this.update();
  }

  /** Asks for a number (and the number to show) and calls it. */
  private async dialOut(title: 'dialPadTitle' | 'callOutTitle'): Promise<void> {
    const s = this.state;
    const dial = await askNumber(this.t, title, s.accessNumbers, s.defaultAccess, s.history);
    if (dial === undefined) return;
    await this.bar.DoCallOut(dial.number, dial.display === s.defaultAccess ? '' : dial.display);
    this.changeCard({ name: 'dialled', kind: 'callout', number: dial.number });
  }

  /** One key of the keypad into the call; a refusal is shown, and the key not counted as sent. */
  private async sendTone(key: string): Promise<boolean> {
    try {
      await this.bar.DoSendDTMF(key);
      return true;
    } catch (err) {
      this.showError('tsbKeyPad', err);
      this.update();
      return false;
    }
  }

  private async chooseState(): Promise<void> {
    const value = this.el.state.value;
    const onCall = isCallStatus(Number(this.bar.AgentStatus));
    try {
      if (value === APPLY) await this.bar.DoApplyChangeStatus(7);
      else await this.bar.DoSetAgentDefineStatus(value);
      if (onCall && value !== APPLY) this.notice(this.t('afterCallApplies'), false);
    } catch (err) {
      this.showError(value === APPLY ? 'applyLeave' : 'state', err);
    }
    this.update(true);
  }

  private async chooseAfterHangup(): Promise<void> {
    try {
      await this.bar.DoSetAgentStateAfterHangup(this.el.afterHangup.value);
    } catch (err) {
      this.showError('afterHangup', err);
    }
    this.update(true);
  }

  /** The agents a call can go to, by name and state (those signed in first). */
  private async agentChoices(): Promise<(readonly [string, string])[]> {
    try {
      const online = (await this.bar.DoGetOnlineAgent('', 3)).result.agent_online;
      return online
        .filter((a) => a.agentNum !== this.bar.AgentID && a.flag === '0')
        .map((a) => [a.agentNum, `${a.agentName} · ${statusName(a.agentStatus, this.state.custom, this.t)}`] as const);
    } catch {
      return [];
    }
  }

  private historyChoices(): (readonly [string, string])[] {
    return this.state.history.map((n) => [n, n] as const);
  }

  private async targetChoices(): Promise<TargetOptions> {
    const s = this.state;
    const list = (d: Readonly<Record<string, string>>) => Object.entries(d).map(([k, v]) => [k, v] as const);
    return { agent: await this.agentChoices(), queue: list(s.queues), ivr: list(s.ivrs), ivrProfile: list(s.ivrProfiles), number: this.historyChoices() };
  }

  private refreshFiguresSoon(): void {
    clearTimeout(this.figuresTimer);
    this.figuresTimer = setTimeout(() => this.refreshFigures(), 500);
  }

  private refreshFigures(): void {
    const guid = this.bar.Guid;
    if (guid === '') return;
    fetch(statisticsPath(this.bar.AgentID), { headers: { Guid: guid }, cache: 'no-store' })
      .then(async (res) => readStatistics(res.status, await res.json().catch(() => null)))
      .catch((err: unknown) => ({ ok: false, reason: String(err) }) as const)
      .then((figures) => {
        this.state.figures = figures;
        this.renderFigures();
      });
  }

  // ── showing ───────────────────────────────────────────────────────────────────────

  protected notice(text: string, error: boolean): void {
    this.state.notice = { text, error };
  }

  private fillSelects(): void {
    const { custom } = this.state;
    const { leaveRequiresApproval } = this.ctx.settings;
    const t = this.t;
    replaceChildren(
      this.el.state,
      ...selectableStates(custom, leaveRequiresApproval).map((s) => h('option', { value: s }, statusName(s, custom, t))),
      h('option', { value: APPLY }, t('applyLeave')),
    );
    replaceChildren(
      this.el.afterHangup,
      ...afterHangupStates(custom, leaveRequiresApproval).map((s) => h('option', { value: s }, s === String(AgentStatus.ACW) ? t('afterHangupDefault') : statusName(s, custom, t))),
    );
    this.update(true);
  }

  /** Brings everything shown up to date; `selects` also resets the selectors to the agent's state (else only when not in use). */
  update(selects = false): void {
    const bar = this.bar;
    const s = this.state;
    const t = this.t;
    const now = Date.now();
    const online = bar.SignedIn && !bar.Reconnecting;
    const enabled = enabledButtons({
      online,
      agentState: bar.AgentState,
      callStatus: bar.GetCallStatus(),
      agentStatus: Number(bar.AgentStatus),
      rights: s.rights,
      internalCallStates: this.ctx.settings.internalCallStates,
      applying: s.applying,
      leavingConference: s.leavingConference,
    });
    for (const [name, button] of this.buttons) {
      button.disabled = !enabled[name];
      const label = name === 'tsbTransfer' && transferKind(bar.AgentState) === 'consult-transfer' ? t('tsbConsultTransfer') : t(name as TextKey);
      const key = name === 'tsbAnswer' ? SHORTCUT_KEYS.answer : name === 'tsbHangUp' ? SHORTCUT_KEYS.hangup : name === 'tsbHold' || name === 'tsbStopHold' ? SHORTCUT_KEYS.hold : undefined;
      button.textContent = key === undefined ? label : t('shortcut', { label, key });
    }
    this.el.afterHangup.disabled = !enabled.tsddbAfterHangup;
    this.el.state.disabled = !online;
    this.el.signOut.disabled = !maySignOut({ online, agentState: bar.AgentState });
    this.el.agent.textContent = [`${bar.AgentName} (${bar.AgentID})`.trim(), bar.AgentExten, bar.AgentGroupName].filter((x) => x !== '').join(' · ');
    this.el.connection.textContent = online ? t('connected') : t('reconnecting');
    this.el.connection.className = `connection ${online ? 'up' : 'down'}`;
    const status = bar.AgentStatus;
    this.el.stateTime.textContent = t('inStateFor', { time: formatDuration((now - s.stateSince) / 1000) });
    this.el.stateTime.dataset['status'] = status;
    if (selects || document.activeElement !== this.el.state) this.selectCurrent(this.el.state, status);
    if (selects || document.activeElement !== this.el.afterHangup) this.el.afterHangup.value = bar.AgentStateAfterHangup === '' ? String(AgentStatus.ACW) : bar.AgentStateAfterHangup;
    this.el.notice.textContent = s.notice?.text ?? '';
    this.el.notice.className = `notice ${s.notice?.error === true ? 'error' : ''}`;
    this.renderCard(now);
    this.renderWaiting(now);
    this.renderPop();
    if (this.el.figures.childElementCount === 0) this.renderFigures();
  }

  /** The selector shows the agent's state; a state it does not offer (on a call) is shown as such, not choosable. */
  private selectCurrent(select: HTMLSelectElement, status: string): void {
    for (const option of select.querySelectorAll('option[data-current]')) option.remove();
    if (![...select.options].some((o) => o.value === status)) {
      select.prepend(h('option', { value: status, disabled: true, 'data-current': true }, statusName(status, this.state.custom, this.t)));
    }
    select.value = status;
  }

  private renderCard(now: number): void {
    const t = this.t;
    const card = this.state.card;
    if (card === undefined) {
      replaceChildren(this.el.card, h('h2', {}, t('callTitle')), h('p', { class: 'empty' }, t('noCall')));
      return;
    }
    const kind: Readonly<Record<CallCard['kind'], TextKey>> = {
      'customer-in': 'kindCustomerIn',
      callout: 'kindCallout',
      transfer: 'kindTransfer',
      consult: 'kindConsult',
      threeway: 'kindThreeway',
      internal: 'kindInternal',
    };
    const talk = talkSeconds(card, now);
    const queue = card.queueName || this.state.queues[card.queueNum] || card.queueNum;
    const rows: [TextKey, string][] = [
      ['number', card.number],
      ['area', card.areaName],
      ['line', card.line],
      ['queue', queue],
      ['waited', card.waitedSeconds === undefined ? '' : formatDuration(card.waitedSeconds)],
      ['ringing', formatDuration(ringSeconds(card, now))],
      ['talking', talk === undefined ? '' : formatDuration(talk)],
    ];
    replaceChildren(
      this.el.card,
      h('h2', {}, t('callTitle'), card.endedAt === undefined ? null : h('span', { class: 'ended' }, ` — ${t('ended')}`)),
      h('p', { class: 'call-kind', 'data-kind': card.kind }, t(kind[card.kind], { agent: card.fromAgent })),
      h('dl', {}, ...rows.filter(([, v]) => v !== '').flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', { 'data-field': k }, v)])),
    );
  }

  private renderWaiting(now: number): void {
    const t = this.t;
    const s = this.state;
    const customers = byLongestWait(s.waiting, now);
    const body =
      customers.length === 0
        ? h('p', { class: 'empty' }, t(s.inQueues ? 'nobodyWaiting' : 'noQueues'))
        : h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', {}, t('number')), h('th', {}, t('queue')), h('th', {}, t('waited')), h('th', {}, ''))),
            h(
              'tbody',
              {},
              ...customers.map((c) =>
                h(
                  'tr',
                  { 'data-customer': c.uuid, class: c.status },
                  h('td', {}, c.number, c.vip ? h('span', { class: 'vip' }, ` ${t('vip')}`) : null),
                  h('td', {}, c.queueName || s.queues[c.queueNum] || c.queueNum),
                  h('td', { class: 'num' }, formatDuration(waitedSeconds(c, now))),
                  h('td', {}, t(c.status === 'ringing' ? 'customerRinging' : 'customerWaiting')),
                ),
              ),
            ),
          );
    replaceChildren(this.el.waiting, h('h2', {}, t('waitingTitle'), customers.length === 0 ? null : h('span', { class: 'count' }, ` ${customers.length}`)), body);
  }

  private renderFigures(): void {
    const t = this.t;
    const figures = this.state.figures;
    const body =
      figures === undefined
        ? null
        : !figures.ok
          ? h('p', { class: 'empty' }, t('figuresUnavailable', { reason: figures.reason }))
          : h(
              'dl',
              {},
              ...FIGURES.flatMap((f) => {
                const v = figures.values[f] ?? 0;
                return [h('dt', {}, t(f)), h('dd', { 'data-figure': f }, TIME_FIGURES.has(f) ? formatDuration(v) : String(v))];
              }),
            );
    replaceChildren(this.el.figures, h('h2', {}, t('figuresTitle')), body);
  }

  private renderPop(): void {
    const { screenPop } = this.ctx.settings;
    const s = this.state;
    if (screenPop.url === null) {
      this.el.pop.hidden = true;
      return;
    }
    this.el.pop.hidden = false;
    if (this.el.pop.childElementCount === 0) {
      this.el.pop.append(h('h2', {}, this.t('popTitle')), h('p', { class: 'pop-link' }), ...(screenPop.target === 'frame' ? [this.el.frame] : []));
    }
    const link = this.el.pop.querySelector('.pop-link')!;
    if (s.popUrl === undefined) {
      link.replaceChildren();
      return;
    }
    const a = h('a', { href: s.popUrl, target: 'polylink-screen-pop', rel: 'noreferrer', id: 'pop-link' }, this.t('popOpenTab'));
    link.replaceChildren(...(s.popBlocked ? [this.t('popBlocked'), a] : [a]));
  }
}
