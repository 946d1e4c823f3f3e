/**
 * The supervisor wallboard once signed in: the agents of the groups the supervisor's role
 * monitors as a grid coloured by state with the time in it, the queues with the day's figures,
 * the centre's totals and two charts; one click on an agent's tile steps into its call
 * (listen, whisper, barge in, force hang-up), a click elsewhere on the tile opens the rest
 * (force a state). Everything comes over the SDK: getagentsmonitorinfo and getallqueuestatis
 * when it opens (and again now and then, to stay exact), then the AgentStatusChangeEvent and
 * QueueStatisChangeEvent pushes. What it shows is reduced by the pure modules beside it.
 */
import { AgentStatus } from '../../sdk/src/index.js';
import { h, replaceChildren } from '../../shared/dom.js';
import { formatDuration } from '../../shared/durations.js';
import type { Translate } from '../../shared/i18n.js';
import { SessionPage, type SessionContext } from '../../shared/session-page.js';
import { statusName, type CustomState } from '../../shared/status-names.js';
import { countByClass, inGridOrder, onCall, STATE_CLASSES, stateClass, tilesFrom, withStatus, type AgentTile, type StateClass, type Tiles } from './agent-grid.js';
import { callsChart, waitingChart } from './charts.js';
import { judgeAbandonRate, judgeServiceLevel, judgeWait, longestWaitNow, oneDecimal, queueRow, type QueueFigures, type QueueRow } from './queue-board.js';
import { addSample, quarterOf, quarters, sumQuarters, type Sample } from './series.js';
import type { TextKey } from './texts.js';

/** The supervisor's steps into an agent's call, by the right each needs. */
export const CALL_ACTIONS = ['listen', 'whisper', 'bargein', 'forcehangup'] as const;
export type CallAction = (typeof CALL_ACTIONS)[number];

/** The states a supervisor may force (forcechangestatus): -1 signs the agent out. */
const FORCEABLE = [AgentStatus.IDLE, AgentStatus.BUSY, AgentStatus.LEAVE, AgentStatus.CALL_OUT, AgentStatus.OFFLINE].map(String);

/** What each colour of the legend stands for. */
const CLASS_TEXT: Readonly<Record<StateClass, TextKey>> = {
  ring: 'statusRing',
  talk: 'statusTalking',
  hold: 'statusHold',
  out: 'statusCallingOut',
  acw: 'statusAcw',
  idle: 'statusIdle',
  busy: 'statusBusy',
  leave: 'statusLeave',
  offline: 'statusOffline',
};

/** Exact figures again this often, beside the pushes (the centre's totals are not pushed). */
const REFRESH_MS = 15_000;
/** A waiting sample at least this often, so the line runs on while nothing changes. */
const SAMPLE_MS = 5_000;
/** The centre's totals are read again this long after a queue's figures were pushed (once for a burst of pushes). */
const CENTRE_AFTER_PUSH_MS = 500;

interface QueueState {
  readonly row: QueueRow;
  readonly quarters: readonly number[];
}

/** What the board knows; kept across a rebuild for another language. */
export class BoardState {
  tiles: Tiles = new Map();
  queues = new Map<string, QueueState>();
  centre: QueueRow | undefined;
  serverQuarter: number | undefined;
  samples: Sample[] = [];
  custom: readonly CustomState[] = [];
  rights: ReadonlySet<string> | undefined;
  notice: { readonly text: string; readonly error: boolean } | undefined;
}

export class WallboardPage extends SessionPage<TextKey> {
  declare protected readonly t: Translate<TextKey>;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private centreTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly root: HTMLElement;
  /** Each agent's tile, built again only when what it shows changes: a click never lands on a tile being replaced. */
  private readonly tileEls = new Map<string, { readonly key: string; readonly el: HTMLElement; readonly time: HTMLElement }>();
  private readonly el: {
    who: HTMLElement;
    clock: HTMLElement;
    connection: HTMLElement;
    notice: HTMLElement;
    legend: HTMLElement;
    grid: HTMLElement;
    queues: HTMLElement;
    calls: HTMLElement;
    waiting: HTMLElement;
  };

