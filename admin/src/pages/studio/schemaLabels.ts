/** The words the generated forms show for the config schema's keys and enum values, falling back to the raw key. */
import { useI18n } from '../../i18n/I18nContext';

export function useSchemaLabels() {
  const { t } = useI18n();
  const known = (key: string, fallback: string) => {
    const text = t(key);
    return text === key ? fallback : text;
  };
  /** `fields.min`: a key whose name means something else elsewhere (the term's `min` is a period). */
  const keyLabel = (k: string) => {
    const last = k.split('.').pop() ?? k;
    const plain = known(`studio.keys.${last}`, last);
    return k.includes('.') ? known(`studio.scopedKeys.${k}`, plain) : plain;
  };
  const valueLabel = (v: string) => known(`studio.values.${v}`, known(`studio.actions.${v}`, v));
  return { keyLabel, valueLabel };
}
