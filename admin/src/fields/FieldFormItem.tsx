/**
 * One Form.Item per declared field, built from the registry: label (Chinese or English), help
 * text, required and client-side rules, and the type's input. A document is three labelled inputs
 * (文号, 日期, 标题) under one heading.
 */
import { DatePicker, Flex, Form, Input } from 'antd';
import { useI18n } from '../i18n/I18nContext';
import type { MetaField } from '../meta/types';
import { fieldLabel, fieldRegistry } from './registry';

export interface FieldFormItemProps {
  field: MetaField;
  /** Form name of the value, e.g. ['fields', 'fine']. */
  name: (string | number)[];
  /** Overrides field.required (e.g. a correction where every field is optional). */
  required?: boolean;
}

export function FieldFormItem({ field, name, required = field.required }: FieldFormItemProps) {
  const { t, locale } = useI18n();
  const label = fieldLabel(field, locale);
  const ctx = { t, locale };

  if (field.type === 'document') {
    const part = (key: 'number' | 'date' | 'title') => [...name, key];
    const req = (partLabel: string) => (required ? [{ required: true, message: t('validation.requiredPart', { label, part: partLabel }) }] : []);
    return (
      <Form.Item label={label} required={required} extra={field.help} style={{ marginBottom: 8 }}>
        <Flex gap={8} wrap>
          <Form.Item name={part('number')} rules={[...req(t('document.number')), { whitespace: true, message: t('validation.blank') }]} style={{ flex: '1 1 200px', marginBottom: 16 }}>
            <Input aria-label={`${label} ${t('document.number')}`} placeholder={t('document.numberPlaceholder')} maxLength={100} />
          </Form.Item>
          <Form.Item name={part('date')} rules={req(t('document.date'))} style={{ flex: '0 0 170px', marginBottom: 16 }}>
            <DatePicker aria-label={`${label} ${t('document.date')}`} placeholder={t('document.date')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name={part('title')} rules={[...req(t('document.title')), { whitespace: true, message: t('validation.blank') }]} style={{ flex: '2 1 260px', marginBottom: 16 }}>
            <Input aria-label={`${label} ${t('document.title')}`} placeholder={t('document.titlePlaceholder')} maxLength={200} />
          </Form.Item>
        </Flex>
      </Form.Item>
    );
  }

  const widget = fieldRegistry[field.type];
  const rules = [
    ...(required ? [{ required: true, message: t('validation.required', { label }) }] : []),
    ...(widget.rules?.(field, ctx) ?? []),
  ];
  return (
    <Form.Item name={name} label={label} rules={rules} extra={field.help}>
      {widget.input(field, ctx)}
    </Form.Item>
  );
}

/** Names the entry form registers for a field (a document registers its three parts). */
export function fieldFormNames(field: MetaField, base: (string | number)[]): (string | number)[][] {
  return field.type === 'document' ? [[...base, 'number'], [...base, 'date'], [...base, 'title']] : [base];
}
