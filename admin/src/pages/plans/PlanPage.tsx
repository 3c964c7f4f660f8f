/**
 * One plan's tasks (GET /api/plans/:id): number, text, lead and co-units, deadline, status and the
 * latest progress; filter by unit and status. A task opens a drawer with every progress report, and
 * a lead unit's staff file a report there (POST …/tasks/:no/reports).
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Progress, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorState, PageLoading } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { useMeta } from '../../meta/MetaContext';
import { fetchPlan, type PlanTask, type TaskStatus } from '../../reports/api';
import { TaskStatusTag } from '../reports/shared';
import { TaskDrawer } from './TaskDrawer';

const STATUSES: TaskStatus[] = ['overdue', 'in-progress', 'not-started', 'done'];

export default function PlanPage() {
  const { t } = useI18n();
  const { meta } = useMeta();
  const { planId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const department = params.get('department') ?? undefined;
  const status = params.get('status') ?? undefined;
  const [open, setOpen] = useState<string | undefined>();
  const query = useQuery({ queryKey: ['plans', planId, department ?? ''], queryFn: ({ signal }) => fetchPlan(planId, department, signal), placeholderData: (p) => p });

  if (query.isLoading) return <PageLoading />;
  if (query.error || !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const plan = query.data;
  const tasks = status ? plan.tasks.filter((x) => x.status === status) : plan.tasks;
  const set = (next: Record<string, string | undefined>) => {
    const merged = { department, status, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => !!e[1])));
  };

  return (
    <Flex vertical gap={16} className="report-page" data-testid="plan">
      <Flex justify="space-between" align="end" wrap gap={8}>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {plan.title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {plan.issuedBy} · {plan.issuedOn ?? ''} · {t('reports.asOf', { date: plan.asOf })}
          </Typography.Text>
        </div>
        <Flex gap={8} wrap className="no-print">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t('reports.plans.filterDepartment')}
            placeholder={t('reports.plans.filterDepartment')}
            style={{ width: 200 }}
            value={department}
            onChange={(v?: string) => set({ department: v })}
            options={(meta?.departments ?? []).map((d) => ({ value: d.code, label: d.name }))}
          />
          <Select
            allowClear
            aria-label={t('reports.plans.status')}
            placeholder={t('reports.plans.status')}
            style={{ width: 140 }}
            value={status}
            onChange={(v?: string) => set({ status: v })}
            options={STATUSES.map((s) => ({ value: s, label: `${t(`reports.taskStatus.${s}`)} ${plan.counts[s] ?? 0}` }))}
          />
          <Link to={`/plans/${encodeURIComponent(plan.id)}/bulletin`}>
            <Button>{t('reports.plans.bulletin')}</Button>
          </Link>
          <Link to="/plans">
            <Button type="link">{t('reports.plans.back')}</Button>
          </Link>
        </Flex>
      </Flex>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<PlanTask>
          size="small"
          rowKey="no"
          dataSource={tasks}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          onRow={(task) => ({ onClick: () => setOpen(task.no), style: { cursor: 'pointer' } })}
          columns={[
            { key: 'no', title: t('reports.plans.no'), dataIndex: 'no', width: 70 },
            {
              key: 'text',
              title: t('reports.plans.text'),
              render: (_, task) => (
                <Typography.Paragraph ellipsis={{ rows: 2, tooltip: task.text }} style={{ margin: 0 }}>
                  {task.title ? <strong>{task.title} </strong> : null}
                  {task.text}
                </Typography.Paragraph>
              ),
            },
            {
              key: 'lead',
              title: t('reports.plans.lead'),
              width: 180,
              render: (_, task) => (
                <Typography.Paragraph ellipsis={{ rows: 2, tooltip: task.lead.map((u) => u.name).join('、') }} style={{ margin: 0, maxWidth: 170 }}>
                  {task.lead.map((u) => u.name).join('、')}
                </Typography.Paragraph>
              ),
            },
            {
              key: 'co',
              title: t('reports.plans.co'),
              width: 180,
              render: (_, task) => (
                <Typography.Text ellipsis={{ tooltip: task.co.map((u) => u.name).join('、') }} style={{ maxWidth: 170 }}>
                  {task.co.map((u) => u.name).join('、') || '—'}
                </Typography.Text>
              ),
            },
            {
              key: 'deadline',
              title: t('reports.plans.deadline'),
              width: 120,
              render: (_, task) =>
                task.deadlineAssumed ? (
                  <Tooltip title={task.deadlineNote ?? t('reports.plans.deadlineAssumed')}>
                    <span>
                      {task.deadline} <Tag>{t('reports.plans.deadlineAssumed')}</Tag>
                    </span>
                  </Tooltip>
                ) : (
                  task.deadline
                ),
            },
            { key: 'status', title: t('reports.plans.status'), width: 90, render: (_, task) => <TaskStatusTag status={task.status} /> },
            {
              key: 'latest',
              title: t('reports.plans.latest'),
              width: 260,
              render: (_, task) =>
                task.latestReport ? (
                  <Flex vertical gap={2}>
                    <Progress percent={task.latestReport.percent} size="small" />
                    <Typography.Text type="secondary" ellipsis={{ tooltip: task.latestReport.text }} style={{ maxWidth: 250, fontSize: 12 }}>
                      {task.latestReport.reportedOn} {task.latestReport.departmentName}：{task.latestReport.text}
                    </Typography.Text>
                  </Flex>
                ) : (
                  <Typography.Text type="secondary">{t('reports.plans.noReports')}</Typography.Text>
                ),
            },
          ]}
        />
      </Card>
      {open ? <TaskDrawer planId={plan.id} no={open} onClose={() => setOpen(undefined)} /> : null}
    </Flex>
  );
}
