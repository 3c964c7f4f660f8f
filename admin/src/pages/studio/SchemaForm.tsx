/**
 * A form over a config file, generated from its JSON Schema (the one `pnpm config:schema` makes
 * from the zod schema): the file's plain settings as inputs, each group of settings (the working-day
 * calendar, …) as a card, and each list of records (departments, roles, measures, indicators, plan
 * tasks …) as an editable table. Edits go into the YAML document itself, so comments, order and the
 * keys the form does not show are kept; anything deeper is edited on the YAML tab.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Flex, Input, InputNumber, Row, Select, Switch, Table, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { isSeq, parseDocument } from 'yaml';
import configSchema from '../../../../config/schema.json';
import { useI18n } from '../../i18n/I18nContext';
import { useSchemaLabels } from './schemaLabels';
import { editYaml } from './yamlEdit';

type Schema = { type?: string; enum?: string[]; items?: Schema; properties?: Record<string, Schema>; required?: string[]; description?: string; format?: string };
type Path = (string | number)[];

const defs = (configSchema as unknown as { $defs: Record<string, Schema> }).$defs;

const isScalar = (s: Schema) => s.type === 'string' || s.type === 'number' || s.type === 'integer' || s.type === 'boolean';
const isScalarList = (s: Schema) => s.type === 'array' && !!s.items && isScalar(s.items);
const isPlain = (s: Schema) => isScalar(s) || isScalarList(s);
const isRecords = (s: Schema) => s.type === 'array' && s.items?.type === 'object' && !!s.items.properties;
const isGroup = (s: Schema) => s.type === 'object' && !!s.properties && Object.values(s.properties).some(isPlain);

/** Whether a file of this kind has anything the form can show. */
export function hasForm(kind: string | undefined): boolean {
  const def = kind ? defs[kind] : undefined;
  return !!def?.properties && Object.values(def.properties).some((s) => isPlain(s) || isRecords(s) || isGroup(s));
}

