/**
 * The list type's settings that the tuned sections of the editor have no control for (description,
 * personal information on the portal, where each period starts, exit rules, revoking, hearings,
 * actions turned off …), as form controls generated from the list's JSON Schema (listSchemaForm.ts).
 * A key added to the schema shows up here without admin code. The controls edit the same form
 * document as the sections above, so one lint and one save cover both.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Form, Input, InputNumber, Row, Select, Switch, Tooltip, Typography } from 'antd';
import { type ReactNode, useRef } from 'react';
import { useI18n } from '../../i18n/I18nContext';
import { type ControlKind, generatedChildren, isObject, isPeriod, listSchema, type Node, objectBranch, offValue, type Path, pathKey, switchedBy } from './listSchemaForm';
import { PeriodInput } from './parts';
import { useSchemaLabels } from './schemaLabels';

/**
 * What a step switched on, or a new table row, starts from: only what the schema requires (a period
 * where one is needed), so that the saved file holds what the office chose, not every default.
 */
function startValue(n: Node, period: Record<string, number>): Record<string, unknown> {
  return Object.fromEntries(
    (n.required ?? []).flatMap((k) => {
      const c = n.properties?.[k];
      if (!c) return [];
      if (c.default !== undefined) return [[k, structuredClone(c.default)]];
      return isPeriod(c) ? [[k, period]] : [];
    }),
  );
}

/** Turning a step off and on again brings back its settings, as the tuned sections' switches do. */
function StepSwitch({ value, onChange, node, ariaLabel }: { value?: unknown; onChange?: (v: unknown) => void; node: Node; ariaLabel: string }) {
  const last = useRef<unknown>(undefined);
  const on = isObject(value);
  if (on) last.current = value;
  return (
    <Switch
      aria-label={ariaLabel}
      checked={on}
      onChange={(next) => onChange?.(next ? (last.current ?? startValue(objectBranch(node) ?? {}, { working_days: 5 })) : offValue(node))}
    />
  );
}

/** An absent boolean is the schema's default, so the switch shows that, not "off". */
function DefaultSwitch({ value, onChange, fallback, ariaLabel }: { value?: boolean; onChange?: (v: boolean) => void; fallback: boolean; ariaLabel: string }) {
  return <Switch aria-label={ariaLabel} checked={value ?? fallback} onChange={onChange} />;
}

export type References = Record<string, { value: string; label: string }[]>;

const inline = (kind: ControlKind) => kind !== 'group' && kind !== 'step' && kind !== 'records';

/**
 * The controls generated for the children of a schema node at a form path, minus the tuned ones.
 * `rowOf`: inside a Form.List row, the row's index, where names are relative to the row.
 * `references`: for a list of ids of something defined elsewhere (by key), the choices with their names.
 */
