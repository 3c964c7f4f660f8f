/**
 * 异议与信用修复 of one entry: the objections and repair applications with their time limits, and
 * the steps the user may take on them (answer an objection; accept, refuse or reject a repair
 * application — approving a repair is the entry action 信用修复 in the action panel).
 */
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { canList } from '../../access/permissions';
import { formatDay } from '../../components/format';
import { clockKind, daysUntil, dueColor, dueLevel } from '../../entries/due';
import { answerObjection, decideRepair, type RepairDecision } from '../../entries/api';
import type { EntryDetail, Objection, Repair } from '../../entries/types';
import { FieldFormItem, fieldFormNames } from '../../fields/FieldFormItem';
import { fromFormValue, toFormValue } from '../../fields/values';
import { applyServerErrors, explainError } from '../../forms/applyServerErrors';
import type { FieldName } from '../../forms/serverErrors';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta, MetaList } from '../../meta/types';
import { toApiError } from '../../providers/errors';

function DueDate({ date, today, done }: { date: string | null | undefined; today: string; done?: boolean }) {
  const { t } = useI18n();
  if (!date) return <>—</>;
  if (done) return <>{date}</>;
  const level = dueLevel(date, today);
  const days = daysUntil(date, today);
  return (
    <Tag color={dueColor({ kind: clockKind('request_due'), level })}>
      {date} {days < 0 ? t('due.overdueBy', { days: -days }) : days === 0 ? t('due.today') : ''}
    </Tag>
  );
}

type Step =
  | { kind: 'objection'; objection: Objection }
  | { kind: 'repair'; repair: Repair; decision: RepairDecision };

