/**
 * 审计日志 (`/system/audit`, view-audit): search the hash-chained audit log by actor, action,
 * target and time, see each record's before/after, and verify the whole chain on demand.
 */
import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Flex, Form, Input, Select, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { canGlobal } from '../../access/permissions';
import { Forbidden } from '../../components/Forbidden';
import { formatInstant } from '../../components/format';
import { EmptyState, ErrorState, MetaGate } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta } from '../../meta/types';
import { toApiError } from '../../providers/errors';
import { apiRequest, requestJson } from '../../providers/http';

export interface AuditRecord {
  id: number;
  chain: string;
  seq: number;
  at: string;
  actor: { kind?: string; id?: string; name?: string };
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditVerification {
  ok: boolean;
  records: number;
  chains: number;
  checkpoints: number;
  problems: number;
  firstBroken?: { table: string; id: number; chain: string | null; seq: number | null; reason: string };
  checkedAt: string;
}

type Filters = { actor?: string; actorKind?: string; action?: string; targetType?: string; targetId?: string; time?: [Dayjs | null, Dayjs | null] | null };

const PAGE = 20;

/** The query string of a search: empty filters are left out. */
export function auditQuery(f: Filters, page: number): string {
  const q = new URLSearchParams({ _start: String((page - 1) * PAGE), _end: String(page * PAGE) });
  for (const key of ['actor', 'actorKind', 'action', 'targetType', 'targetId'] as const) {
    const v = f[key]?.trim();
    if (v) q.set(key, v);
  }
  if (f.time?.[0]) q.set('from', f.time[0].toISOString());
  if (f.time?.[1]) q.set('to', f.time[1].toISOString());
  return q.toString();
}

export default function AuditPage() {
  return <MetaGate>{(meta) => (canGlobal(meta, 'view-audit') ? <Audit meta={meta} /> : <Forbidden />)}</MetaGate>;
}

function Audit({ meta }: { meta: Meta }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<AuditVerification | undefined>();
  const [verifyError, setVerifyError] = useState<string | undefined>();
  const query = useQuery({
    queryKey: ['credit-lists', 'audit', filters, page],
    queryFn: async ({ signal }) => {
      const res = await apiRequest<AuditRecord[]>(`/api/audit?${auditQuery(filters, page)}`, { signal });
      return { rows: res.data, total: Number(res.headers.get('x-total-count') ?? res.data.length) };
    },
  });
  const when = (v: string | null) => formatInstant(v, locale, meta.platform.timezone);

  const verify = async () => {
    setVerifying(true);
    setVerifyError(undefined);
    try {
      setVerification(await requestJson<AuditVerification>('/api/audit/verify'));
    } catch (error) {
      setVerifyError(toApiError(error).message);
    } finally {
      setVerifying(false);
    }
  };

  const kinds = ['user', 'api_key', 'system', 'public'] as const;
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="flex-end" wrap gap={8}>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t('audit.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('audit.subtitle')}</Typography.Text>
        </div>
        <Button icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => void verify()} data-testid="audit-verify">
          {verifying ? t('audit.verifying') : t('audit.verify')}
        </Button>
      </Flex>
      {verifyError ? <Alert type="error" showIcon message={verifyError} /> : null}
      {verification ? (
        <Alert
          data-testid="audit-verification"
          type={verification.ok ? 'success' : 'error'}
          showIcon
          message={verification.ok ? t('audit.verifyOk', { records: verification.records, chains: verification.chains, checkpoints: verification.checkpoints }) : t('audit.verifyBroken', { problems: verification.problems })}
          description={
            <>
              {verification.firstBroken ? (
                <div>
                  {t('audit.firstBroken', {
                    table: verification.firstBroken.table,
                    id: verification.firstBroken.id,
                    chain: verification.firstBroken.chain ?? '—',
                    seq: verification.firstBroken.seq ?? '—',
                    reason: t(`audit.reasons.${verification.firstBroken.reason}`),
                  })}
                </div>
              ) : null}
              <Typography.Text type="secondary">{t('audit.checkedAt', { at: when(verification.checkedAt) })}</Typography.Text>
            </>
          }
        />
      ) : null}
      <Card>
        <Form
          form={form}
          layout="inline"
          name="auditSearch"
          onFinish={(values) => {
            setFilters(values);
            setPage(1);
          }}
          style={{ rowGap: 8 }}
        >
          <Form.Item name="actor" label={t('audit.actor')}>
            <Input allowClear placeholder={t('audit.actorPlaceholder')} maxLength={100} />
          </Form.Item>
          <Form.Item name="actorKind" label={t('audit.actorKind')}>
            <Select allowClear style={{ minWidth: 120 }} options={kinds.map((k) => ({ value: k, label: t(`audit.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="action" label={t('audit.action')}>
            <Input allowClear placeholder={t('audit.actionPlaceholder')} maxLength={100} />
          </Form.Item>
          <Form.Item name="targetType" label={t('audit.targetType')}>
            <Input allowClear maxLength={64} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="targetId" label={t('audit.targetId')}>
            <Input allowClear maxLength={100} />
          </Form.Item>
          <Form.Item name="time" label={t('audit.time')}>
            <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item>
            <Flex gap={8}>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('audit.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setFilters({});
                  setPage(1);
                }}
              >
                {t('audit.reset')}
              </Button>
            </Flex>
          </Form.Item>
        </Form>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        {query.isError ? (
          <ErrorState error={query.error} title={t('audit.errorTitle')} onRetry={() => void query.refetch()} />
        ) : (
          <Table<AuditRecord>
            rowKey="id"
            loading={query.isLoading}
            dataSource={query.data?.rows ?? []}
            scroll={{ x: 'max-content' }}
            pagination={{ current: page, pageSize: PAGE, total: query.data?.total ?? 0, showSizeChanger: false, onChange: setPage, showTotal: (total: number) => t('common.total', { total }) }}
            locale={{ emptyText: <EmptyState title={t('audit.empty')} /> }}
            expandable={{
              expandedRowRender: (r) => (
                <Flex gap={16} wrap>
                  <div style={{ flex: 1, minWidth: 280 }}>
                    <Typography.Text strong>{t('audit.before')}</Typography.Text>
                    <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(r.before, null, 2)}</pre>
                  </div>
                  <div style={{ flex: 1, minWidth: 280 }}>
                    <Typography.Text strong>{t('audit.after')}</Typography.Text>
                    <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(r.after, null, 2)}</pre>
                  </div>
                </Flex>
              ),
            }}
            columns={[
              { key: 'at', dataIndex: 'at', title: t('audit.time'), render: when },
              {
                key: 'actor',
                title: t('audit.actor'),
                render: (_, r) => (
                  <span>
                    {r.actor.name ?? r.actor.id ?? '—'}{' '}
                    <Typography.Text type="secondary">({r.actor.kind && (kinds as readonly string[]).includes(r.actor.kind) ? t(`audit.kinds.${r.actor.kind}`) : (r.actor.kind ?? '—')})</Typography.Text>
                  </span>
                ),
              },
              { key: 'action', dataIndex: 'action', title: t('audit.action'), render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
              { key: 'target', title: t('audit.targetType'), render: (_, r) => `${r.targetType}${r.targetId ? ` · ${r.targetId}` : ''}` },
              { key: 'chain', title: t('audit.chain'), render: (_, r) => <Typography.Text type="secondary">{`${r.chain} #${r.seq}`}</Typography.Text> },
            ]}
          />
        )}
      </Card>
    </Flex>
  );
}
