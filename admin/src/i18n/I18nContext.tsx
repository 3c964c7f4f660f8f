import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Locale, loadLocale, pickName, saveLocale, translate } from './index';

export interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  /** Translate a dictionary key, with `{{name}}` interpolation. */
  t: (key: string, options?: Record<string, unknown>, defaultMessage?: string) => string;
  /** Name of a configured object in the current language (`nameEn` in English when present). */
  pick: (name: string, nameEn?: string) => string;
}

const I18nContext = createContext<I18nValue | undefined>(undefined);

export function I18nProviderRoot({ children, initialLocale }: { children: ReactNode; initialLocale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initialLocale ?? loadLocale());

  const setLocale = useCallback((next: Locale) => {
    saveLocale(next);
    setLocaleState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = translate(locale, 'app.title');
  }, [locale]);

  const value = useMemo<I18nValue>(
    () => ({
      locale,
      setLocale,
      t: (key, options, defaultMessage) => translate(locale, key, options, defaultMessage),
      pick: (name, nameEn) => pickName(locale, name, nameEn),
    }),
    [locale, setLocale],
  );

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProviderRoot>');
  return value;
}
