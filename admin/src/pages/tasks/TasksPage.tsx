/**
 * 待我处理 (`/tasks`): drafts waiting for their next step, notices whose statement period is over
 * (ready to recognise), published entries with an objection or a repair application waiting
 * (from staff or the public portal), and published entries whose term ends within 30 days. One request per
 * list type and kind of task; dates are compared here (entries/queue.ts).
 */
import { ReloadOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Flex, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { DueTag } from '../../components/DueBadges';
import { Forbidden } from '../../components/Forbidden';
import { formatDay } from '../../components/format';
import { EmptyState, MetaGate } from '../../components/states';
import { StatusTag } from '../../components/StatusTag';
import { listEntries } from '../../entries/api';
import { activeDueItems, todayIn } from '../../entries/due';
import { nextDraftTransitions, QUEUE_PAGE, selectTasks, TASK_KINDS, type TaskKind, type TaskQuery, taskQueries } from '../../entries/queue';
import type { Entry } from '../../entries/types';
import { useI18n } from '../../i18n/I18nContext';
import { entryShowRoute } from '../../meta/resources';
import type { Meta, MetaList } from '../../meta/types';
import { toApiError } from '../../providers/errors';

export default function TasksPage() {
  return <MetaGate>{(meta) => <Tasks meta={meta} />}</MetaGate>;
}

interface Row {
  key: string;
  list: MetaList;
  entry: Entry;
  query: TaskQuery;
}

const nextStep = { noticeEnded: 'tasks.nextRecognise', termEnding: 'tasks.nextExit', objections: 'tasks.nextObjection', repairs: 'tasks.nextRepair' } as const;

function Tasks({ meta }: { meta: Meta }) {
  const { t, pick, locale } = useI18n();
  const today = todayIn(meta.platform.timezone);
  const queries = useMemo(() => taskQueries(meta), [meta]);
  const lists = useMemo(() => new Map(meta.lists.map((l) => [l.id, l])), [meta.lists]);
  const [active, setActive] = useState<TaskKind>('drafts');

  const results = useQueries({
    queries: queries.map((q) => ({
      queryKey: ['credit-lists', 'tasks', q.kind, q.listId, q.statuses.join(','), q.filters],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        listEntries(
          q.listId,
          { ...q.filters, status: q.statuses.join(','), _start: '0', _end: String(QUEUE_PAGE), _sort: q.sort.field, _order: q.sort.order },
          signal,
        ),
      retry: false,
      // Fetched again whenever the page opens: the user has usually just acted on one of these entries.
      staleTime: 0,
    })),
  });

  const rows = useMemo(() => {
    const byKind: Record<TaskKind, Row[]> = { drafts: [], noticeEnded: [], termEnding: [], objections: [], repairs: [] };
    queries.forEach((q, i) => {
      const list = lists.get(q.listId);
      const data = results[i]?.data?.data;
      if (!list || !data) return;
      for (const entry of selectTasks(q, data, meta, today)) byKind[q.kind].push({ key: `${q.kind}:${entry.id}`, list, entry, query: q });
    });
    byKind.termEnding.sort((a, b) => (a.entry.due.term_end ?? '').localeCompare(b.entry.due.term_end ?? ''));
    byKind.noticeEnded.sort((a, b) => (a.entry.due.notice_end ?? '').localeCompare(b.entry.due.notice_end ?? ''));
    return byKind;
  }, [queries, results, lists, meta, today]);

  if (!queries.length) return <Forbidden description={t('tasks.none')} />;

  const failed = queries
    .map((q, i) => ({ q, r: results[i] }))
    .filter((x) => x.r?.isError);
  const loading = results.some((r) => r.isLoading);
  const truncated = queries.some((_, i) => (results[i]?.data?.total ?? 0) > QUEUE_PAGE);
  const kinds = TASK_KINDS.filter((k) => queries.some((q) => q.kind === k));
  const current = kinds.includes(active) ? active : (kinds[0] ?? 'drafts');

  const columns = (kind: TaskKind) => [
    {
      key: 'subject',
      title: t('entries.subject'),
      render: (_: unknown, row: Row) => (
        <Flex vertical>
          <Link to={entryShowRoute(row.list.id, row.entry.id)}>{row.entry.subject?.name}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
            {row.entry.subject?.code}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'list',
      title: t('tasks.listType'),
      render: (_: unknown, row: Row) => pick(row.list.name, row.list.nameEn),
    },
    {
      key: 'status',
      title: t('entries.status'),
      render: (_: unknown, row: Row) => <StatusTag status={row.entry.status} procedure={row.list.procedure} />,
    },
    {
      key: 'when',
      title: t(kind === 'drafts' ? 'entries.createdAt' : kind === 'noticeEnded' ? 'tasks.noticeEnd' : kind === 'termEnding' ? 'tasks.termEnd' : 'tasks.updatedAt'),
      render: (_: unknown, row: Row) => {
        if (kind === 'drafts') return formatDay(row.entry.createdAt, meta.platform.timezone);
        if (kind === 'objections' || kind === 'repairs') return formatDay(row.entry.updatedAt, meta.platform.timezone);
        const clockId = kind === 'noticeEnded' ? 'notice_end' : 'term_end';
        const item = activeDueItems(row.entry, row.list.procedure, row.list.clocks, today).find((d) => d.clockId === clockId);
        return item ? <DueTag item={item} /> : (row.entry.due[clockId] ?? '—');
      },
    },
    {
      key: 'next',
      title: t('tasks.next'),
      render: (_: unknown, row: Row) => {
        const labels =
          kind === 'drafts'
            ? nextDraftTransitions(row.list, meta, row.entry.department).map((tr) => (locale === 'en' ? tr.labelEn || tr.label : tr.label))
            : [t(nextStep[kind])];
        return (
          <Flex gap={4} wrap>
            {[...new Set(labels)].map((l) => (
              <Tag key={l} color="blue">
                {l}
              </Tag>
            ))}
          </Flex>
        );
      },
    },
    {
      key: 'open',
      title: t('common.operations'),
      render: (_: unknown, row: Row) => (
        <Link to={entryShowRoute(row.list.id, row.entry.id)}>
          <Button size="small" type="primary" ghost>
            {t('tasks.handle')}
          </Button>
        </Link>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="flex-end" wrap gap={8}>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t('tasks.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('tasks.subtitle', { today })}</Typography.Text>
        </div>
        <Button icon={<ReloadOutlined />} loading={results.some((r) => r.isFetching)} onClick={() => results.forEach((r) => void r.refetch())}>
          {t('buttons.refresh')}
        </Button>
      </Flex>
      {failed.length ? (
        <Alert
          type="warning"
          showIcon
          message={t('tasks.partialError')}
          description={failed
            .map(({ q, r }) => `${pick(lists.get(q.listId)?.name ?? q.listId, lists.get(q.listId)?.nameEn)}：${toApiError(r?.error).message || toApiError(r?.error).code}`)
            .join('；')}
        />
      ) : null}
      {truncated ? <Alert type="info" showIcon message={t('tasks.truncated', { count: QUEUE_PAGE })} /> : null}
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={current}
          onChange={(k) => setActive(k as TaskKind)}
          items={kinds.map((kind) => ({
            key: kind,
            label: (
              <span>
                {t(`tasks.kinds.${kind}`)}{' '}
                <Badge count={rows[kind].length} showZero color={rows[kind].length ? (kind === 'drafts' ? '#1f5fbf' : '#fa8c16') : '#bfbfbf'} overflowCount={999} />
              </span>
            ),
            children: (
              <Flex vertical gap={8}>
                <Typography.Text type="secondary">{t(`tasks.hints.${kind}`)}</Typography.Text>
                <Table<Row>
                  rowKey="key"
                  size="middle"
                  loading={loading}
                  dataSource={rows[kind]}
                  columns={columns(kind)}
                  pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
                  scroll={{ x: 'max-content' }}
                  locale={{ emptyText: <EmptyState title={t('tasks.emptyTitle')} description={t(`tasks.empty.${kind}`)} /> }}
                />
              </Flex>
            ),
          }))}
        />
      </Card>
    </Flex>
  );
}