export function RequestsCard({
  entry,
  list,
  meta,
  today,
  onChanged,
}: {
  entry: EntryDetail;
  list: MetaList;
  meta: Meta;
  today: string;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [step, setStep] = useState<Step | undefined>();
  const status = (s: string) => t(`entry.requestStatus.${s}`, undefined, s);
  const date = (v: string | null | undefined) => formatDay(v, meta.platform.timezone);
  const canAnswer = canList(meta, list.id, 'answer-objection', entry.department);
  const canRepair = canList(meta, list.id, 'repair', entry.department);

  const decide = async (repair: Repair, decision: RepairDecision) => {
    try {
      await decideRepair(list.id, entry.id, repair.id, decision, { version: repair.version ?? 1 });
      message.success(t('requests.accepted'));
      onChanged();
    } catch (error) {
      message.error(toApiError(error).message);
      onChanged();
    }
  };

  return (
    <Card size="small" title={t('entry.requests')}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('entry.objections')}
      </Typography.Title>
      <Table<Objection>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={entry.objections ?? []}
        locale={{ emptyText: t('entry.noObjections') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'trackingNo', title: t('entry.trackingNo'), dataIndex: 'trackingNo', render: (v) => v ?? '—' },
          { key: 'content', title: t('entry.objectionContent'), dataIndex: 'content', ellipsis: true, width: 200 },
          { key: 'receivedAt', title: t('entry.receivedAt'), dataIndex: 'receivedAt', render: date },
          { key: 'dueAt', title: t('entry.answerBy'), render: (_, r) => <DueDate date={r.dueAt} today={today} done={!!r.answeredAt} /> },
          { key: 'status', title: t('entries.status'), dataIndex: 'status', render: (s: string) => <Tag>{status(s)}</Tag> },
          {
            key: 'answer',
            title: t('entry.answer'),
            render: (_, r) => [r.result ? status(r.result) : '', r.answer].filter(Boolean).join('：') || '—',
          },
          ...(canAnswer
            ? [
                {
                  key: 'ops',
                  title: t('common.operations'),
                  fixed: 'right' as const,
                  render: (_: unknown, r: Objection) =>
                    r.status === 'received' ? (
                      <Button size="small" type="primary" ghost onClick={() => setStep({ kind: 'objection', objection: r })}>
                        {t('requests.answer')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <Typography.Title level={5}>{t('entry.repairs')}</Typography.Title>
      <Table<Repair>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={entry.repairs ?? []}
        locale={{ emptyText: t('entry.noRepairs') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'trackingNo', title: t('entry.trackingNo'), dataIndex: 'trackingNo', render: (v) => v ?? '—' },
          {
            key: 'reason',
            title: t('requests.applicationReason'),
            ellipsis: true,
            width: 180,
            render: (_, r) => String((r.application as { reason?: unknown } | undefined)?.reason ?? '—'),
          },
          { key: 'appliedAt', title: t('entry.appliedAt'), dataIndex: 'appliedAt', render: date },
          { key: 'acceptDue', title: t('entry.acceptBy'), render: (_, r) => <DueDate date={r.acceptDue} today={today} done={!!r.acceptedAt || !!r.decidedAt} /> },
          { key: 'decideDue', title: t('entry.decideBy'), render: (_, r) => <DueDate date={r.decideDue} today={today} done={!!r.decidedAt} /> },
          { key: 'status', title: t('entries.status'), dataIndex: 'status', render: (s: string) => <Tag>{status(s)}</Tag> },
          { key: 'result', title: t('entry.result'), render: (_, r) => [r.result ? status(r.result) : '', r.reason].filter(Boolean).join('：') || '—' },
          ...(canRepair
            ? [
                {
                  key: 'ops',
                  title: t('common.operations'),
                  fixed: 'right' as const,
                  render: (_: unknown, r: Repair) =>
                    r.status === 'applied' ? (
                      <Space size={4}>
                        <Button size="small" type="primary" ghost onClick={() => void decide(r, 'accept')}>
                          {t('requests.accept')}
                        </Button>
                        <Button size="small" danger onClick={() => setStep({ kind: 'repair', repair: r, decision: 'refuse' })}>
                          {t('requests.refuse')}
                        </Button>
                      </Space>
                    ) : r.status === 'accepted' ? (
                      <Button size="small" danger onClick={() => setStep({ kind: 'repair', repair: r, decision: 'reject' })}>
                        {t('requests.reject')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {entry.objections?.length || entry.repairs?.length ? null : (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
          {t('entry.requestsHint')}
        </Typography.Paragraph>
      )}
      {step ? (
        <RequestModal
          step={step}
          entry={entry}
          list={list}
          onCancel={() => setStep(undefined)}
          onDone={() => {
            setStep(undefined);
            onChanged();
          }}
        />
      ) : null}
    </Card>
  );
}

function RequestModal({ step, entry, list, onCancel, onDone }: { step: Step; entry: EntryDetail; list: MetaList; onCancel: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [saving, setSaving] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);
  const result = Form.useWatch('result', form);

  const initialFields: Record<string, unknown> = {};
  for (const f of list.fields) initialFields[f.key] = toFormValue(f, entry.fields?.[f.key]);

  const submit = async (values: Record<string, unknown>) => {
    setSaving(true);
    setGeneral([]);
    try {
      if (step.kind === 'objection') {
        const body: Record<string, unknown> = {
          version: step.objection.version ?? 1,
          result: values.result,
          answer: String(values.answer ?? '').trim(),
        };
        if (values.result === 'corrected') {
          const fields: Record<string, unknown> = {};
          for (const f of list.fields) {
            const v = fromFormValue(f, (values.fields as Record<string, unknown> | undefined)?.[f.key]);
            if (v !== undefined && JSON.stringify(v) !== JSON.stringify(entry.fields?.[f.key])) fields[f.key] = v;
          }
          body.fields = fields;
          body.entryVersion = entry.version;
        }
        await answerObjection(list.id, entry.id, step.objection.id, body);
        message.success(t('requests.answered'));
      } else {
        await decideRepair(list.id, entry.id, step.repair.id, step.decision, {
          version: step.repair.version ?? 1,
          reason: String(values.reason ?? '').trim(),
        });
        message.success(t('requests.decided'));
      }
      onDone();
    } catch (error) {
      const e = toApiError(error);
      if (e.code === 'VERSION_CONFLICT') {
        message.warning(e.message);
        onDone();
        return;
      }
      const known: FieldName[] = [['result'], ['answer'], ['reason'], ...list.fields.flatMap((f) => fieldFormNames(f, ['fields', f.key]))];
      setGeneral(applyServerErrors(form, error, { known, explain: explainError(t) }));
    } finally {
      setSaving(false);
    }
  };

  const title =
    step.kind === 'objection' ? t('requests.answerTitle') : t(step.decision === 'refuse' ? 'requests.refuseTitle' : 'requests.rejectTitle');

  return (
    <Modal
      open
      title={title}
      okText={t('requests.submit')}
      cancelText={t('buttons.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
      maskClosable={false}
      width={step.kind === 'objection' && result === 'corrected' ? 760 : 560}
    >
      {general.length ? <Alert type="error" showIcon message={general.join('；')} style={{ marginBottom: 16 }} /> : null}
      <Form name="request" form={form} layout="vertical" onFinish={submit} initialValues={{ fields: initialFields }} preserve={false}>
        {step.kind === 'objection' ? (
          <>
            <Typography.Paragraph type="secondary">{step.objection.content}</Typography.Paragraph>
            <Form.Item name="result" label={t('requests.result')} rules={[{ required: true, message: t('validation.required', { label: t('requests.result') }) }]}>
              <Select
                options={(['corrected', 'upheld', 'rejected'] as const).map((r) => ({ value: r, label: t(`entry.requestStatus.${r}`) }))}
              />
            </Form.Item>
            <Form.Item name="answer" label={t('requests.answerText')} rules={[{ required: true, whitespace: true, message: t('validation.required', { label: t('requests.answerText') }) }]}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} />
            </Form.Item>
            {result === 'corrected' ? (
              <Flex vertical>
                <Alert type="info" showIcon message={t('requests.correctHint')} style={{ marginBottom: 12 }} />
                {list.fields.map((f) => (
                  <FieldFormItem key={f.key} field={f} name={['fields', f.key]} required={false} />
                ))}
              </Flex>
            ) : null}
          </>
        ) : (
          <Form.Item name="reason" label={t('requests.reason')} rules={[{ required: true, whitespace: true, message: t('validation.required', { label: t('requests.reason') }) }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
