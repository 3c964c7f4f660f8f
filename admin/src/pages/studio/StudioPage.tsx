/**
 * 配置工作室 (`/config/studio`, configure): the list types of each department with their entry
 * counts, a button to create one per department, the other config files as YAML, and the history of config versions (author,
 * time, reason, changed files) with the diff of each.
 */
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMeta } from '../../meta/MetaContext';
import { toApiError } from '../../providers/errors';
import { useNavigate, useSearchParams } from 'react-router';
import { canGlobal } from '../../access/permissions';
import { Forbidden } from '../../components/Forbidden';
import { formatInstant } from '../../components/format';
import { ErrorState, MetaGate, PageLoading } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta } from '../../meta/types';
import { fetchOverview, fetchVersion, fetchVersions, restoreVersion, STUDIO_KEY, type StudioList, type VersionRow } from './api';
import { DiffView } from './parts';
import { SettingsFilesTab } from './SettingsFilesTab';

export default function StudioPage() {
  return <MetaGate>{(meta) => (canGlobal(meta, 'configure') ? <Studio meta={meta} /> : <Forbidden />)}</MetaGate>;
}

function Studio({ meta }: { meta: Meta }) {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = (['files', 'history'] as const).find((k) => k === params.get('tab')) ?? 'lists';
  return (
    <Flex vertical gap={8}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t('studio.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('studio.subtitle')}</Typography.Text>
      </div>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={[
          { key: 'lists', label: t('studio.tabs.lists'), children: <ListsByDepartment meta={meta} /> },
          { key: 'files', label: t('studio.tabs.files'), children: <SettingsFilesTab /> },
          { key: 'history', label: t('studio.tabs.history'), children: <History /> },
        ]}
      />
    </Flex>
  );
}

function ListsByDepartment({ meta }: { meta: Meta }) {
  const { t, pick } = useI18n();
  const navigate = useNavigate();
  const overview = useQuery({ queryKey: [...STUDIO_KEY, 'overview'], queryFn: fetchOverview });
  if (overview.isLoading) return <PageLoading />;
  if (overview.error || !overview.data) return <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />;
  const { lists, version } = overview.data;
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('studio.version', { version })}</Typography.Text>
      {/* Departments with list types first, then the others (config order inside each). */}
      {[...meta.departments.filter((d) => lists.some((l) => l.department === d.code)), ...meta.departments.filter((d) => !lists.some((l) => l.department === d.code))].map((d) => {
        const own = lists.filter((l) => l.department === d.code);
        const name = pick(d.name, d.nameEn);
        return (
          <Card
            key={d.code}
            size="small"
            title={
              <Space>
                {name}
                <Typography.Text type="secondary" code>
                  {d.code}
                </Typography.Text>
              </Space>
            }
            extra={
              <Button size="small" icon={<PlusOutlined />} aria-label={t('studio.newFor', { department: name })} onClick={() => navigate(`/config/studio/lists/_new?department=${encodeURIComponent(d.code)}`)}>
                {t('studio.new')}
              </Button>
            }
          >
            {own.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('studio.noLists')} />
            ) : (
              <Table<StudioList>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={own}
                columns={[
                  { key: 'name', title: t('studio.labels.name'), render: (_, l) => pick(l.name, l.nameEn ?? undefined) },
                  { key: 'id', title: t('studio.labels.id'), render: (_, l) => <code>{l.id}</code> },
                  { key: 'kind', title: t('studio.labels.kind'), render: (_, l) => t(`kinds.list.${l.kind}`) },
                  { key: 'status', title: t('studio.labels.status'), render: (_, l) => <Tag color={l.status === 'active' ? 'green' : undefined}>{t(`studio.status.${l.status}`)}</Tag> },
                  { key: 'entries', title: t('studio.entries'), align: 'right', render: (_, l) => l.entries },
                  {
                    key: 'edit',
                    title: '',
                    render: (_, l) => (
                      <Button size="small" type="link" icon={<EditOutlined />} aria-label={`${t('studio.edit')} ${l.id}`} onClick={() => navigate(`/config/studio/lists/${l.id}`)}>
                        {t('studio.edit')}
                      </Button>
                    ),
                  },
                ]}
              />
            )}
          </Card>
        );
      })}
    </Flex>
  );
}

function VersionDiff({ version }: { version: string }) {
  const detail = useQuery({ queryKey: [...STUDIO_KEY, 'version', version], queryFn: () => fetchVersion(version) });
  if (detail.isLoading) return <PageLoading />;
  if (detail.error || !detail.data) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  return <DiffView diff={detail.data.diff} />;
}

function History() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { refetch: refetchMeta } = useMeta();
  const versions = useQuery({ queryKey: [...STUDIO_KEY, 'versions'], queryFn: fetchVersions });
  const [restoring, setRestoring] = useState<VersionRow | undefined>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  if (versions.isLoading) return <PageLoading />;
  if (versions.error || !versions.data) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;
  const active = versions.data.find((v) => v.active)?.version ?? '';
  const restore = async () => {
    if (!restoring) return;
    setBusy(true);
    try {
      const saved = await restoreVersion(restoring.version, reason, active);
      message.success(t('studio.saved', { version: saved.version }));
      setRestoring(undefined);
      await queryClient.invalidateQueries({ queryKey: STUDIO_KEY });
      refetchMeta();
    } catch (error) {
      // Refused changes carry their reasons (e.g. a list type with entries that the old version lacks).
      const e = toApiError(error);
      const details = Array.isArray(e.details) ? (e.details as { message?: string }[]).map((d) => d.message).filter(Boolean) : [];
      message.error([e.message, ...details].join('；'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
    <Modal
      open={!!restoring}
      title={t('studio.history.restoreTitle', { version: restoring?.version ?? '' })}
      okText={t('studio.history.restore')}
      cancelText={t('studio.cancel')}
      okButtonProps={{ disabled: reason.trim().length < 2, loading: busy }}
      onOk={() => void restore()}
      onCancel={() => setRestoring(undefined)}
    >
      <Typography.Paragraph type="secondary">{t('studio.history.restoreHint')}</Typography.Paragraph>
      <Input.TextArea aria-label={t('studio.reason')} placeholder={t('studio.reason')} value={reason} onChange={(e) => setReason(e.target.value)} autoSize={{ minRows: 2 }} maxLength={500} />
    </Modal>
    <Table<VersionRow>
      size="small"
      rowKey="version"
      pagination={false}
      dataSource={versions.data}
      expandable={{ expandedRowRender: (v) => <VersionDiff version={v.version} /> }}
      columns={[
        { key: 'createdAt', title: t('studio.history.time'), render: (_, v) => formatInstant(v.createdAt, locale) },
        { key: 'version', title: t('studio.history.version'), render: (_, v) => <Space><code>{v.version}</code>{v.active && <Tag color="blue">{t('studio.history.active')}</Tag>}</Space> },
        { key: 'author', title: t('studio.history.author'), render: (_, v) => v.author ?? '—' },
        { key: 'reason', title: t('studio.history.reason'), render: (_, v) => v.reason ?? '—' },
        { key: 'changed', title: t('studio.history.changed'), render: (_, v) => v.changed.map((f) => <div key={f}><code>{f}</code></div>) },
        {
          key: 'restore',
          title: '',
          render: (_, v) =>
            v.active ? null : (
              <Button size="small" type="link" onClick={() => { setReason(''); setRestoring(v); }}>
                {t('studio.history.restore')}
              </Button>
            ),
        },
      ]}
    />
    </>
  );
}