export function SchemaFields({ node, path, aria, onChange, rowOf, references }: { node: Node; path: Path; aria: string; onChange: () => void; rowOf?: number; references?: References }) {
  const { t, locale } = useI18n();
  const { keyLabel: label, valueLabel } = useSchemaLabels();
  // The schema's descriptions are English notes for whoever edits the YAML.
  const title = (k: string, n: Node) => (n.description && locale === 'en' ? <Tooltip title={n.description}>{label(k)}</Tooltip> : label(k));
  const byDefault = (n: Node) => (typeof n.default === 'string' ? t('studio.generated.default', { value: valueLabel(n.default) }) : undefined);

  const input = (n: Node, name: Path, aria: string, k: string, kind: ControlKind): ReactNode => {
    const common = { name, label: title(k, n), style: { marginBottom: 12 } };
    switch (kind) {
      case 'switch':
        return <Form.Item {...common}><DefaultSwitch ariaLabel={aria} fallback={n.default === true} /></Form.Item>;
      case 'select':
        return <Form.Item {...common}><Select aria-label={aria} allowClear placeholder={byDefault(n)} options={n.enum?.map((v) => ({ value: v, label: valueLabel(v) }))} /></Form.Item>;
      case 'multi':
        return <Form.Item {...common}><Select aria-label={aria} mode="multiple" allowClear options={n.items?.enum?.map((v) => ({ value: v, label: valueLabel(v) }))} /></Form.Item>;
      case 'tags': {
        const choices = references?.[k.split('.').pop() ?? k];
        if (choices) return <Form.Item {...common}><Select aria-label={aria} mode="multiple" allowClear optionFilterProp="label" options={choices} /></Form.Item>;
        return <Form.Item {...common}><Select aria-label={aria} mode="tags" open={false} tokenSeparators={[',', '，']} /></Form.Item>;
      }
      case 'number':
        return <Form.Item {...common}><InputNumber aria-label={aria} /></Form.Item>;
      case 'text': {
        const choices = references?.[k.split('.').pop() ?? k];
        if (choices) return <Form.Item {...common}><Select aria-label={aria} allowClear showSearch optionFilterProp="label" options={choices} /></Form.Item>;
        return <Form.Item {...common}><Input.TextArea aria-label={aria} autoSize={{ minRows: 1, maxRows: 6 }} /></Form.Item>;
      }
      case 'nullableText':
        return (
          <Form.Item {...common} normalize={(v: string) => (v === '' ? null : v)}>
            <Input.TextArea aria-label={aria} autoSize={{ minRows: 1, maxRows: 6 }} />
          </Form.Item>
        );
      case 'period':
        return <Form.Item {...common}><PeriodInput ariaLabel={aria} /></Form.Item>;
      default:
        return null;
    }
  };

  // Short settings side by side first: the groups and tables below them are each as wide as the card.
  const body = (n: Node, path: Path, aria: string): ReactNode => {
    const kids = generatedChildren(n, path);
    const named = (k: string) => `${aria}${aria ? ' ' : ''}${label(k)}`;
    return (
      <>
        <Row gutter={16}>
          {kids.filter((c) => inline(c.kind)).map((c) => (
            <Col key={c.key} xs={24} md={12} lg={8}>
              {input(c.node, c.path, named(c.key), c.key, c.kind)}
            </Col>
          ))}
        </Row>
        {kids.filter((c) => !inline(c.kind)).map((c) => block(c.node, c.path, named(c.key), c.key, c.kind))}
      </>
    );
  };

  const block = (n: Node, path: Path, aria: string, k: string, kind: ControlKind): ReactNode => {
    const id = pathKey(path);
    if (kind === 'group') {
      if (!generatedChildren(n, path).length) return null;
      const gate = switchedBy[id];
      // An object of settings always shows; a step only while it is on (its switch above, or its value an object).
      const shown = (get: (p: Path) => unknown) => (gate ? get([gate]) === true : n.type === 'object' || isObject(get(path)));
      return (
        <Form.Item noStyle shouldUpdate key={id}>
          {({ getFieldValue }) =>
            shown(getFieldValue) ? (
              <Card size="small" title={title(k, n)} style={{ marginBottom: 12 }}>
                {body(n, path, aria)}
              </Card>
            ) : null
          }
        </Form.Item>
      );
    }
    if (kind === 'step') {
      return (
        <Card size="small" key={id} style={{ marginBottom: 12 }} title={title(k, n)} extra={<Form.Item name={path} noStyle><StepSwitch node={n} ariaLabel={aria} /></Form.Item>}>
          <Form.Item noStyle shouldUpdate>
            {({ getFieldValue }) => (isObject(getFieldValue(path)) ? body(n, path, aria) : <Typography.Text type="secondary">{t('studio.generated.off')}</Typography.Text>)}
          </Form.Item>
        </Card>
      );
    }
    const row = n.items as Node;
    const columns = generatedChildren(row, []).filter((c) => inline(c.kind));
    return (
      <Card size="small" key={id} style={{ marginBottom: 12 }} title={title(k, n)}>
        <Form.List name={path}>
          {(rows, { add, remove }) => (
            <>
              {rows.map((r) => (
                <Card
                  key={r.key}
                  size="small"
                  type="inner"
                  style={{ marginBottom: 8 }}
                  title={`${label(k)} ${r.name + 1}`}
                  extra={<Button type="text" danger icon={<DeleteOutlined />} aria-label={`${aria} ${t('studio.form.removeRow', { n: r.name + 1 })}`} onClick={() => { remove(r.name); onChange(); }} />}
                >
                  <Row gutter={16}>
                    {columns.map((c) => (
                      <Col key={c.key} xs={24} md={12} lg={8}>
                        {input(c.node, [r.name, c.key], `${aria} ${label(c.key)} ${r.name + 1}`, c.key, c.kind)}
                      </Col>
                    ))}
                  </Row>
                </Card>
              ))}
              <Button size="small" icon={<PlusOutlined />} aria-label={`${aria} ${t('studio.form.addRow')}`} onClick={() => { add(startValue(row, { years: 1 })); onChange(); }}>
                {t('studio.form.addRow')}
              </Button>
            </>
          )}
        </Form.List>
      </Card>
    );
  };

  if (rowOf === undefined) return body(node, path, aria);
  // In a row of a Form.List, names are relative to the row; the schema path keeps the list's key.
  return (
    <Row gutter={16}>
      {generatedChildren(node, path).filter((c) => inline(c.kind)).map((c) => (
        <Col key={c.key} xs={24} md={12} lg={8}>
          {input(c.node, [rowOf, c.key], `${label(`${path.at(-1)}.${c.key}`)} ${rowOf + 1}`, `${path.at(-1)}.${c.key}`, c.kind)}
        </Col>
      ))}
    </Row>
  );
}

export function GeneratedSettings({ onChange, references }: { onChange: () => void; references?: References }) {
  const { t } = useI18n();
  return (
    <Card title={t('studio.sections.generated')} size="small" style={{ marginTop: 12 }} data-testid="generated-settings">
      <Typography.Paragraph type="secondary">{t('studio.generated.hint')}</Typography.Paragraph>
      <SchemaFields node={listSchema} path={[]} aria="" onChange={onChange} references={references} />
    </Card>
  );
}
