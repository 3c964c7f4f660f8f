import type { I18nProvider } from '@refinedev/core';
import en from './en';
import zhCN, { type Dictionary } from './zh-CN';

export type Locale = 'zh-CN' | 'en';

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_STORAGE_KEY = 'credit-lists.locale';

export const dictionaries: Record<Locale, Dictionary> = { 'zh-CN': zhCN, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Reads the remembered locale; Chinese unless the user chose otherwise. */
export function loadLocale(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): Locale {
  try {
    const stored = storage?.getItem(LOCALE_STORAGE_KEY);
    return isLocale(stored) ? stored : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function saveLocale(locale: Locale, storage: Pick<Storage, 'setItem'> | undefined = safeStorage()): void {
  try {
    storage?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}

function safeStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

function lookup(dict: unknown, key: string): string | undefined {
  let node: unknown = dict;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

function interpolate(template: string, options: unknown): string {
  if (!options || typeof options !== 'object') return template;
  const values = options as Record<string, unknown>;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) =>
    name in values && values[name] !== undefined && values[name] !== null ? String(values[name]) : match,
  );
}

/**
 * Translates a dotted key. Falls back to the default message, then to the Chinese text,
 * then to the key itself, so a missing English string never shows an empty label.
 */
export function translate(locale: Locale, key: string, options?: unknown, defaultMessage?: string): string {
  const found = lookup(dictionaries[locale], key);
  if (found !== undefined) return interpolate(found, options);
  if (defaultMessage !== undefined) return interpolate(defaultMessage, options);
  const fallback = lookup(dictionaries[DEFAULT_LOCALE], key);
  return interpolate(fallback ?? key, options);
}

/** Picks the English variant of a configured name when the UI is in English and one exists. */
export function pickName(locale: Locale, name: string, nameEn?: string): string {
  return locale === 'en' && nameEn ? nameEn : name;
}

export function createI18nProvider(locale: Locale, setLocale: (locale: Locale) => void): I18nProvider {
  return {
    // Refine sometimes calls translate(key, 'Default text') with the default in second place.
    translate: (key, options, defaultMessage) =>
      typeof options === 'string' && defaultMessage === undefined
        ? translate(locale, key, undefined, options)
        : translate(locale, key, options, defaultMessage),
    changeLocale: (next) => {
      if (isLocale(next)) setLocale(next);
    },
    getLocale: () => locale,
  };
}
