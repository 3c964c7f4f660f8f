/** One plan task with its lead units' status and every progress report; lead units file a report here. */
import { DeleteOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Table, Timeline, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { ErrorState, PageLoading } from '../../components/states';
import { applyServerErrors, explainError } from '../../forms/applyServerErrors';
import { useI18n } from '../../i18n/I18nContext';
import { useMeta } from '../../meta/MetaContext';
import { toApiError } from '../../providers/errors';
import { downloadTaskFile, fetchTask, fileProgress, type ProgressInput, type ReportAttachment, type TaskFile, uploadTaskFile } from '../../reports/api';
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
                      {r.attachments.length ? <ReportFiles planId={planId} no={no} files={r.attachments} /> : null}
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

const webLink = /^https?:\/\//i;

/** A report's files: uploaded ones download through the task, links open in a new tab (only http(s): anything else is shown as text). */
function ReportFiles({ planId, no, files }: { planId: string; no: string; files: ReportAttachment[] }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const download = async (f: { attachmentId: string; name: string }) => {
    try {
      await downloadTaskFile(planId, no, f);
    } catch (error) {
      message.error(toApiError(error).message || t('reports.plans.downloadFailed'));
    }
  };
  return (
    <Flex wrap gap={4} data-testid="report-files">
      {files.map((f) => {
        const { attachmentId, url } = f;
        const key = `${attachmentId ?? url ?? ''}|${f.name}`;
        if (attachmentId)
          return (
            <Button key={key} size="small" type="link" icon={<PaperClipOutlined />} onClick={() => void download({ attachmentId, name: f.name })}>
              {f.name}
            </Button>
          );
        if (url && webLink.test(url))
          return (
            <Typography.Link key={key} href={url} target="_blank" rel="noopener noreferrer" style={{ padding: '0 7px' }}>
              {f.name}
            </Typography.Link>
          );
        return <Typography.Text key={key}>{f.name}</Typography.Text>;
      })}
    </Flex>
  );
}

type Link = { name: string; url: string };
type Values = { department: string; status: 'in-progress' | 'done'; percent?: number; text: string; links?: Link[] };

function ReportForm({ planId, no, units, onDone }: { planId: string; no: string; units: string[]; onDone: () => void }) {
  const { t } = useI18n();
  const { meta } = useMeta();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [general, setGeneral] = useState<string[]>([]);
  const status = Form.useWatch('status', form);
  const [files, setFiles] = useState<UploadFile<TaskFile>[]>([]);
  const save = useMutation({
    mutationFn: (body: ProgressInput) => fileProgress(planId, no, body),
    onSuccess: () => {
      message.success(t('reports.plans.reported'));
      void queryClient.invalidateQueries({ queryKey: ['plans'] });
      onDone();
    },
    onError: (error) => setGeneral(applyServerErrors(form, error, { known: [['department'], ['status'], ['percent'], ['text'], ['attachments']], explain: explainError(t) })),
  });
  const name = (code: string) => meta?.departments.find((d) => d.code === code)?.name ?? code;
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{ department: units[0], status: 'in-progress', percent: 50 }}
      onFinish={(v) => {
        setGeneral([]);
        if (files.some((f) => f.status === 'uploading')) return void message.warning(t('reports.plans.uploading'));
        const attachments: ReportAttachment[] = [
          ...files.flatMap((f) => (f.status === 'done' && f.response ? [{ name: f.response.filename, attachmentId: f.response.id }] : [])),
          ...(v.links ?? []).map((l) => ({ name: l.name.trim(), url: l.url.trim() })),
        ];
        save.mutate({ text: v.text, status: v.status, percent: v.status === 'done' ? 100 : v.percent, attachments, department: units.length > 1 ? v.department : undefined });
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
      <Form.Item label={t('reports.plans.files')} extra={t('reports.plans.uploadHint')}>
        <Upload<TaskFile>
          fileList={files}
          onChange={({ fileList }) => setFiles(fileList)}
          customRequest={({ file, onSuccess, onError }) => {
            if (!(file instanceof File)) return;
            uploadTaskFile(planId, no, file, units.length > 1 ? form.getFieldValue('department') : undefined).then(
              (stored) => onSuccess?.(stored),
              (error: unknown) => {
                message.error(`${file.name}：${toApiError(error).message || t('reports.plans.uploadFailed')}`);
                onError?.(error instanceof Error ? error : new Error(String(error)));
              },
            );
          }}
        >
          <Button icon={<UploadOutlined />}>{t('reports.plans.upload')}</Button>
        </Upload>
      </Form.Item>
      <Form.List name="links">
        {(fields, { add, remove }) => (
          <Form.Item label={t('reports.plans.links')}>
            <Flex vertical gap={8}>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="start">
                  <Form.Item name={[field.name, 'name']} noStyle rules={[{ required: true, whitespace: true, message: t('reports.plans.linkNameRequired') }]}>
                    <Input placeholder={t('reports.plans.linkName')} maxLength={200} style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'url']} noStyle rules={[{ required: true, pattern: webLink, message: t('reports.plans.linkUrlInvalid') }]}>
                    <Input placeholder={t('reports.plans.linkUrl')} maxLength={2000} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} aria-label={t('reports.plans.removeLink')} onClick={() => remove(field.name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', url: '' })} style={{ alignSelf: 'start' }}>
                {t('reports.plans.addLink')}
              </Button>
            </Flex>
          </Form.Item>
        )}
      </Form.List>
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
