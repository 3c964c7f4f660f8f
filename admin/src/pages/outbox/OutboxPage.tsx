/**
 * 数据推送 (`/system/outbox`, view-audit): delivery of publication changes to other systems —
 * counts per endpoint, the messages by status (dead letters among them), and requeueing a dead
 * letter (configure), confirmed first.
 */
import { useQuery } from '@tanstack/react-query';
import { App, Badge, Button, Card, Col, Flex, Popconfirm, Row, Segmented, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { canGlobal } from '../../access/permissions';
import { Forbidden } from '../../components/Forbidden';
import { formatInstant } from '../../components/format';
import { EmptyState, ErrorState, MetaGate } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta } from '../../meta/types';
import { toApiError } from '../../providers/errors';
import { apiRequest, requestJson } from '../../providers/http';

export interface OutboxMessage {
  id: number;
  event: string;
  entryId: string | null;
  endpoint: string;
  idempotencyKey: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  payload: Record<string, unknown>;
}

export interface EndpointSummary {
  id: string;
  name: string;
  url: string | null;
  enabled: boolean;
  pending: number;
  delivered: number;
  dead: number;
}

type StatusFilter = 'all' | OutboxMessage['status'];
const PAGE = 20;
const EVENTS = ['published', 'corrected', 'repaired', 'revoked', 'exited', 'reinstated'];

export default function OutboxPage() {
  return <MetaGate>{(meta) => (canGlobal(meta, 'view-audit') ? <Outbox meta={meta} /> : <Forbidden />)}</MetaGate>;
}

function Outbox({ meta }: { meta: Meta }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [status, setStatus] = useState<StatusFilter>('dead');
  const [endpoint, setEndpoint] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const canRequeue = canGlobal(meta, 'configure');
  const when = (v: string | null) => formatInstant(v, locale, meta.platform.timezone);

  const summary = useQuery({ queryKey: ['credit-lists', 'outbox-summary'], queryFn: ({ signal }) => requestJson<EndpointSummary[]>('/api/outbox/summary', { signal }) });
  const messages = useQuery({
    queryKey: ['credit-lists', 'outbox', status, endpoint, page],
    queryFn: async ({ signal }) => {
      const q = new URLSearchParams({ _start: String((page - 1) * PAGE), _end: String(page * PAGE) });
      if (status !== 'all') q.set('status', status);
      if (endpoint) q.set('endpoint', endpoint);
      const res = await apiRequest<OutboxMessage[]>(`/api/outbox?${q}`, { signal });
      return { rows: res.data, total: Number(res.headers.get('x-total-count') ?? res.data.length) };
    },
  });
  const endpointName = (id: string) => summary.data?.find((e) => e.id === id)?.name ?? id;

  const requeue = async (m: OutboxMessage) => {
    try {
      await requestJson(`/api/outbox/${m.id}/requeue`, { method: 'POST' });
      message.success(t('outbox.requeued'));
      void messages.refetch();
      void summary.refetch();
    } catch (error) {
      message.error(toApiError(error).message);
    }
  };

  const statusBadge = (s: OutboxMessage['status']) => <Badge status={s === 'delivered' ? 'success' : s === 'dead' ? 'error' : 'processing'} text={t(`outbox.${s}`)} />;

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t('outbox.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('outbox.subtitle')}</Typography.Text>
      </div>
      {summary.isError ? (
        <ErrorState error={summary.error} title={t('outbox.errorTitle')} onRetry={() => void summary.refetch()} />
      ) : (
        <Row gutter={[16, 16]}>
          {(summary.data ?? []).map((e) => (
            <Col key={e.id} xs={24} lg={12}>
              <Card
                size="small"
                data-testid={`outbox-endpoint-${e.id}`}
                title={e.name}
                extra={e.enabled ? <Tag color="green">{t('outbox.enabled')}</Tag> : <Tag>{t('outbox.disabled')}</Tag>}
                hoverable
                onClick={() => {
                  setEndpoint(endpoint === e.id ? undefined : e.id);
                  setPage(1);
                }}
                style={endpoint === e.id ? { borderColor: '#1f5fbf' } : undefined}
              >
                <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }} ellipsis>
                  {e.url ?? e.id}
                </Typography.Text>
                <Flex gap={32}>
                  <Statistic title={t('outbox.pending')} value={e.pending} />
                  <Statistic title={t('outbox.delivered')} value={e.delivered} />
                  <Statistic title={t('outbox.dead')} value={e.dead} valueStyle={e.dead ? { color: '#cf1322' } : undefined} />
                </Flex>
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Card
        styles={{ body: { padding: 0 } }}
        title={
          <Segmented<StatusFilter>
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={(['dead', 'pending', 'delivered', 'all'] as const).map((s) => ({ value: s, label: t(`outbox.${s}`) }))}
          />
        }
        extra={endpoint ? <Tag closable onClose={() => setEndpoint(undefined)}>{endpointName(endpoint)}</Tag> : null}
      >
        {messages.isError ? (
          <ErrorState error={messages.error} title={t('outbox.errorTitle')} onRetry={() => void messages.refetch()} />
        ) : (
          <Table<OutboxMessage>
            rowKey="id"
            loading={messages.isLoading}
            dataSource={messages.data?.rows ?? []}
            scroll={{ x: 'max-content' }}
            pagination={{ current: page, pageSize: PAGE, total: messages.data?.total ?? 0, showSizeChanger: false, onChange: setPage, showTotal: (total: number) => t('common.total', { total }) }}
            locale={{ emptyText: <EmptyState title={t('outbox.empty')} /> }}
            expandable={{ expandedRowRender: (m) => <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(m.payload, null, 2)}</pre> }}
            columns={[
              { key: 'createdAt', dataIndex: 'createdAt', title: t('outbox.createdAt'), render: when },
              { key: 'event', dataIndex: 'event', title: t('outbox.event'), render: (v: string) => (EVENTS.includes(v) ? t(`outbox.events.${v}`) : v) },
              { key: 'endpoint', dataIndex: 'endpoint', title: t('outbox.endpoint'), render: endpointName },
              { key: 'status', dataIndex: 'status', title: t('outbox.status'), render: statusBadge },
              { key: 'attempts', dataIndex: 'attempts', title: t('outbox.attempts') },
              {
                key: 'next',
                title: t('outbox.nextAttemptAt'),
                render: (_, m) => (m.status === 'pending' ? when(m.nextAttemptAt) : m.status === 'delivered' ? when(m.deliveredAt) : '—'),
              },
              {
                key: 'lastError',
                dataIndex: 'lastError',
                title: t('outbox.lastError'),
                render: (v: string | null) => (v ? <Typography.Text type="danger" ellipsis style={{ maxWidth: 280 }} title={v}>{v}</Typography.Text> : '—'),
              },
              { key: 'key', dataIndex: 'idempotencyKey', title: t('outbox.idempotencyKey'), render: (v: string) => <Typography.Text code copyable>{v}</Typography.Text> },
              {
                key: 'actions',
                title: t('common.operations'),
                render: (_, m) =>
                  m.status === 'dead' && canRequeue ? (
                    <Popconfirm title={t('outbox.requeueTitle')} description={t('outbox.requeueDescription')} okText={t('outbox.requeue')} cancelText={t('buttons.cancel')} onConfirm={() => requeue(m)}>
                      <Button type="link" size="small">
                        {t('outbox.requeue')}
                      </Button>
                    </Popconfirm>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
    </Flex>
  );
}