export function SchemaForm({ kind, text, onChange }: { kind: string; text: string; onChange: (text: string) => void }) {
  const { t, locale } = useI18n();
  const { keyLabel: label, valueLabel } = useSchemaLabels();
  const def = defs[kind];
  const doc = useMemo(() => parseDocument(text), [text]);
  const data = useMemo(() => (doc.errors.length ? undefined : (doc.toJS() as Record<string, unknown> | null)), [doc]);
  if (!def?.properties) return null;
  if (doc.errors.length || !data || typeof data !== 'object') return <Alert type="warning" showIcon message={t('studio.form.yamlBroken')} />;

  const set = (path: Path, value: unknown, required: boolean) => {
    const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    onChange(editYaml(text, (next) => (empty && !required ? next.deleteIn(path) : next.setIn(path, value ?? ''))));
  };
  const addRow = (path: Path, item: Schema) => {
    const row = Object.fromEntries((item.required ?? []).map((k) => [k, item.properties?.[k]?.enum?.[0] ?? (item.properties?.[k]?.type === 'array' ? [] : '')]));
    onChange(editYaml(text, (next) => (isSeq(next.getIn(path)) ? next.addIn(path, row) : next.setIn(path, [row]))));
  };
  const removeRow = (path: Path) => onChange(editYaml(text, (next) => next.deleteIn(path)));
  const get = (path: Path): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), data);

  const control = (schema: Schema, path: Path, required: boolean, aria: string) => {
    const value = get(path);
    if (schema.type === 'boolean') return <Switch aria-label={aria} checked={value === true} onChange={(v) => set(path, v, required)} />;
    if (schema.enum) return <Select aria-label={aria} style={{ minWidth: 120 }} allowClear={!required} value={value as string | undefined} options={schema.enum.map((v) => ({ value: v, label: valueLabel(v) }))} onChange={(v) => set(path, v, required)} />;
    if (schema.type === 'number' || schema.type === 'integer') return <InputNumber aria-label={aria} value={typeof value === 'number' ? value : null} onChange={(v) => set(path, v ?? undefined, required)} />;
    if (isScalarList(schema)) {
      const items = schema.items as Schema;
      return (
        <Select
          aria-label={aria}
          mode={items.enum ? 'multiple' : 'tags'}
          style={{ minWidth: 180, width: '100%' }}
          value={Array.isArray(value) ? (value as string[]).map(String) : []}
          options={items.enum?.map((v) => ({ value: v, label: valueLabel(v) }))}
          placeholder={items.format === 'date' ? 'YYYY-MM-DD' : undefined}
          tokenSeparators={[',', '，']}
          open={items.enum ? undefined : false}
          onChange={(v: string[]) => set(path, v, required)}
        />
      );
    }
    return <Input aria-label={aria} value={value === undefined || value === null ? '' : String(value)} onChange={(e) => set(path, e.target.value, required)} />;
  };

  const entries = Object.entries(def.properties);
  const plain = entries.filter(([, s]) => isPlain(s));
  // The schema's descriptions are English notes for whoever edits the YAML.
  const withHelp = (key: string, s: Schema) => (s.description && locale === 'en' ? <Tooltip title={s.description}>{label(key)}</Tooltip> : label(key));

  return (
    <Flex vertical gap={12} data-testid="schema-form">
      <Typography.Text type="secondary">{t('studio.form.hint')}</Typography.Text>
      {plain.length ? (
        <Card size="small" title={t('studio.form.general')}>
          <Row gutter={16}>
            {plain.map(([key, s]) => (
              <Col xs={24} md={12} lg={8} key={key} style={{ marginBottom: 12 }}>
                <div style={{ marginBottom: 4 }}>{withHelp(key, s)}</div>
                {control(s, [key], def.required?.includes(key) ?? false, label(key))}
              </Col>
            ))}
          </Row>
        </Card>
      ) : null}
      {entries
        .filter(([, s]) => isGroup(s))
        .map(([key, s]) => (
          <Card size="small" key={key} title={withHelp(key, s)}>
            <Row gutter={16}>
              {Object.entries(s.properties ?? {})
                .filter(([, c]) => isPlain(c))
                .map(([child, c]) => (
                  <Col xs={24} md={12} lg={8} key={child} style={{ marginBottom: 12 }}>
                    <div style={{ marginBottom: 4 }}>{withHelp(child, c)}</div>
                    {control(c, [key, child], false, `${label(key)} ${label(child)}`)}
                  </Col>
                ))}
            </Row>
          </Card>
        ))}
      {entries
        .filter(([, s]) => isRecords(s))
        .map(([key, s]) => {
          const item = s.items as Schema;
          const columns = Object.entries(item.properties ?? {}).filter(([, c]) => isPlain(c));
          const rows = (Array.isArray(data[key]) ? (data[key] as unknown[]) : []).map((_, i) => ({ i }));
          return (
            <Card
              size="small"
              key={key}
              title={withHelp(key, s)}
              extra={
                <Button size="small" icon={<PlusOutlined />} onClick={() => addRow([key], item)}>
                  {t('studio.form.addRow')}
                </Button>
              }
            >
              <Table
                size="small"
                rowKey="i"
                dataSource={rows}
                pagination={rows.length > 50 ? { pageSize: 50 } : false}
                scroll={{ x: true }}
                columns={[
                  ...columns.map(([col, c]) => ({
                    key: col,
                    title: withHelp(col, c),
                    render: (_: unknown, row: { i: number }) => control(c, [key, row.i, col], item.required?.includes(col) ?? false, `${label(col)} ${row.i + 1}`),
                  })),
                  {
                    key: '_remove',
                    title: '',
                    render: (_: unknown, row: { i: number }) => (
                      <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('studio.form.removeRow', { n: row.i + 1 })} onClick={() => removeRow([key, row.i])} />
                    ),
                  },
                ]}
              />
              {Object.values(item.properties ?? {}).some((c) => !isPlain(c)) ? (
                <Typography.Text type="secondary">{t('studio.form.moreInYaml')}</Typography.Text>
              ) : null}
            </Card>
          );
        })}
    </Flex>
  );
}
