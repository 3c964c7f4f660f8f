/**
 * The entry form of create and edit-draft, generated from the list type: subject (kind, name,
 * code with a checksum hint), related persons, and one input per declared field from the
 * registry. Server validation details land on their inputs; a subject code that fails its
 * checksum can be accepted with a 代码校验例外原因 (override reason) after the server asks for one.
 */
import { DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useWarnAboutChange } from '@refinedev/core';
import { Alert, Button, Card, Col, Flex, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { listDepartments } from '../../access/permissions';
import { FieldFormItem, fieldFormNames } from '../../fields/FieldFormItem';
import type { EntryFormValues } from '../../fields/values';
import { applyServerErrors, explainError } from '../../forms/applyServerErrors';
import { type FieldName, overridableCodeDetails } from '../../forms/serverErrors';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta, MetaList } from '../../meta/types';
import { checkResidentId, checkSubjectCode } from '../../subjects/codes';

/** Roles a related person may have (api/src/subjects/service.ts relatedRoles). */
export const RELATED_ROLES = ['法定代表人', '实际控制人', '直接责任人', '主要负责人'] as const;

export interface EntryFormProps {
  list: MetaList;
  meta: Meta;
  mode: 'create' | 'edit';
  initialValues: EntryFormValues;
  /** Saves; throws the API error to have it shown on the form. */
  onSubmit: (values: EntryFormValues) => Promise<void>;
  onCancel: () => void;
  /** Extra content above the form (e.g. the draft's version). */
  extra?: ReactNode;
}

