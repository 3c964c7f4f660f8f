/**
 * 领导驾驶舱: key numbers of the period's assessment and of the last 12 months' statistics, the
 * department ranking, and charts of the trend, of the totals and of the indicator points per
 * department. The charts come from a lazily loaded chunk (LazyCharts).
 */
import { AlertOutlined, ApartmentOutlined, FallOutlined, RiseOutlined, TrophyOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Flex, Progress, Row, Statistic, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorState, PageLoading } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { type AssessmentReport, fetchAssessment, fetchPlans, fetchStatistics, type StatisticsReport } from '../../reports/api';
import { indicatorRates, scoreSeries, trendSeries } from '../../reports/series';
import { ScoresChart, TrendChart, ValuesChart } from './LazyCharts';
import { PeriodSelector } from './shared';

export default function DashboardPage() {
  const { t, pick } = useI18n();
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? undefined;
  const assessment = useQuery({ queryKey: ['reports', 'assessment', period ?? ''], queryFn: ({ signal }) => fetchAssessment(period, signal) });
  const statistics = useQuery({ queryKey: ['reports', 'statistics', '', '', ''], queryFn: ({ signal }) => fetchStatistics({}, signal) });
  const plans = useQuery({ queryKey: ['plans'], queryFn: ({ signal }) => fetchPlans(signal) });

  if (assessment.isLoading) return <PageLoading />;
  if (assessment.error || !assessment.data) return <ErrorState error={assessment.error} onRetry={() => void assessment.refetch()} />;
  const report = assessment.data;

  return (
    <Flex vertical gap={16} data-testid="dashboard">
      <Flex justify="space-between" align="end" wrap gap={8}>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t('reports.dashboard.title')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('reports.dashboard.subtitle', { period: report.period.label })} · {t('reports.asOf', { date: report.asOf })}
          </Typography.Text>
        </div>
        <Flex gap={8} wrap>
          <PeriodSelector value={report.period.key} today={report.asOf} onChange={(p) => setParams({ period: p })} />
          <Link to={`/reports/assessment?period=${report.period.key}`}>
            <Button type="primary">{t('reports.dashboard.openAssessment')}</Button>
          </Link>
        </Flex>
      </Flex>
      <KeyNumbers report={report} statistics={statistics.data} overdue={plans.data?.reduce((s, p) => s + (p.counts.overdue ?? 0), 0)} tasks={plans.data?.reduce((s, p) => s + p.tasks, 0)} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <RankingCard report={report} />
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('reports.dashboard.rates')} style={{ height: '100%' }}>
            <ValuesChart data={indicatorRates(report, pick)} height={340} max={100} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('reports.dashboard.trend')} extra={<Link to="/reports/statistics">{t('reports.dashboard.openStatistics')}</Link>}>
        {statistics.data ? <TrendChart data={trendSeries(statistics.data)} /> : statistics.error ? <ErrorState error={statistics.error} /> : <PageLoading />}
      </Card>
      <Card size="small" title={t('reports.dashboard.scores')}>
        <ScoresChart data={scoreSeries(report)} height={Math.max(240, report.departments.length * 28 + 80)} />
      </Card>
    </Flex>
  );
}

function KeyNumbers({ report, statistics, overdue, tasks }: { report: AssessmentReport; statistics?: StatisticsReport; overdue?: number; tasks?: number }) {
  const { t } = useI18n();
  const ranking = report.ranking;
  const avg = ranking.length ? ranking.reduce((s, r) => s + r.total, 0) / ranking.length : 0;
  const top = ranking[0];
  const bottom = ranking[ranking.length - 1];
  const total = statistics?.total;
  const cards = [
    { key: 'avg', title: t('reports.dashboard.avgScore'), value: avg.toFixed(2), icon: <ApartmentOutlined />, hint: t('reports.dashboard.departments', { count: ranking.length }) },
    { key: 'top', title: t('reports.dashboard.topDepartment'), value: top ? top.total.toFixed(2) : '—', icon: <TrophyOutlined />, hint: top?.name ?? '' },
    { key: 'bottom', title: t('reports.dashboard.bottomDepartment'), value: bottom ? bottom.total.toFixed(2) : '—', icon: <FallOutlined />, hint: bottom?.name ?? '' },
    { key: 'added', title: t('reports.dashboard.added12'), value: total?.added ?? '—', icon: <RiseOutlined />, hint: total ? `${t('reports.dashboard.published12')} ${total.published}` : '' },
    { key: 'exited', title: t('reports.dashboard.exited12'), value: total?.exited ?? '—', icon: <RiseOutlined />, hint: total ? `${t('reports.dashboard.repaired12')} ${total.repaired}` : '' },
    { key: 'overdue', title: t('reports.dashboard.overdueTasks'), value: overdue ?? '—', icon: <AlertOutlined />, hint: tasks !== undefined ? t('reports.dashboard.planTasks', { count: tasks }) : '', danger: (overdue ?? 0) > 0 },
  ];
  return (
    <Row gutter={[16, 16]}>
      {cards.map((c) => (
        <Col key={c.key} xs={12} md={8} xl={4}>
          <Card size="small" style={{ height: '100%' }} data-testid={`kpi-${c.key}`}>
            <Statistic title={c.title} value={c.value} prefix={c.icon} valueStyle={c.danger ? { color: '#c62828' } : undefined} />
            <Typography.Text type="secondary" ellipsis>
              {c.hint}
            </Typography.Text>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function RankingCard({ report }: { report: AssessmentReport }) {
  const { t } = useI18n();
  const max = report.totalPoints || 100;
  const rows = useMemo(() => report.ranking, [report.ranking]);
  return (
    <Card size="small" title={t('reports.dashboard.ranking')} styles={{ body: { padding: 0 } }} style={{ height: '100%' }}>
      <Table
        size="small"
        rowKey="department"
        dataSource={rows}
        pagination={false}
        scroll={{ y: 320 }}
        columns={[
          { key: 'rank', title: t('reports.assessment.rank'), dataIndex: 'rank', width: 64 },
          { key: 'name', title: t('reports.assessment.department'), dataIndex: 'name' },
          {
            key: 'total',
            title: t('reports.assessment.total'),
            width: 200,
            render: (_, r) => <Progress percent={Math.round((r.total / max) * 1000) / 10} format={() => r.total.toFixed(2)} size="small" />,
          },
        ]}
      />
    </Card>
  );
}
