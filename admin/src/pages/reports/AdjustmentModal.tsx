/** 登记加减分: the office records a manual adjustment with a reason (POST /api/reports/adjustments, audited). */
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { applyServerErrors, explainError } from '../../forms/applyServerErrors';
import { useI18n } from '../../i18n/I18nContext';
import { type AdjustmentInput, type AssessmentReport, addAdjustment } from '../../reports/api';

type Values = { department: string; indicator: string; points: number; reason: string };
const WHOLE = '';

export function AdjustmentModal({ report, onClose, onSaved }: { report: AssessmentReport; onClose: () => void; onSaved: () => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [general, setGeneral] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (body: AdjustmentInput) => addAdjustment(body),
    onSuccess: () => {
      message.success(t('reports.assessment.saved'));
      onSaved();
    },
    onError: (error) => setGeneral(applyServerErrors(form, error, { known: [['department'], ['indicator'], ['points'], ['reason']], explain: explainError(t) })),
  });
  const submit = (v: Values) => {
    setGeneral([]);
    save.mutate({ period: report.period.key, department: v.department, indicator: v.indicator || null, points: v.points, reason: v.reason });
  };
  return (
    <Modal
      open
      title={`${t('reports.assessment.adjustmentTitle')} · ${report.period.label}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending }}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ indicator: WHOLE }} onFinish={submit}>
        <Form.Item name="department" label={t('reports.assessment.department')} rules={[{ required: true, message: t('reports.assessment.departmentRequired') }]}>
          <Select showSearch optionFilterProp="label" options={report.ranking.map((r) => ({ value: r.department, label: r.name }))} />
        </Form.Item>
        <Form.Item name="indicator" label={t('reports.assessment.adjustmentTarget')}>
          <Select options={[{ value: WHOLE, label: t('reports.assessment.wholeDepartment') }, ...report.indicators.map((i) => ({ value: i.id, label: pick(i.name, i.nameEn ?? undefined) }))]} />
        </Form.Item>
        <Form.Item
          name="points"
          label={t('reports.assessment.points')}
          extra={t('reports.assessment.pointsHelp')}
          rules={[
            { required: true, message: t('reports.assessment.pointsRequired') },
            { validator: (_, v: number | undefined) => (v === 0 ? Promise.reject(new Error(t('reports.assessment.pointsNonZero'))) : Promise.resolve()) },
          ]}
        >
          <InputNumber step={0.5} precision={2} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="reason" label={t('reports.assessment.reason')} rules={[{ required: true, min: 2, whitespace: true, message: t('reports.assessment.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('reports.assessment.reasonPlaceholder')} />
        </Form.Item>
      </Form>
      {general.length ? <Alert type="error" showIcon message={general.join('；')} /> : null}
    </Modal>
  );
}
