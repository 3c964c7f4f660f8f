/**
 * One display widget per field type, keyed by type. Form inputs and filters will join this
 * registry when the create/edit pages come; for now the list table uses `display`.
 */
import { FileTextOutlined } from '@ant-design/icons';
import { Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import type { Locale } from '../i18n';
import type { FieldType, MetaField } from '../meta/types';

export interface FieldContext {
  locale: Locale;
  t: (key: string, options?: Record<string, unknown>) => string;
}

export interface FieldWidget {
  /** Whether the value fits in a table cell (long text and documents do not). */
  simple: boolean;
  display: (value: unknown, field: MetaField, ctx: FieldContext) => ReactNode;
}

const dash = <Typography.Text type="secondary">—</Typography.Text>;

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

const text: FieldWidget['display'] = (value) => (isEmpty(value) ? dash : String(value));

export const fieldRegistry: Record<FieldType, FieldWidget> = {
  string: { simple: true, display: text },
  text: {
    simple: false,
    display: (value) =>
      isEmpty(value) ? dash : <Typography.Paragraph ellipsis={{ rows: 2 }}>{String(value)}</Typography.Paragraph>,
  },
  number: {
    simple: true,
    display: (value, _field, { locale }) =>
      typeof value === 'number' ? value.toLocaleString(locale) : text(value, _field, { locale, t: String }),
  },
  money: {
    simple: true,
    display: (value, _field, { locale }) => {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : Number.NaN;
      if (Number.isNaN(n)) return dash;
      return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(n);
    },
  },
  date: {
    simple: true,
    display: (value) => {
      if (isEmpty(value)) return dash;
      const d = dayjs(value as string);
      return d.isValid() ? d.format('YYYY-MM-DD') : String(value);
    },
  },
  boolean: {
    simple: true,
    display: (value, _field, { t }) =>
      typeof value === 'boolean' ? <Tag color={value ? 'blue' : undefined}>{t(value ? 'common.yes' : 'common.no')}</Tag> : dash,
  },
  enum: { simple: true, display: (value) => (isEmpty(value) ? dash : <Tag>{String(value)}</Tag>) },
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
  },
  document: {
    simple: false,
    display: (value) => {
      if (isEmpty(value)) return dash;
      const doc = value as { name?: string; url?: string } | string;
      const name = typeof doc === 'string' ? doc : (doc.name ?? doc.url ?? '');
      const url = typeof doc === 'string' ? undefined : doc.url;
      return (
        <Space size={4}>
          <FileTextOutlined />
          {url ? (
            <a href={url} target="_blank" rel="noreferrer">
              {name}
            </a>
          ) : (
            name
          )}
        </Space>
      );
    },
  },
};

export function isSimpleField(field: Pick<MetaField, 'type'>): boolean {
  return fieldRegistry[field.type]?.simple ?? false;
}

export function displayField(field: MetaField, value: unknown, ctx: FieldContext): ReactNode {
  const widget = fieldRegistry[field.type];
  return widget ? widget.display(value, field, ctx) : text(value, field, ctx);
}