  constructor(
    ctx: SessionContext<TextKey>,
    readonly state: BoardState,
  ) {
    super(ctx);
    const t = this.t;
    this.el = {
      who: h('span', { class: 'who', id: 'who' }),
      clock: h('span', { class: 'clock num', id: 'clock' }),
      connection: h('span', { class: 'connection', id: 'connection', role: 'status' }),
      notice: h('p', { class: 'notice', id: 'notice', role: 'alert' }),
      legend: h('div', { class: 'legend', id: 'legend' }),
      grid: h('div', { class: 'grid', id: 'agents' }),
      queues: h('div', { class: 'queues', id: 'queues' }),
      calls: h('figure', { class: 'chart-box', id: 'calls-chart' }),
      waiting: h('figure', { class: 'chart-box', id: 'waiting-chart' }),
    };
    this.root = h(
      'div',
      { class: 'board' },
      h(
        'header',
        { class: 'top' },
        h('strong', { class: 'brand' }, t('title')),
        this.el.who,
        this.el.clock,
        this.el.connection,
        h('button', { type: 'button', id: 'language', title: t('languageTitle'), onclick: () => ctx.switchLanguage() }, t('language')),
        h('button', { type: 'button', id: 'sign-out', onclick: () => void this.signOut() }, t('signOut')),
      ),
      this.el.notice,
      h(
        'main',
        { class: 'panels' },
        h('section', { class: 'panel agents', 'aria-label': t('agentsTitle') }, h('h2', {}, t('agentsTitle'), ' ', this.el.legend), this.el.grid),
        h(
          'div',
          { class: 'column' },
          h('section', { class: 'panel', 'aria-label': t('queuesTitle') }, h('h2', {}, t('queuesTitle')), this.el.queues),
          h('section', { class: 'panel charts' }, this.el.calls, this.el.waiting),
        ),
      ),
    );
  }

  mount(container: HTMLElement): void {
    container.replaceChildren(this.root);
    this.listen();
    this.timers.push(setInterval(() => this.update(), 1000));
    this.timers.push(setInterval(() => this.sample(), SAMPLE_MS));
    this.timers.push(setInterval(() => void this.refresh(), REFRESH_MS));
    this.update();
  }

  unmount(): void {
    this.stopListening();
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    clearTimeout(this.centreTimer);
    for (const dialog of document.querySelectorAll('dialog')) dialog.close();
  }

