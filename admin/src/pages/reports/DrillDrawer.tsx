/** The late or failing items behind one department's indicator (GET /api/reports/assessment/:dept/:indicator). */
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { ErrorState, PageLoading } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { entryShowRoute } from '../../meta/resources';
import { type DepartmentResult, type DrillItem, fetchAssessmentItems, type IndicatorResult } from '../../reports/api';
import { percent } from '../../reports/period';

export function DrillDrawer({ period, department, indicator, onClose }: { period: string; department: DepartmentResult; indicator: IndicatorResult; onClose: () => void }) {
  const { t } = useI18n();
  const query = useQuery({
    queryKey: ['reports', 'assessment-items', period, department.department, indicator.id],
    queryFn: ({ signal }) => fetchAssessmentItems(period, department.department, indicator.id, signal),
  });
  const data = query.data;
  const isPlan = indicator.kind === 'plan-tasks-on-time';
  return (
    <Drawer open width={960} onClose={onClose} title={t('reports.drill.title', { department: department.name, indicator: indicator.name })} destroyOnHidden>
      {query.isLoading ? <PageLoading /> : null}
      {query.error ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : null}
      {data ? (
        <>
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }} bordered>
            <Descriptions.Item label={t('reports.assessment.value')}>{percent(data.value)}</Descriptions.Item>
            <Descriptions.Item label={t('reports.assessment.points')}>
              {t('reports.drill.summary', { numerator: data.numerator, denominator: data.denominator, points: data.points.toFixed(2), weight: data.indicator.weight })}
            </Descriptions.Item>
            <Descriptions.Item label={t('reports.assessment.definition')} span={2}>
              {data.indicator.definition}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph strong data-testid="drill-count">
            {t('reports.drill.count', { total: data.total })}
          </Typography.Paragraph>
          {data.total > data.items.length ? <Alert type="warning" showIcon message={t('reports.drill.truncated', { limit: data.limit })} style={{ marginBottom: 12 }} /> : null}
          <Table<DrillItem>
            size="small"
            rowKey="itemId"
            dataSource={data.items}
            locale={{ emptyText: t('reports.drill.empty') }}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            columns={[
              {
                key: 'subject',
                title: isPlan ? t('reports.plans.text') : t('reports.drill.subject'),
                render: (_, r) =>
                  r.entryId && r.listId && !isPlan ? <Link to={entryShowRoute(r.listId, r.entryId)}>{r.subjectName ?? r.entryId}</Link> : (r.subjectName ?? r.itemId),
              },
              { key: 'code', title: isPlan ? t('reports.plans.no') : t('reports.drill.code'), dataIndex: 'subjectCode', render: (v: string | null) => (v ? <code>{v}</code> : '—') },
              {
                key: 'list',
                title: t('reports.drill.list'),
                dataIndex: 'listName',
                render: (v: string | null) => (
                  <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 200 }}>
                    {v ?? '—'}
                  </Typography.Text>
                ),
              },
              { key: 'start', title: t('reports.drill.start'), dataIndex: 'startDate', render: (v: string | null) => v ?? '—' },
              { key: 'due', title: t('reports.drill.due'), dataIndex: 'due', render: (v: string | null) => v ?? '—' },
              { key: 'done', title: t('reports.drill.done'), dataIndex: 'done', render: (v: string | null) => v ?? '—' },
              { key: 'late', title: t('reports.drill.late'), dataIndex: 'workingDaysLate', align: 'right', render: (v: number | null) => (v === null ? '—' : v) },
              { key: 'status', title: t('reports.drill.status'), render: (_, r) => <Tag color={r.status === 'late' ? 'orange' : 'red'}>{r.statusLabel}</Tag> },
              { key: 'note', title: t('reports.drill.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
            ]}
          />
        </>
      ) : null}
    </Drawer>
  );
}
