/** One plan task with its lead units' status and every progress report; lead units file a report here. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Table, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { ErrorState, PageLoading } from '../../components/states';
import { applyServerErrors, explainError } from '../../forms/applyServerErrors';
import { useI18n } from '../../i18n/I18nContext';
import { useMeta } from '../../meta/MetaContext';
import { fetchTask, fileProgress, type ProgressInput } from '../../reports/api';
import { filingUnits } from '../../reports/filing';
import { TaskStatusTag } from '../reports/shared';

export function TaskDrawer({ planId, no, onClose }: { planId: string; no: string; onClose: () => void }) {
  const { t } = useI18n();
  const { meta } = useMeta();
  const [filing, setFiling] = useState(false);
  const query = useQuery({ queryKey: ['plans', planId, 'task', no], queryFn: ({ signal }) => fetchTask(planId, no, signal) });
  const task = query.data;
  const units = task ? filingUnits(meta, task.lead.map((u) => u.department)) : [];
  return (
    <Drawer open width={820} onClose={onClose} title={`${t('reports.plans.no')} ${no}${task?.title ? ` · ${task.title}` : ''}`} destroyOnHidden>
      {query.isLoading ? <PageLoading /> : null}
      {query.error ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : null}
      {task ? (
        <Flex vertical gap={16}>
          <Descriptions size="small" column={1} bordered styles={{ label: { width: 110, whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label={t('reports.plans.text')}>{task.text}</Descriptions.Item>
            <Descriptions.Item label={t('reports.plans.lead')}>{task.lead.map((u) => u.name).join('、')}</Descriptions.Item>
            <Descriptions.Item label={t('reports.plans.co')}>{task.co.map((u) => u.name).join('、') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('reports.plans.deadline')}>
              {task.deadline}
              {task.deadlineAssumed ? <Typography.Text type="secondary">（{task.deadlineNote ?? t('reports.plans.deadlineAssumed')}）</Typography.Text> : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('reports.plans.status')}>
              <TaskStatusTag status={task.status} />
            </Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="department"
            title={() => <strong>{t('reports.plans.units')}</strong>}
            dataSource={task.units}
            pagination={false}
            columns={[
              { key: 'name', title: t('reports.plans.lead'), dataIndex: 'name' },
              { key: 'status', title: t('reports.plans.status'), render: (_, u) => <Flex gap={4}><TaskStatusTag status={u.status} />{u.late ? <Typography.Text type="warning">{t('reports.plans.late')}</Typography.Text> : null}</Flex> },
              { key: 'percent', title: t('reports.plans.percent'), render: (_, u) => (u.latestReport ? `${u.latestReport.percent}%` : '—') },
              { key: 'on', title: t('reports.plans.latest'), render: (_, u) => u.latestReport?.reportedOn ?? '—' },
            ]}
          />
          {units.length ? (
            filing ? (
              <ReportForm planId={planId} no={no} units={units} onDone={() => setFiling(false)} />
            ) : (
              <Button type="primary" onClick={() => setFiling(true)} style={{ alignSelf: 'start' }}>
                {t('reports.plans.report')}
              </Button>
            )
          ) : null}
          <div>
            <Typography.Title level={5}>{t('reports.plans.history')}</Typography.Title>
            {task.reports.length ? (
              <Timeline
                items={task.reports.map((r) => ({
                  key: r.id,
                  color: r.status === 'done' ? 'green' : 'blue',
                  children: (
                    <Flex vertical gap={2}>
                      <Typography.Text type="secondary">
                        {t('reports.plans.reportedBy', { unit: r.departmentName, by: r.reportedBy ?? '—', date: r.reportedOn })} · {r.percent}% · {t(`reports.taskStatus.${r.status}`)}
                      </Typography.Text>
                      <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.text}</Typography.Text>
                    </Flex>
                  ),
                }))}
              />
            ) : (
              <Typography.Text type="secondary">{t('reports.plans.noReports')}</Typography.Text>
            )}
          </div>
        </Flex>
      ) : null}
    </Drawer>
  );
}

type Values = { department: string; status: 'in-progress' | 'done'; percent?: number; text: string };

function ReportForm({ planId, no, units, onDone }: { planId: string; no: string; units: string[]; onDone: () => void }) {
  const { t } = useI18n();
  const { meta } = useMeta();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [general, setGeneral] = useState<string[]>([]);
  const status = Form.useWatch('status', form);
  const save = useMutation({
    mutationFn: (body: ProgressInput) => fileProgress(planId, no, body),
    onSuccess: () => {
      message.success(t('reports.plans.reported'));
      void queryClient.invalidateQueries({ queryKey: ['plans'] });
      onDone();
    },
    onError: (error) => setGeneral(applyServerErrors(form, error, { known: [['department'], ['status'], ['percent'], ['text']], explain: explainError(t) })),
  });
  const name = (code: string) => meta?.departments.find((d) => d.code === code)?.name ?? code;
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{ department: units[0], status: 'in-progress', percent: 50 }}
      onFinish={(v) => {
        setGeneral([]);
        save.mutate({ text: v.text, status: v.status, percent: v.status === 'done' ? 100 : v.percent, department: units.length > 1 ? v.department : undefined });
      }}
      style={{ border: '1px solid #f0f0f0', padding: 12, borderRadius: 6 }}
    >
      {units.length > 1 ? (
        <Form.Item name="department" label={t('reports.plans.reportUnit')}>
          <Select options={units.map((u) => ({ value: u, label: name(u) }))} />
        </Form.Item>
      ) : null}
      <Form.Item name="status" label={t('reports.plans.reportStatus')}>
        <Radio.Group options={(['in-progress', 'done'] as const).map((s) => ({ value: s, label: t(`reports.taskStatus.${s}`) }))} />
      </Form.Item>
      {status !== 'done' ? (
        <Form.Item name="percent" label={t('reports.plans.percent')}>
          <InputNumber min={0} max={100} addonAfter="%" />
        </Form.Item>
      ) : null}
      <Form.Item name="text" label={t('reports.plans.reportText')} rules={[{ required: true, min: 2, whitespace: true, message: t('reports.plans.textRequired') }]}>
        <Input.TextArea rows={4} maxLength={10_000} showCount />
      </Form.Item>
      {general.length ? <Alert type="error" showIcon message={general.join('；')} style={{ marginBottom: 12 }} /> : null}
      <Flex gap={8}>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('reports.plans.report')}
        </Button>
        <Button onClick={onDone}>{t('common.close')}</Button>
      </Flex>
    </Form>
  );
}
