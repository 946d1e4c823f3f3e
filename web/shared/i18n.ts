/**
 * The pages speak English and Chinese: the language the agent chose with the page's switch
 * (kept in the browser), else the browser's first language that is one of the two, else
 * English. Texts are tables keyed alike in both languages (the type checker holds them to
 * it); `{name}` in a text is filled from the values given.
 */

export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Where the choice made with the switch is kept (localStorage). */
export const LANGUAGE_KEY = 'polylink.language';

export function chooseLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  if (stored === 'en' || stored === 'zh') return stored;
  for (const tag of browserLanguages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'zh') return 'zh';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

export type Texts<K extends string> = Readonly<Record<Language, Readonly<Record<K, string>>>>;
export type Translate<K extends string> = (key: K, values?: Readonly<Record<string, string | number>>) => string;

export function translator<K extends string>(texts: Texts<K>, language: Language): Translate<K> {
  const table = texts[language];
  return (key, values) => table[key].replace(/\{(\w+)\}/g, (whole, name: string) => (values !== undefined && name in values ? String(values[name]) : whole));
}
