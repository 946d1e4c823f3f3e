/**
 * The words every signed-in page says alike, in both languages: signing in and out, the
 * connection, the session ending, a refusal. A page's own table spreads these in.
 */
export const SESSION_TEXTS = {
  en: {
    password: 'Password',
    initStatus: 'Start as',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    signOut: 'Sign out',
    language: '中文',
    languageTitle: 'Switch to Chinese',
    reconnecting: 'Connection lost — reconnecting…',
    failed: '{what}: {code} {reason}',
    kickedOut: 'Signed in elsewhere: this page was signed out.',
    signedOutByServer: 'You were signed out ({reason}).',
    resumeRefused: 'Could not sign in again: {code} {reason}',
  },
  zh: {
    password: '密码',
    initStatus: '签入后状态',
    signIn: '签入',
    signingIn: '正在签入…',
    signOut: '签出',
    language: 'English',
    languageTitle: '切换到英文',
    reconnecting: '连接中断,正在重连…',
    failed: '{what}:{code} {reason}',
    kickedOut: '已在别处签入:本页已签出。',
    signedOutByServer: '您已被签出({reason})。',
    resumeRefused: '无法重新签入:{code} {reason}',
  },
} as const satisfies Readonly<Record<'en' | 'zh', Readonly<Record<string, string>>>>;

export type SessionTextKey = keyof (typeof SESSION_TEXTS)['en'];
