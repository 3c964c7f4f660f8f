/**
 * One widget set per field type, keyed by type: how a value is displayed, which input edits it in
 * the entry form (with its client-side rules), and which control filters by it in the list.
 * Values are converted between API and form shapes in values.ts.
 */
import { FileTextOutlined } from '@ant-design/icons';
import {
  DatePicker,
  Flex,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
  type FormItemProps,
} from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import type { Locale } from '../i18n';
import type { FieldType, MetaField } from '../meta/types';
import type { DocumentValue } from './values';

export interface FieldContext {
  locale: Locale;
  t: (key: string, options?: Record<string, unknown>) => string;
}

export interface FieldWidget {
  /** Whether the value fits in a table cell (long text and documents do not). */
  simple: boolean;
  display: (value: unknown, field: MetaField, ctx: FieldContext) => ReactNode;
  /** The form control; the caller wraps it in a Form.Item named after the field. */
  input: (field: MetaField, ctx: FieldContext) => ReactNode;
  /** Client-side rules beyond `required` (the server validates again). */
  rules?: (field: MetaField, ctx: FieldContext) => Rule[];
  /** The list filter control, when the type is filterable. */
  filter?: (field: MetaField, ctx: FieldContext) => ReactNode;
  /** Extra Form.Item props (e.g. a document is three inputs in one item). */
  itemProps?: Partial<FormItemProps>;
}

const dash = <Typography.Text type="secondary">—</Typography.Text>;

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

const text: FieldWidget['display'] = (value) => (isEmpty(value) ? dash : String(value));

const formatDate = (value: unknown) => {
  if (isEmpty(value)) return undefined;
  const d = dayjs(value as string);
  return d.isValid() ? d.format('YYYY-MM-DD') : String(value);
};

const optionsOf = (field: MetaField) => (field.options ?? []).map((o) => ({ value: o, label: o }));

const placeholder = (ctx: FieldContext, key: 'input' | 'select', field: MetaField) =>
  ctx.t(key === 'input' ? 'form.placeholderInput' : 'form.placeholderSelect', { label: fieldLabel(field, ctx.locale) });

export function fieldLabel(field: Pick<MetaField, 'label' | 'labelEn'>, locale: Locale): string {
  return locale === 'en' && field.labelEn ? field.labelEn : field.label;
}

