import { Tag } from 'antd';
import { useI18n } from '../i18n/I18nContext';
import type { MetaProcedure, MetaState } from '../meta/types';

export function stateColor(state: MetaState | undefined, initial: string): string | undefined {
  if (!state) return undefined;
  if (state.public) return 'green';
  if (state.terminal) return 'default';
  if (state.id === initial) return 'default';
  return 'processing';
}

/** An entry's status as a coloured tag with the state's configured label. */
export function StatusTag({ status, procedure }: { status: string | undefined; procedure: MetaProcedure }) {
  const { locale } = useI18n();
  if (!status) return null;
  const state = procedure.states.find((s) => s.id === status);
  const label = state ? (locale === 'en' ? state.labelEn || state.label : state.label) : status;
  return <Tag color={stateColor(state, procedure.initial)}>{label}</Tag>;
}
