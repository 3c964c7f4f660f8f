/**
 * 季度通报 of a plan (GET /api/plans/:id/bulletin): each unit's tasks (lead or co) with status and
 * latest report as at the quarter's end; quarter selector, xlsx export, print.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Table, Tag, Typography } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorState, PageLoading } from '../../components/states';
import { todayIn } from '../../entries/due';
import { useI18n } from '../../i18n/I18nContext';
import { useMeta } from '../../meta/MetaContext';
import { type BulletinLine, bulletinUrl, fetchBulletin } from '../../reports/api';
import { ExportButton, PeriodSelector, PrintButton, TaskStatusTag } from '../reports/shared';
import '../reports/print.css';

export default function BulletinPage() {
  const { t } = useI18n();
  const { meta } = useMeta();
  const { planId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const quarter = params.get('quarter') ?? undefined;
  const query = useQuery({ queryKey: ['plans', planId, 'bulletin', quarter ?? ''], queryFn: ({ signal }) => fetchBulletin(planId, quarter, signal) });
  if (query.isLoading) return <PageLoading />;
  if (query.error || !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const b = query.data;
  return (
    <Flex vertical gap={16} className="report-page" data-testid="bulletin">
      <Flex justify="space-between" align="end" wrap gap={8}>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t('reports.plans.bulletinTitle', { plan: b.plan.title, quarter: b.quarter.label })}
          </Typography.Title>
          <Typography.Text type="secondary">
            {b.plan.issuedBy} · {b.quarter.start} — {b.quarter.last} · {t('reports.asOf', { date: b.asOf })}
          </Typography.Text>
        </div>
        <Flex gap={8} wrap className="no-print">
          <PeriodSelector kinds={['quarter']} value={b.quarter.key} today={todayIn(meta?.platform.timezone)} onChange={(q) => setParams({ quarter: q })} />
          <ExportButton url={bulletinUrl(b.plan.id, b.quarter.key)} filename={`任务进展通报-${b.plan.id}-${b.quarter.key}.xlsx`} />
          <PrintButton />
          <Link to={`/plans/${encodeURIComponent(b.plan.id)}`}>
            <Button type="link">{t('reports.plans.open')}</Button>
          </Link>
        </Flex>
      </Flex>
      {b.units.map((u) => (
        <Card
          key={u.department}
          size="small"
          title={u.name}
          extra={
            <Typography.Text type="secondary">
              {t('reports.plans.unitSummary', { done: u.counts.done ?? 0, progress: u.counts['in-progress'] ?? 0, overdue: u.counts.overdue ?? 0, notStarted: u.counts['not-started'] ?? 0 })}
            </Typography.Text>
          }
          styles={{ body: { padding: 0 } }}
        >
          <Table<BulletinLine>
            size="small"
            rowKey={(l) => `${l.no}-${l.role}`}
            dataSource={u.tasks}
            pagination={false}
            columns={[
              { key: 'no', title: t('reports.plans.no'), dataIndex: 'no', width: 70 },
              { key: 'role', title: t('reports.plans.role'), width: 70, render: (_, l) => <Tag color={l.role === 'lead' ? 'blue' : 'default'}>{l.roleLabel}</Tag> },
              { key: 'text', title: t('reports.plans.text'), render: (_, l) => <Typography.Paragraph ellipsis={{ rows: 2, tooltip: l.text }} style={{ margin: 0 }}>{l.text}</Typography.Paragraph> },
              { key: 'deadline', title: t('reports.plans.deadline'), dataIndex: 'deadline', width: 110 },
              { key: 'status', title: t('reports.plans.status'), width: 120, render: (_, l) => <Flex gap={4}><TaskStatusTag status={l.status} />{l.late ? <Typography.Text type="warning">{t('reports.plans.late')}</Typography.Text> : null}</Flex> },
              { key: 'latest', title: t('reports.plans.latest'), width: 280, render: (_, l) => (l.latestReport ? `${l.latestReport.reportedOn} ${l.latestReport.percent}% ${l.latestReport.text}` : '—') },
              { key: 'n', title: t('reports.plans.reportsInQuarter'), dataIndex: 'reportsInQuarter', width: 100, align: 'right' },
            ]}
          />
        </Card>
      ))}
    </Flex>
  );
}