/** A 决定文书 value: number, date and title. */
export function DocumentDisplay({ value }: { value: unknown }) {
  if (isEmpty(value)) return dash;
  if (typeof value === 'string') {
    return (
      <Space size={4}>
        <FileTextOutlined />
        {value}
      </Space>
    );
  }
  const doc = value as DocumentValue & { name?: string; url?: string };
  const title = doc.title ?? doc.name ?? '';
  return (
    <Space size={4} align="start">
      <FileTextOutlined style={{ marginTop: 4 }} />
      <Flex vertical>
        {doc.url ? (
          <a href={doc.url} target="_blank" rel="noreferrer">
            {title}
          </a>
        ) : (
          <Typography.Text>{title ? `《${title.replace(/^《|》$/g, '')}》` : ''}</Typography.Text>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {[doc.number, formatDate(doc.date)].filter(Boolean).join(' · ')}
        </Typography.Text>
      </Flex>
    </Space>
  );
}

const numberInput =
  (money: boolean): FieldWidget['input'] =>
  (field, ctx) => (
      <InputNumber
        style={{ width: '100%', maxWidth: 320 }}
        min={field.min ?? (money ? 0 : undefined)}
        max={field.max}
        precision={money ? 2 : undefined}
        prefix={money ? '¥' : undefined}
        placeholder={placeholder(ctx, 'input', field)}
        // Thousands separators make large fines readable.
        formatter={money ? (v) => (v === undefined || v === null ? '' : `${v}`.replace(/\B(?=(\d{3})+(?!\d))/g, ',')) : undefined}
        parser={money ? (v) => (v ? v.replace(/,/g, '') : '') as unknown as number : undefined}
      />
  );

const rangeRules = (field: MetaField, ctx: FieldContext): Rule[] => {
  const rules: Rule[] = [];
  if (field.min !== undefined) rules.push({ type: 'number', min: field.min, message: ctx.t('validation.min', { min: field.min }) });
  if (field.max !== undefined) rules.push({ type: 'number', max: field.max, message: ctx.t('validation.max', { max: field.max }) });
  return rules;
};

const lengthRules = (field: MetaField, ctx: FieldContext, fallback: number): Rule[] => [
  { whitespace: true, message: ctx.t('validation.blank') },
  { max: field.maxLength ?? fallback, message: ctx.t('validation.maxLength', { max: field.maxLength ?? fallback }) },
];

const selectFilter: FieldWidget['filter'] = (field, ctx) => (
  <Select allowClear showSearch options={optionsOf(field)} placeholder={fieldLabel(field, ctx.locale)} style={{ minWidth: 180 }} />
);

export const fieldRegistry: Record<FieldType, FieldWidget> = {
  string: {
    simple: true,
    display: text,
    input: (field, ctx) => <Input maxLength={field.maxLength ?? 500} placeholder={placeholder(ctx, 'input', field)} style={{ maxWidth: 480 }} />,
    rules: (field, ctx) => lengthRules(field, ctx, 500),
    filter: (field, ctx) => <Input allowClear placeholder={fieldLabel(field, ctx.locale)} style={{ width: 200 }} />,
  },
  text: {
    simple: false,
    display: (value) =>
      isEmpty(value) ? dash : <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{String(value)}</Typography.Paragraph>,
    input: (field, ctx) => (
      <Input.TextArea
       
        autoSize={{ minRows: 3, maxRows: 10 }}
        showCount={!!field.maxLength}
        maxLength={field.maxLength ?? 20_000}
        placeholder={placeholder(ctx, 'input', field)}
      />
    ),
    rules: (field, ctx) => lengthRules(field, ctx, 20_000),
  },
  number: {
    simple: true,
    display: (value, field, ctx) =>
      typeof value === 'number' ? value.toLocaleString(ctx.locale) : text(value, field, ctx),
    input: numberInput(false),
    rules: rangeRules,
  },
  money: {
    simple: true,
    display: (value, _field, { locale }) => {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : Number.NaN;
      if (Number.isNaN(n)) return dash;
      return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(n);
    },
    input: numberInput(true),
    rules: rangeRules,
  },
  date: {
    simple: true,
    display: (value) => formatDate(value) ?? dash,
    input: (field, ctx) => <DatePicker style={{ width: 200 }} placeholder={placeholder(ctx, 'select', field)} />,
    filter: (field, ctx) => (
      <DatePicker.RangePicker
        allowEmpty={[true, true]}
        placeholder={[`${fieldLabel(field, ctx.locale)} ${ctx.t('filters.from')}`, ctx.t('filters.to')]}
      />
    ),
  },
  boolean: {
    simple: true,
    display: (value, _field, { t }) =>
      typeof value === 'boolean' ? <Tag color={value ? 'blue' : undefined}>{t(value ? 'common.yes' : 'common.no')}</Tag> : dash,
    input: (_field, ctx) => (
      <Radio.Group
       
        optionType="button"
        options={[
          { value: true, label: ctx.t('common.yes') },
          { value: false, label: ctx.t('common.no') },
        ]}
      />
    ),
    filter: (field, ctx) => (
      <Select
        allowClear
        placeholder={fieldLabel(field, ctx.locale)}
        style={{ minWidth: 140 }}
        options={[
          { value: true, label: ctx.t('common.yes') },
          { value: false, label: ctx.t('common.no') },
        ]}
      />
    ),
  },
  enum: {
    simple: true,
    display: (value) => (isEmpty(value) ? dash : <Tag>{String(value)}</Tag>),
    input: (field, ctx) => (
      <Select allowClear showSearch options={optionsOf(field)} placeholder={placeholder(ctx, 'select', field)} style={{ maxWidth: 480 }} />
    ),
    filter: selectFilter,
  },
  'multi-enum': {
    simple: true,
    display: (value) =>
      Array.isArray(value) && value.length > 0 ? (
        <Space size={[0, 4]} wrap>
          {value.map((v) => (
            <Tag key={String(v)}>{String(v)}</Tag>
          ))}
        </Space>
      ) : (
        dash
      ),
    input: (field, ctx) => (
      <Select mode="multiple" allowClear options={optionsOf(field)} placeholder={placeholder(ctx, 'select', field)} style={{ maxWidth: 640 }} />
    ),
    filter: selectFilter,
  },
  document: {
    simple: false,
    display: (value) => <DocumentDisplay value={value} />,
    // The three parts are nested Form.Items (fields.<key>.number / .date / .title); see DocumentInput.
    input: () => null,
  },
};

export function isSimpleField(field: Pick<MetaField, 'type'>): boolean {
  return fieldRegistry[field.type]?.simple ?? false;
}

export function displayField(field: MetaField, value: unknown, ctx: FieldContext): ReactNode {
  const widget = fieldRegistry[field.type];
  return widget ? widget.display(value, field, ctx) : text(value, field, ctx);
}