export function EntryForm({ list, meta, mode, initialValues, onSubmit, onCancel, extra }: EntryFormProps) {
  const { t, pick } = useI18n();
  const [form] = Form.useForm<EntryFormValues>();
  const { setWarnWhen } = useWarnAboutChange();
  const [saving, setSaving] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);
  /** Subject paths the server asked an override reason for: 'subject', 'relatedPersons.0', … */
  const [overrides, setOverrides] = useState<string[]>([]);
  const kind = Form.useWatch(['subject', 'kind'], form) ?? initialValues.subject?.kind;

  const departments = useMemo(() => listDepartments(meta, list.id, 'create'), [meta, list.id]);
  const departmentName = (code: string) => {
    const d = meta.departments.find((x) => x.code === code);
    return d ? pick(d.name, d.nameEn) : code;
  };

  const known = (): FieldName[] => {
    const names: FieldName[] = [['department'], ['subject', 'kind'], ['subject', 'name'], ['subject', 'code'], ['subject', 'codeOverrideReason']];
    (form.getFieldValue('relatedPersons') ?? []).forEach((_: unknown, i: number) => {
      names.push(['relatedPersons', i, 'role'], ['relatedPersons', i, 'name'], ['relatedPersons', i, 'code'], ['relatedPersons', i, 'codeOverrideReason']);
    });
    for (const field of list.fields) names.push(...fieldFormNames(field, ['fields', field.key]));
    return names;
  };
  const aliases = Object.fromEntries(
    list.fields.filter((f) => f.type === 'document').map((f) => [`fields.${f.key}`, `fields.${f.key}.number`]),
  );

  const submit = async (values: EntryFormValues) => {
    setSaving(true);
    setGeneral([]);
    try {
      await onSubmit(values);
      setWarnWhen(false);
    } catch (error) {
      const asked = overridableCodeDetails(error).map((d) => (d.path ?? '').replace(/\.code$/, ''));
      if (asked.length) setOverrides((prev) => [...new Set([...prev, ...asked])]);
      setGeneral(applyServerErrors(form, error, { known: known(), aliases, explain: explainError(t) }));
    } finally {
      setSaving(false);
    }
  };

  const codeRule = (getKind: () => string | undefined) => ({
    warningOnly: true,
    validator: async (_: unknown, value: string | undefined) => {
      const problem = value ? checkSubjectCode(getKind(), value) : undefined;
      if (problem) throw new Error(t(`codes.${problem}`));
    },
  });

  const overrideItem = (base: FieldName, path: string) =>
    overrides.includes(path) ? (
      <Form.Item
        name={[...base, 'codeOverrideReason']}
        label={t('entryForm.overrideReason')}
        extra={t('entryForm.overrideHint')}
        rules={[
          { required: true, message: t('entryForm.overrideRequired') },
          { min: 4, message: t('validation.minLength', { min: 4 }) },
        ]}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} showCount />
      </Form.Item>
    ) : null;

  const isPerson = kind === 'natural_person';

  return (
    <Form<EntryFormValues>
      name="entry"
      form={form}
      layout="vertical"
      initialValues={initialValues}
      onFinish={submit}
      onValuesChange={() => setWarnWhen(true)}
      scrollToFirstError={{ block: 'center', focus: true }}
      aria-label={t(mode === 'create' ? 'entryForm.createTitle' : 'entryForm.editTitle')}
    >
      <Flex vertical gap={16}>
        {extra}
        {general.length ? <Alert type="error" showIcon message={t('entryForm.failed')} description={general.join('；')} role="alert" /> : null}
        {overrides.length ? <Alert type="warning" showIcon message={t('entryForm.overrideAlert')} /> : null}

        <Card size="small" title={t('entry.subject')}>
          <Row gutter={24}>
            {mode === 'create' && departments.length > 1 ? (
              <Col xs={24} md={12}>
                <Form.Item name="department" label={t('entryForm.department')} rules={[{ required: true, message: t('entryForm.departmentRequired') }]}>
                  <Select
                    showSearch
                    optionFilterProp="label"
                    options={departments.map((code) => ({ value: code, label: departmentName(code) }))}
                    placeholder={t('form.placeholderSelect', { label: t('entryForm.department') })}
                  />
                </Form.Item>
              </Col>
            ) : null}
            <Col xs={24}>
              <Form.Item name={['subject', 'kind']} label={t('entry.subjectKind')} rules={[{ required: true, message: t('validation.required', { label: t('entry.subjectKind') }) }]}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  options={list.subjectKinds.map((k) => ({ value: k, label: t(`kinds.subject.${k}`) }))}
                  onChange={() => void form.validateFields([['subject', 'code']]).catch(() => undefined)}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name={['subject', 'name']}
                label={t(isPerson ? 'entryForm.personName' : 'entryForm.orgName')}
                rules={[
                  { required: true, whitespace: true, message: t('validation.required', { label: t(isPerson ? 'entryForm.personName' : 'entryForm.orgName') }) },
                  { max: 200, message: t('validation.maxLength', { max: 200 }) },
                ]}
              >
                <Input maxLength={200} placeholder={t(isPerson ? 'entryForm.personNamePlaceholder' : 'entryForm.orgNamePlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name={['subject', 'code']}
                label={t(isPerson ? 'entry.idNumber' : 'entry.uscc')}
                normalize={(v: string) => v?.toUpperCase()}
                rules={[
                  { required: true, whitespace: true, message: t('validation.required', { label: t(isPerson ? 'entry.idNumber' : 'entry.uscc') }) },
                  codeRule(() => form.getFieldValue(['subject', 'kind'])),
                ]}
                extra={t(isPerson ? 'entryForm.idHint' : 'entryForm.usccHint')}
              >
                <Input maxLength={32} style={{ fontFamily: 'monospace' }} placeholder={t(isPerson ? 'entryForm.idPlaceholder' : 'entryForm.usccPlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24}>{overrideItem(['subject'], 'subject')}</Col>
          </Row>
        </Card>

        {!isPerson ? (
          <Card size="small" title={t('entry.relatedPersons')} extra={<Typography.Text type="secondary">{t('entryForm.relatedHint')}</Typography.Text>}>
            <Form.List name="relatedPersons">
              {(items, { add, remove }) => (
                <Flex vertical gap={8}>
                  {items.map((item) => (
                    <div key={item.key}>
                      <Row gutter={16} align="top">
                        <Col xs={24} md={6}>
                          <Form.Item name={[item.name, 'role']} label={t('entry.role')} rules={[{ required: true, message: t('validation.required', { label: t('entry.role') }) }]}>
                            <Select options={RELATED_ROLES.map((r) => ({ value: r, label: r }))} />
                          </Form.Item>
                        </Col>
                        <Col xs={24} md={6}>
                          <Form.Item name={[item.name, 'name']} label={t('entry.personName')} rules={[{ required: true, whitespace: true, message: t('validation.required', { label: t('entry.personName') }) }]}>
                            <Input maxLength={200} />
                          </Form.Item>
                        </Col>
                        <Col xs={24} md={10}>
                          <Form.Item
                            name={[item.name, 'code']}
                            label={t('entry.idNumber')}
                            normalize={(v: string) => v?.toUpperCase()}
                            rules={[
                              { required: true, whitespace: true, message: t('validation.required', { label: t('entry.idNumber') }) },
                              {
                                warningOnly: true,
                                validator: async (_: unknown, value: string | undefined) => {
                                  const problem = value ? checkResidentId(value) : undefined;
                                  if (problem) throw new Error(t(`codes.${problem}`));
                                },
                              },
                            ]}
                          >
                            <Input maxLength={32} style={{ fontFamily: 'monospace' }} />
                          </Form.Item>
                        </Col>
                        <Col xs={24} md={2}>
                          <Form.Item label=" " colon={false}>
                            <Button
                              icon={<DeleteOutlined />}
                              danger
                              type="text"
                              aria-label={t('entryForm.removePerson')}
                              onClick={() => remove(item.name)}
                            />
                          </Form.Item>
                        </Col>
                      </Row>
                      {overrideItem([item.name], `relatedPersons.${item.name}`)}
                    </div>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: RELATED_ROLES[0] })} style={{ maxWidth: 240 }}>
                    {t('entryForm.addPerson')}
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Card>
        ) : null}

        <Card size="small" title={t('entry.facts')}>
          {list.fields.filter((f) => f.type !== 'document').map((field) => (
            <FieldFormItem key={field.key} field={field} name={['fields', field.key]} />
          ))}
        </Card>

        {list.fields.some((f) => f.type === 'document') ? (
          <Card size="small" title={t('entry.documents')}>
            {list.fields.filter((f) => f.type === 'document').map((field) => (
              <FieldFormItem key={field.key} field={field} name={['fields', field.key]} />
            ))}
          </Card>
        ) : null}

        <Card size="small">
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Text type="secondary">{t(mode === 'create' ? 'entryForm.createNote' : 'entryForm.editNote', { list: pick(list.name, list.nameEn) })}</Typography.Text>
            <Space>
              <Button onClick={onCancel}>{t('buttons.cancel')}</Button>
              <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={saving}>
                {t(mode === 'create' ? 'entryForm.saveDraft' : 'buttons.save')}
              </Button>
            </Space>
          </Flex>
        </Card>
      </Flex>
    </Form>
  );
}
