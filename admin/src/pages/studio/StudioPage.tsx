/**
 * 配置工作室 (`/config/studio`, configure): the list types of each department with their entry
 * counts, a button to create one per department, the other config files, and the history of the config
 * in force (each save, rollback and start-up load, with author, time, reason and changed files) with the diff of each.
 */
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMeta } from '../../meta/MetaContext';
import { useNavigate, useSearchParams } from 'react-router';
import { canGlobal } from '../../access/permissions';
import { Forbidden } from '../../components/Forbidden';
import { formatInstant } from '../../components/format';
import { ErrorState, MetaGate, PageLoading } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta } from '../../meta/types';
import { fetchHistory, fetchHistoryDetail, fetchOverview, type HistoryRow, restoreVersion, STUDIO_KEY, type StudioList } from './api';
import { DiffView, SaveDialog } from './parts';
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

function ChangeDiff({ id }: { id: number }) {
  const detail = useQuery({ queryKey: [...STUDIO_KEY, 'history', id], queryFn: () => fetchHistoryDetail(id) });
  if (detail.isLoading) return <PageLoading />;
  if (detail.error || !detail.data) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  return <DiffView diff={detail.data.diff} />;
}

const kindColor = { save: 'default', rollback: 'orange', start: 'purple' } as const;

function History() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { refetch: refetchMeta } = useMeta();
  const history = useQuery({ queryKey: [...STUDIO_KEY, 'history'], queryFn: fetchHistory });
  // The version in force as the server runs it: the base a rollback is checked against.
  const overview = useQuery({ queryKey: [...STUDIO_KEY, 'overview'], queryFn: fetchOverview });
  const [restoring, setRestoring] = useState<HistoryRow | undefined>();
  if (history.isLoading) return <PageLoading />;
  if (history.error || !history.data) return <ErrorState error={history.error} onRetry={() => void history.refetch()} />;
  const active = overview.data?.version ?? history.data.find((v) => v.active)?.version ?? '';
  const restore = async (reason: string) => {
    if (!restoring) return;
    const saved = await restoreVersion(restoring.version, reason, active);
    message.success(t('studio.saved', { version: saved.version }));
    setRestoring(undefined);
    await queryClient.invalidateQueries({ queryKey: STUDIO_KEY });
    refetchMeta();
  };
  return (
    <>
      <SaveDialog
        open={!!restoring}
        title={t('studio.history.restoreTitle', { version: restoring?.version ?? '' })}
        hint={t('studio.history.restoreHint')}
        okText={t('studio.history.restore')}
        onSave={restore}
        onClose={() => setRestoring(undefined)}
      />
      <Table<HistoryRow>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={history.data}
        expandable={{ expandedRowRender: (v) => <ChangeDiff id={v.id} /> }}
        columns={[
          { key: 'createdAt', title: t('studio.history.time'), render: (_, v) => formatInstant(v.createdAt, locale) },
          { key: 'kind', title: t('studio.history.kind'), render: (_, v) => <Tag color={kindColor[v.kind]}>{t(`studio.history.kinds.${v.kind}`)}</Tag> },
          {
            key: 'version',
            title: t('studio.history.version'),
            render: (_, v) => (
              <Space>
                <code>{v.version}</code>
                {v.active && <Tag color="blue">{t('studio.history.active')}</Tag>}
              </Space>
            ),
          },
          { key: 'author', title: t('studio.history.author'), render: (_, v) => v.author ?? '—' },
          { key: 'reason', title: t('studio.history.reason'), render: (_, v) => v.reason ?? '—' },
          {
            key: 'changed',
            title: t('studio.history.changed'),
            // The first version ever loaded changes every file: the count says more than the list.
            render: (_, v) => (v.previous === null ? t('studio.history.allFiles', { count: v.changed.length }) : v.changed.map((f) => <div key={f}><code>{f}</code></div>)),
          },
          {
            key: 'restore',
            title: '',
            // The version in force may also be an older row's: rolling back to it would change nothing.
            render: (_, v) =>
              v.version === active ? null : (
                <Button size="small" type="link" onClick={() => setRestoring(v)}>
                  {t('studio.history.restore')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
