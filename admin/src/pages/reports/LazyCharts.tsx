/** The chart components, fetched with their library only when a page first shows one. */
import { Spin } from 'antd';
import { type ComponentProps, lazy, Suspense } from 'react';
import { useI18n } from '../../i18n/I18nContext';
import type * as C from './Charts';

const load = () => import('./Charts');
const Trend = lazy(() => load().then((m) => ({ default: m.TrendChart })));
const Scores = lazy(() => load().then((m) => ({ default: m.ScoresChart })));
const Values = lazy(() => load().then((m) => ({ default: m.ValuesChart })));

function Fallback({ height }: { height: number }) {
  const { t } = useI18n();
  return (
    <div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin tip={t('reports.dashboard.chartsLoading')}>
        <div style={{ width: 120, height: 40 }} />
      </Spin>
    </div>
  );
}

export function TrendChart(props: ComponentProps<typeof C.TrendChart>) {
  return (
    <Suspense fallback={<Fallback height={props.height ?? 280} />}>
      <Trend {...props} />
    </Suspense>
  );
}

export function ScoresChart(props: ComponentProps<typeof C.ScoresChart>) {
  return (
    <Suspense fallback={<Fallback height={props.height ?? 360} />}>
      <Scores {...props} />
    </Suspense>
  );
}

export function ValuesChart(props: ComponentProps<typeof C.ValuesChart>) {
  return (
    <Suspense fallback={<Fallback height={props.height ?? 280} />}>
      <Values {...props} />
    </Suspense>
  );
}
