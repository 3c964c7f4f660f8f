/**
 * The modal of one procedure action: it names the consequence, asks for the action's inputs and
 * an optional comment, and asks again before an irreversible step. Server validation errors land
 * on the inputs; the caller handles conflicts (409) itself.
 */
import { ExclamationCircleFilled } from '@ant-design/icons';
import { Alert, App, DatePicker, Flex, Form, Input, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import { useState } from 'react';
import { formatDay } from '../../components/format';
import { consequenceKey, isIrreversible } from '../../entries/actions';
import type { ActionInput, EntryDetail } from '../../entries/types';
import { FieldFormItem, fieldFormNames } from '../../fields/FieldFormItem';
import { toFormValue } from '../../fields/values';
import { applyServerErrors, explainError } from '../../forms/applyServerErrors';
import type { FieldName } from '../../forms/serverErrors';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta, MetaList } from '../../meta/types';

export interface ModalAction {
  id: string;
  label: string;
  labelEn?: string;
  action: string;
  to: string;
  inputs: ActionInput[];
}

export interface ActionModalProps {
  open: boolean;
  list: MetaList;
  meta: Meta;
  action: ModalAction;
  /** The entry (single action): its field values prefill a correction, its repairs feed repairId. */
  entry?: EntryDetail;
  /** Number of entries of a batch. */
  count?: number;
  onCancel: () => void;
  /** Throws the API error to show it in the form. */
  onSubmit: (values: Record<string, unknown>) => Promise<void>;
}

/** Option labels of an exit condition: the early-exit clock's label, or 期满移出. */
function conditionLabel(list: MetaList, value: string, t: (k: string) => string, locale: string): string {
  if (value === 'term-end') return t('actions.termEnd');
  const clock = list.clocks.find((c) => c.id === `early_exit_${value}`);
  if (!clock) return value;
  const label = locale === 'en' ? clock.labelEn || clock.label : clock.label;
  return label.replace(/^可提前移出[：:]\s*/, '');
}

function inputNames(input: ActionInput, list: MetaList): FieldName[] {
  if (input.type === 'document') return [[input.key, 'number'], [input.key, 'date'], [input.key, 'title']];
  if (input.type === 'fields') return list.fields.flatMap((f) => fieldFormNames(f, [input.key, f.key]));
  return [[input.key]];
}

