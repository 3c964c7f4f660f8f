import { describe, expect, it } from 'vitest';
import en from './en';
import { createI18nProvider, DEFAULT_LOCALE, LOCALE_STORAGE_KEY, loadLocale, pickName, saveLocale, translate } from './index';
import zhCN from './zh-CN';

function keys(node: unknown, prefix = ''): string[] {
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
  );
}

describe('dictionaries', () => {
  it('have the same keys and no empty strings', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
    for (const key of keys(en)) expect(translate('en', key), key).not.toBe('');
  });
});

describe('translate', () => {
  it('is Chinese by default and interpolates', () => {
    expect(DEFAULT_LOCALE).toBe('zh-CN');
    expect(translate('zh-CN', 'menu.groups.record')).toBe('双公示');
    expect(translate('en', 'common.total', { total: 42 })).toBe('42 in total');
    expect(translate('zh-CN', 'errors.server', { status: 502 })).toContain('502');
  });

  it('falls back to the default message, then to the key', () => {
    expect(translate('en', 'no.such.key', undefined, 'Fallback {{n}}')).toBe('Fallback {{n}}');
    expect(translate('en', 'no.such.key', { n: 1 }, 'Fallback {{n}}')).toBe('Fallback 1');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });

  it('serves Refine, which may pass the default message second', () => {
    const provider = createI18nProvider('en', () => {});
    expect(provider.translate('buttons.save')).toBe('Save');
    expect(provider.translate('unknown.key', 'Default text')).toBe('Default text');
    expect(provider.getLocale()).toBe('en');
  });

  it('picks English names only in English and only when present', () => {
    expect(pickName('zh-CN', '税务局', 'Tax Bureau')).toBe('税务局');
    expect(pickName('en', '税务局', 'Tax Bureau')).toBe('Tax Bureau');
    expect(pickName('en', '税务局')).toBe('税务局');
  });
});

describe('locale storage', () => {
  it('remembers a valid choice and ignores anything else', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(loadLocale(storage)).toBe('zh-CN');
    saveLocale('en', storage);
    expect(store.get(LOCALE_STORAGE_KEY)).toBe('en');
    expect(loadLocale(storage)).toBe('en');
    store.set(LOCALE_STORAGE_KEY, 'fr');
    expect(loadLocale(storage)).toBe('zh-CN');
    expect(loadLocale(undefined)).toBe('zh-CN');
  });
});
