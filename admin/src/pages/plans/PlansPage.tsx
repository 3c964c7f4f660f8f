/** 任务分工: the division-of-work plans with their task counts by status (GET /api/plans). */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Flex, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router';
import { ErrorState, PageLoading } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { fetchPlans, type TaskStatus } from '../../reports/api';
import { TASK_STATUS_COLOR } from '../reports/shared';

const STATUSES: TaskStatus[] = ['done', 'in-progress', 'overdue', 'not-started'];
const COLOR: Record<string, string | undefined> = { error: '#c62828', success: '#2e7d32', processing: '#1f5fbf' };

export default function PlansPage() {
  const { t } = useI18n();
  const query = useQuery({ queryKey: ['plans'], queryFn: ({ signal }) => fetchPlans(signal) });
  if (query.isLoading) return <PageLoading />;
  if (query.error || !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <Flex vertical gap={16} data-testid="plans">
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t('reports.plans.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('reports.plans.subtitle')}</Typography.Text>
      </div>
      {query.data.map((p) => (
        <Card
          key={p.id}
          size="small"
          title={p.title}
          extra={
            <Flex gap={8}>
              <Link to={`/plans/${encodeURIComponent(p.id)}`}>
                <Button type="primary" size="small">
                  {t('reports.plans.open')}
                </Button>
              </Link>
              <Link to={`/plans/${encodeURIComponent(p.id)}/bulletin`}>
                <Button size="small">{t('reports.plans.bulletin')}</Button>
              </Link>
            </Flex>
          }
        >
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('reports.plans.issuedBy')}>{p.issuedBy}</Descriptions.Item>
            <Descriptions.Item label={t('reports.plans.issuedOn')}>{p.issuedOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('reports.plans.tasks')}>{p.tasks}</Descriptions.Item>
          </Descriptions>
          <Row gutter={16}>
            {STATUSES.map((s) => (
              <Col key={s} xs={12} md={6}>
                <Statistic title={t(`reports.taskStatus.${s}`)} value={p.counts[s] ?? 0} valueStyle={{ color: COLOR[TASK_STATUS_COLOR[s]] }} />
              </Col>
            ))}
          </Row>
        </Card>
      ))}
    </Flex>
  );
}