export function ActionModal({ open, list, meta, action, entry, count, onCancel, onSubmit }: ActionModalProps) {
  const { t, pick, locale } = useI18n();
  const { modal } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [saving, setSaving] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);
  const label = locale === 'en' ? action.labelEn || action.label : action.label;
  const target = list.procedure.states.find((s) => s.id === action.to);
  const targetLabel = target ? (locale === 'en' ? target.labelEn || target.label : target.label) : action.to;
  const irreversible = isIrreversible(action, list.procedure);

  const initialValues: Record<string, unknown> = {};
  if (entry && action.inputs.some((i) => i.type === 'fields')) {
    const fields: Record<string, unknown> = {};
    for (const f of list.fields) fields[f.key] = toFormValue(f, entry.fields?.[f.key]);
    for (const i of action.inputs.filter((x) => x.type === 'fields')) initialValues[i.key] = fields;
  }

  const submit = async (values: Record<string, unknown>) => {
    setSaving(true);
    setGeneral([]);
    try {
      await onSubmit(values);
      form.resetFields();
    } catch (error) {
      setGeneral(
        applyServerErrors(form, error, {
          known: [...action.inputs.flatMap((i) => inputNames(i, list)), ['comment']],
          explain: explainError(t),
        }),
      );
    } finally {
      setSaving(false);
    }
  };

  const onOk = async () => {
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (!irreversible) {
      await submit(values);
      return;
    }
    modal.confirm({
      title: t('actions.confirmTitle', { label }),
      icon: <ExclamationCircleFilled />,
      content: count && count > 1 ? t('actions.confirmBatch', { count, label }) : t('actions.confirmIrreversible'),
      okText: t('actions.confirmOk', { label }),
      okButtonProps: { danger: ['withdraw', 'revoke'].includes(action.action) },
      cancelText: t('buttons.cancel'),
      onOk: () => submit(values),
    });
  };

  const renderInput = (input: ActionInput) => {
    const inputLabel = locale === 'en' ? input.labelEn || input.label : input.label;
    const rules = input.required ? [{ required: true, message: t('validation.required', { label: inputLabel }) }] : [];
    switch (input.type) {
      case 'text':
        return (
          <Form.Item key={input.key} name={input.key} label={inputLabel} rules={[...rules, { whitespace: true, message: t('validation.blank') }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} />
          </Form.Item>
        );
      case 'date':
        return (
          <Form.Item key={input.key} name={input.key} label={inputLabel} rules={rules}>
            <DatePicker style={{ width: 200 }} />
          </Form.Item>
        );
      case 'number':
        return (
          <Form.Item key={input.key} name={input.key} label={inputLabel} rules={rules}>
            <InputNumber style={{ width: 200 }} />
          </Form.Item>
        );
      case 'boolean':
        return (
          <Form.Item key={input.key} name={input.key} label={inputLabel} rules={rules}>
            <Radio.Group
              optionType="button"
              options={[
                { value: true, label: t('common.yes') },
                { value: false, label: t('common.no') },
              ]}
            />
          </Form.Item>
        );
      case 'enum':
        return (
          <Form.Item key={input.key} name={input.key} label={inputLabel} rules={rules}>
            <Select
              allowClear
              options={(input.options ?? []).map((o) => ({
                value: o,
                label: input.key === 'condition' ? conditionLabel(list, o, t, locale) : o,
              }))}
            />
          </Form.Item>
        );
      case 'materials':
        return (
          <Form.Item key={input.key} name={input.key} label={inputLabel} rules={rules} extra={t('actions.materialsHint')}>
            <Select mode="multiple" allowClear options={meta.materials.map((m) => ({ value: m.id, label: pick(m.name, m.nameEn) }))} />
          </Form.Item>
        );
      case 'document':
        return (
          <FieldFormItem
            key={input.key}
            field={{ key: input.key, label: input.label, labelEn: input.labelEn, type: 'document', required: input.required, public: false }}
            name={[input.key]}
          />
        );
      case 'fields':
        return (
          <Flex key={input.key} vertical>
            <Typography.Text strong style={{ marginBottom: 8 }}>
              {inputLabel}
            </Typography.Text>
            {list.fields.map((f) => (
              <FieldFormItem key={f.key} field={f} name={[input.key, f.key]} required={false} />
            ))}
          </Flex>
        );
      default: {
        if (input.key === 'repairId') {
          const pending = (entry?.repairs ?? []).filter((r) => !r.decidedAt);
          return (
            <Form.Item key={input.key} name={input.key} label={inputLabel} rules={rules} extra={pending.length ? undefined : t('actions.noRepairs')}>
              <Select
                options={pending.map((r) => ({
                  value: r.id,
                  label: `${r.trackingNo ?? r.id.slice(0, 8)} · ${formatDay(r.appliedAt, meta.platform.timezone)} · ${t(`entry.requestStatus.${r.status}`, undefined, r.status)}`,
                }))}
              />
            </Form.Item>
          );
        }
        return (
          <Form.Item key={input.key} name={input.key} label={inputLabel} rules={[...rules, { whitespace: true, message: t('validation.blank') }]}>
            <Input maxLength={200} />
          </Form.Item>
        );
      }
    }
  };

  return (
    <Modal
      open={open}
      title={count && count > 1 ? t('actions.batchTitle', { label, count }) : label}
      okText={t('actions.confirmOk', { label })}
      okButtonProps={{ loading: saving, danger: ['withdraw', 'revoke'].includes(action.action) }}
      cancelText={t('buttons.cancel')}
      onOk={() => void onOk()}
      onCancel={onCancel}
      maskClosable={false}
      destroyOnHidden
      width={action.inputs.some((i) => i.type === 'fields') ? 760 : 560}
    >
      <Alert
        type={irreversible ? 'warning' : 'info'}
        showIcon
        style={{ marginBottom: 16 }}
        message={t(consequenceKey(action), { to: targetLabel, label })}
        // The known consequences say it themselves; the generic sentence needs the warning added.
        description={irreversible && consequenceKey(action) === 'actions.consequence.default' ? t('actions.irreversibleNote') : undefined}
        data-testid="action-consequence"
      />
      {general.length ? <Alert type="error" showIcon message={general.join('；')} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form name="action" form={form} layout="vertical" initialValues={initialValues} preserve={false} onFinish={() => void onOk()}>
        {action.inputs.map(renderInput)}
        <Form.Item name="comment" label={t('actions.comment')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={t('actions.commentPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
