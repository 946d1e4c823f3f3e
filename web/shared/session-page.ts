/**
 * What a signed-in page does alike: it follows the SDK's events (each one brings the page up
 * to date), ends when the session ends (kicked out, signed out by the server, a resume
 * refused), shows a refusal with its code in the page's language, and signs out.
 */
import { AgentBarError, type AgentBar, type AgentBarEvents, type SockReconnectEvent } from '../sdk/src/index.js';
import type { Language, Translate } from './i18n.js';
import type { SessionTextKey } from './session-texts.js';

export interface SessionContext<K extends string> {
  readonly bar: AgentBar;
  readonly language: Language;
  readonly t: Translate<K | SessionTextKey>;
  /** Switches the language (the page is built again in it). */
  readonly switchLanguage: () => void;
  /** The session ended (signed out here or elsewhere): back to the sign-in form, with a message. */
  readonly ended: (message: string | undefined) => void;
}

export abstract class SessionPage<K extends string> {
  protected readonly bar: AgentBar;
  protected readonly t: Translate<K | SessionTextKey>;
  private readonly offs: (() => void)[] = [];

  constructor(protected readonly session: SessionContext<K>) {
    this.bar = session.bar;
    this.t = session.t;
  }

  /** Brings everything shown up to date. */
  abstract update(): void;

  /** Shows a message in the page's notice line. */
  protected abstract notice(text: string, error: boolean): void;

  protected on<E extends keyof AgentBarEvents>(name: E, handle: (e: AgentBarEvents[E]) => void): void {
    this.offs.push(
      this.bar.on(name, (e) => {
        handle(e);
        this.update();
      }),
    );
  }

  /** Stops following the SDK's events. */
  protected stopListening(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** The session's own events: a switch failure told, the end of the session, a connection back (`back`, unless the resume was refused). */
  protected followSession(back: (e: SockReconnectEvent) => void): void {
    const t = this.t;
    this.on('ServerResponse', (e) => this.notice(t('failed', { what: e.cmdType, code: e.retCode, reason: this.reasonOf(e.retCode, e.reason) }), true));
    // Nothing to keep: showing it (the connection down) is update()'s.
    this.on('SockDisconnectEvent', () => undefined);
    this.on('SockReconnectEvent', (e) => {
      if (e.retCode < 0) this.session.ended(t('resumeRefused', { code: e.retCode, reason: this.reasonOf(e.retCode, e.Reason) }));
      else back(e);
    });
    this.on('KickOutEvent', () => this.session.ended(t('kickedOut')));
    this.on('SignOutEvent', (e) => this.session.ended(t('signedOutByServer', { reason: this.reasonOf(e.retCode, e.Reason) })));
  }

  protected reasonOf(code: number, english: string): string {
    return this.session.language === 'zh' ? new AgentBarError(code).reasonZh || english : english;
  }

  protected showError(what: K | SessionTextKey, err: unknown): void {
    const label = this.t(what);
    if (err instanceof AgentBarError) this.notice(this.t('failed', { what: label, code: err.retCode, reason: this.reasonOf(err.retCode, err.reason) }), true);
    else this.notice(`${label}: ${String(err)}`, true);
  }

  protected async signOut(): Promise<void> {
    try {
      await this.bar.DoSignOut();
      this.bar.DoDisconnect();
      this.session.ended(undefined);
    } catch (err) {
      this.showError('signOut', err);
    }
  }
}