  /** What a new session loads: the role's rights, the custom states, the agents in scope, the queues. */
  async load(): Promise<void> {
    const s = this.state;
    const results = await Promise.allSettled([
      this.bar.DoGetDefinedRoleRights().then((r) => (s.rights = new Set(r.result.rights.split(',').filter((x) => x !== '')))),
      this.bar.DoGetAgentDefineStatus().then((r) => (s.custom = r.result.define_status_list.map((d) => ({ status: d.status, name: d.name })))),
      this.loadAgents(),
      this.loadQueues(),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) this.showError('title', failed.reason);
    this.sample();
    this.update();
  }

  /** The agents of every group the role monitors (getagentsmonitorinfo reads the others -99: left out). */
  private async loadAgents(): Promise<void> {
    const groups = Object.keys((await this.bar.DoGetAgentGroupList('mine')).result.agent_group_list);
    const lists = await Promise.all(groups.map((g) => this.bar.DoGetAgentsOfAgentGroup(g)));
    const ids = [...new Set(lists.flatMap((l) => l.result.agent_list.split(',')).filter((id) => id !== ''))];
    if (ids.length === 0) {
      this.state.tiles = new Map();
      return;
    }
    const info = (await this.bar.DoGetAgentsMonitorInfo(ids.join(','))).result;
    this.state.tiles = tilesFrom(info.agent_monitor_info, info.current_time, Date.now());
  }

  private async loadQueues(): Promise<void> {
    const all = (await this.bar.DoGetAllQueueStatis()).result;
    const now = Date.now();
    this.state.queues = new Map(all.queue_statis_list.map((q) => [q.queue_num, this.queueState(q, now)]));
    this.state.centre = queueRow(all.centre_statis, now);
    this.state.serverQuarter = quarterOf(all.current_time);
  }

  private queueState(figures: QueueFigures, now: number): QueueState {
    return { row: queueRow(figures, now), quarters: quarters(figures['offered_by_quarter']) };
  }

  private async refresh(): Promise<void> {
    if (!this.bar.SignedIn || this.bar.Reconnecting) return;
    try {
      await Promise.all([this.loadAgents(), this.loadQueues()]);
    } catch (err) {
      this.showError('title', err);
    }
    this.update();
  }

  // ── events ──────────────────────────────────────────────────────────────────────

  private listen(): void {
    const s = this.state;
    const t = this.t;
    this.on('AgentStatusChangeEvent', (e) => (s.tiles = withStatus(s.tiles, e, Date.now())));
    this.on('QueueStatisChangeEvent', (e) => {
      s.queues.set(e.queue_num, this.queueState(e, Date.now()));
      s.serverQuarter = quarterOf(e.current_time) ?? s.serverQuarter;
      this.sample();
      // The centre's totals are not pushed: read them again, once for a burst of pushes.
      this.centreTimer ??= setTimeout(() => {
        this.centreTimer = undefined;
        void this.loadQueues().then(
          () => this.update(),
          (err: unknown) => this.showError('centre', err),
        );
      }, CENTRE_AFTER_PUSH_MS);
    });
    for (const name of ['EavesdropEvent', 'WhisperEvent', 'BargeinEvent', 'ForceHangupEvent'] as const) {
      this.on(name, (e) => {
        if (e.retCode < 0) this.notice(t('failed', { what: name, code: e.retCode, reason: this.reasonOf(e.retCode, e.reason) }), true);
      });
    }
    this.followSession(() => void this.refresh());
  }

  /** The customers waiting now over the queues shown, as a point of the last hour's line. */
  private sample(): void {
    const s = this.state;
    const waiting = [...s.queues.values()].reduce((sum, q) => sum + q.row.waiting, 0);
    s.samples = addSample(s.samples, { at: Date.now(), waiting });
  }

  // ── actions ─────────────────────────────────────────────────────────────────────

  private may(right: string): boolean {
    return this.state.rights === undefined || this.state.rights.has(right);
  }

  private async act(action: CallAction, tile: AgentTile): Promise<void> {
    const bar = this.bar;
    const label = this.t(action);
    try {
      if (action === 'listen') await bar.DoListen(tile.agentNum);
      else if (action === 'whisper') await bar.DoWhisper(tile.agentNum);
      else if (action === 'bargein') await bar.DoBargein(tile.agentNum);
      else await bar.DoForceHangup(tile.agentNum);
      this.notice(this.t('done', { what: label, agent: `${tile.name} (${tile.agentNum})` }), false);
    } catch (err) {
      this.showError(action, err);
    }
    this.update();
  }

  private async force(tile: AgentTile, status: string): Promise<void> {
    try {
      await this.bar.DoForceChangeStatusEvent(tile.agentNum, status);
      this.notice(this.t('done', { what: `${this.t('forceState')} ${this.nameOf(status)}`, agent: `${tile.name} (${tile.agentNum})` }), false);
    } catch (err) {
      this.showError('forceState', err);
    }
    this.update();
  }

  /** The tile's dialog: its call actions and the states it may be forced into. */
  private openActions(tile: AgentTile): void {
    const t = this.t;
    const choose = h('select', { name: 'status', 'aria-label': t('forceState') }, ...FORCEABLE.concat(this.state.custom.map((c) => c.status)).map((st) => h('option', { value: st }, this.nameOf(st))));
    const callButtons = CALL_ACTIONS.map((a) =>
      h('button', { type: 'button', 'data-action': a, disabled: !onCall(this.current(tile).status) || !this.may(a), onclick: () => void this.act(a, tile).then(() => dialog.close()) }, t(a)),
    );
    const dialog = h(
      'dialog',
      { class: 'actions', 'data-agent': tile.agentNum },
      h('h2', {}, t('actionsTitle', { name: tile.name, agent: tile.agentNum })),
      h('p', { class: 'state' }, t('inStateFor', { state: this.nameOf(this.current(tile).status), time: formatDuration((Date.now() - this.current(tile).since) / 1000) })),
      h('p', { class: 'call-actions' }, ...callButtons),
      onCall(this.current(tile).status) ? null : h('p', { class: 'hint' }, t('notOnCall')),
      h(
        'p',
        { class: 'force' },
        choose,
        h('button', { type: 'button', 'data-action': 'force', disabled: !this.may('forcechangestatus'), onclick: () => void this.force(tile, choose.value).then(() => dialog.close()) }, t('forceState')),
      ),
      h('menu', { class: 'dialog-buttons' }, h('button', { type: 'button', class: 'primary', onclick: () => dialog.close() }, t('close'))),
    );
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  }

  private current(tile: AgentTile): AgentTile {
    return this.state.tiles.get(tile.agentNum) ?? tile;
  }

  // ── showing ─────────────────────────────────────────────────────────────────────

  private nameOf(status: string): string {
    return statusName(status, this.state.custom, this.t);
  }

  protected notice(text: string, error: boolean): void {
    this.state.notice = { text, error };
  }

  update(): void {
    const bar = this.bar;
    const t = this.t;
    const now = Date.now();
    const online = bar.SignedIn && !bar.Reconnecting;
    this.el.who.textContent = `${bar.AgentName} (${bar.AgentID})`;
    this.el.clock.textContent = new Date(now).toLocaleTimeString(this.session.language === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    this.el.connection.textContent = online ? t('connected') : t('reconnecting');
    this.el.connection.className = `connection ${online ? 'up' : 'down'}`;
    this.el.notice.textContent = this.state.notice?.text ?? '';
    this.el.notice.className = `notice ${this.state.notice?.error === true ? 'error' : ''}`;
    this.renderAgents(now);
    this.renderQueues(now);
    this.renderCharts(now);
  }

  private renderAgents(now: number): void {
    const t = this.t;
    const tiles = this.state.tiles;
    const counts = countByClass(tiles);
    replaceChildren(
      this.el.legend,
      ...STATE_CLASSES.filter((c) => counts[c] > 0).map((c) => h('span', { class: `count s-${c}`, 'data-class': c, title: t(CLASS_TEXT[c]) }, String(counts[c]))),
    );
    if (tiles.size === 0) {
      this.tileEls.clear();
      replaceChildren(this.el.grid, h('p', { class: 'empty' }, t('noAgents')));
      return;
    }
    const ordered = inGridOrder(tiles).map((tile) => {
      const key = `${tile.status}|${tile.since}|${tile.name}|${tile.exten}|${[...(this.state.rights ?? [])].join()}`;
      let built = this.tileEls.get(tile.agentNum);
      if (built?.key !== key) {
        const time = h('span', { class: 'time num' });
        built = { key, el: this.tile(tile, time), time };
        this.tileEls.set(tile.agentNum, built);
      }
      // Since when an agent is offline is not known (getagentsmonitorinfo has no time for it).
      built.time.textContent = stateClass(tile.status) === 'offline' ? '' : formatDuration((now - tile.since) / 1000);
      return built.el;
    });
    for (const id of this.tileEls.keys()) if (!tiles.has(id)) this.tileEls.delete(id);
    const shown = [...this.el.grid.children];
    if (shown.length !== ordered.length || ordered.some((el, i) => shown[i] !== el)) this.el.grid.replaceChildren(...ordered);
  }

  private tile(tile: AgentTile, time: HTMLElement): HTMLElement {
    const t = this.t;
    const inCall = onCall(tile.status);
    return h(
      'article',
      {
        class: `tile s-${stateClass(tile.status)}`,
        'data-agent': tile.agentNum,
        'data-status': tile.status,
        tabindex: 0,
        title: tile.group,
        onclick: (e: Event) => {
          if (!(e.target as Element).closest('button')) this.openActions(tile);
        },
        onkeydown: (e: Event) => {
          if ((e as KeyboardEvent).key === 'Enter' && e.target === e.currentTarget) this.openActions(tile);
        },
      },
      h('span', { class: 'name' }, tile.name || tile.agentNum),
      h('span', { class: 'id' }, [tile.agentNum, tile.exten].filter((x) => x !== '').join(' · ')),
      h('span', { class: 'state' }, this.nameOf(tile.status)),
      time,
      inCall
        ? h('span', { class: 'quick' }, ...CALL_ACTIONS.filter((a) => this.may(a)).map((a) => h('button', { type: 'button', 'data-action': a, onclick: () => void this.act(a, tile) }, t(a))))
        : null,
    );
  }

  private renderQueues(now: number): void {
    const t = this.t;
    const rows = [...this.state.queues.values()].map((q) => q.row).sort((a, b) => a.num.localeCompare(b.num));
    const line = (row: QueueRow, centre: boolean) => {
      const wait = longestWaitNow(row, now);
      return h(
        'tr',
        { 'data-queue': centre ? 'centre' : row.num, class: centre ? 'centre' : '' },
        h('th', { scope: 'row' }, centre ? t('centre') : row.name || row.num),
        h('td', { class: `num big ${row.waiting > 0 ? 'waiting' : ''}`, 'data-figure': 'waiting' }, String(row.waiting)),
        h('td', { class: `num j-${judgeWait(wait, row.serviceLevelSeconds)}`, 'data-figure': 'longest' }, formatDuration(wait)),
        h('td', { class: `num j-${judgeServiceLevel(row.serviceLevel)}`, 'data-figure': 'service-level' }, oneDecimal(row.serviceLevel, '%')),
        h('td', { class: `num j-${judgeAbandonRate(row.abandonRate)}`, 'data-figure': 'abandon-rate' }, oneDecimal(row.abandonRate, '%')),
        h('td', { class: 'num', 'data-figure': 'asa' }, row.averageSpeedOfAnswer === undefined ? '–' : formatDuration(row.averageSpeedOfAnswer)),
        h('td', { class: 'num', 'data-figure': 'offered' }, String(row.offered)),
        h('td', { class: 'num', 'data-figure': 'answered' }, String(row.answered)),
        h('td', { class: 'num', 'data-figure': 'abandoned' }, String(row.abandoned)),
        h('td', { class: 'num', 'data-figure': 'idle' }, `${row.agentsIdle}/${row.agentsOnline}`),
      );
    };
    const threshold = rows[0]?.serviceLevelSeconds ?? this.state.centre?.serviceLevelSeconds ?? 0;
    replaceChildren(
      this.el.queues,
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, t('queue')),
            h('th', {}, t('waiting')),
            h('th', {}, t('longestWait')),
            h('th', { title: t('serviceLevelHint', { s: threshold }) }, t('serviceLevel')),
            h('th', {}, t('abandonRate')),
            h('th', {}, t('asa')),
            h('th', {}, t('offered')),
            h('th', {}, t('answered')),
            h('th', {}, t('abandoned')),
            h('th', {}, t('idleAgents')),
          ),
        ),
        h('tbody', {}, ...rows.map((r) => line(r, false)), this.state.centre === undefined ? null : line(this.state.centre, true)),
      ),
    );
  }

  private renderCharts(now: number): void {
    const t = this.t;
    const s = this.state;
    const perQuarter = sumQuarters([...s.queues.values()].map((q) => q.quarters));
    replaceChildren(this.el.calls, h('figcaption', {}, t('callsChart')), callsChart(perQuarter, s.serverQuarter, { width: 720, height: 200 }, t('callsChart')));
    replaceChildren(
      this.el.waiting,
      h('figcaption', {}, t('waitingChart')),
      waitingChart(s.samples, now, { width: 720, height: 160 }, t('waitingChart'), { hourAgo: t('chartHourAgo'), now: t('chartNow') }),
    );
  }
}
