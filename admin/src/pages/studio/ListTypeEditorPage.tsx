/**
 * 配置工作室 · 名单类型编辑 (`/config/studio/lists/:listId`, `_new` for a new one): a form over the
 * list type's config file (fields, notice period, term, repair rule, objections, measures,
 * permissions per action). Every change is linted by the API as one types (the start-up compiler
 * and linter plus the data safety rules); problems are shown next to their controls, the rest above
 * the form. Saving asks for a reason and shows the diff first; the model is live at once.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Col, Flex, Form, Input, Row, Select, Space, Spin, Switch, Table, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { parse as parseYaml } from 'yaml';
import { canGlobal } from '../../access/permissions';
import { Forbidden } from '../../components/Forbidden';
import { ErrorState, MetaGate, PageLoading } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { useMeta } from '../../meta/MetaContext';
import { personRoles } from '../../meta/roles';
import type { Meta } from '../../meta/types';
import { toApiError } from '../../providers/errors';
import { fetchListFile, fetchOverview, type ListChange, type LintResult, lintList, STUDIO_KEY, saveList } from './api';
import { blankListType, type ConfigIssue, fieldTypes, type FormValues, fromForm, listActions, mapIssues, toForm } from './formModel';
import { ListPreview } from './ListPreview';
import { GeneratedSettings, SchemaFields } from './GeneratedSettings';
import { enumAt, fieldSchema, pruneAdded } from './listSchemaForm';
import { IssueList, PeriodInput, SaveDialog, YamlEditor } from './parts';

export const NEW_LIST = '_new';

export default function ListTypeEditorPage() {
  return <MetaGate>{(meta) => (canGlobal(meta, 'configure') ? <Editor meta={meta} /> : <Forbidden />)}</MetaGate>;
}

function Editor({ meta }: { meta: Meta }) {
  const { t } = useI18n();
  const { listId = NEW_LIST } = useParams();
  const [params] = useSearchParams();
  const isNew = listId === NEW_LIST;
  /** The document parsed from the YAML tab, which the form starts again from (a fresh form: keys removed in YAML stay removed). */
  const [replaced, setReplaced] = useState<{ doc: Record<string, unknown>; nonce: number } | undefined>();
  const overview = useQuery({ queryKey: [...STUDIO_KEY, 'overview'], queryFn: fetchOverview });
  const file = useQuery({ queryKey: [...STUDIO_KEY, 'list', listId], queryFn: () => fetchListFile(listId), enabled: !isNew });
  if (overview.isLoading || file.isLoading) return <PageLoading />;
  if (overview.error || file.error || !overview.data) return <ErrorState error={overview.error ?? file.error} onRetry={() => { void overview.refetch(); void file.refetch(); }} />;
  const department = params.get('department') ?? meta.departments.find((d) => !d.office)?.code ?? '';
  const doc = replaced?.doc ?? (isNew ? blankListType(department) : (file.data?.data ?? {}));
  return (
    <EditorForm
      key={`${listId}:${overview.data.version}:${replaced?.nonce ?? 0}`}
      onReplace={(next) => setReplaced((r) => ({ doc: next, nonce: (r?.nonce ?? 0) + 1 }))}
      meta={meta}
      isNew={isNew}
      initial={doc}
      baseVersion={overview.data.version}
      entries={file.data?.entries ?? 0}
      title={isNew ? t('studio.newTitle') : t('studio.editTitle', { name: String(doc.name ?? listId) })}
    />
  );
}

type Props = { meta: Meta; isNew: boolean; initial: Record<string, unknown>; baseVersion: string; entries: number; title: string; onReplace: (doc: Record<string, unknown>) => void };

function EditorForm({ meta, isNew, initial, baseVersion, entries, title, onReplace }: Props) {
  const { t, pick, locale } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { refetch: refetchMeta } = useMeta();
  const [form] = Form.useForm<FormValues>();
  const initialValues = useMemo(() => toForm(initial), [initial]);
  const [lint, setLint] = useState<LintResult | undefined>();
  const [linting, setLinting] = useState(false);
  const [general, setGeneral] = useState<ConfigIssue[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [mode, setMode] = useState<'form' | 'yaml'>('form');
  /** The YAML tab's text and the list type it belongs to (fixed when the tab opens). */
  const [yaml, setYaml] = useState({ listId: '', text: '' });
  const shown = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const seq = useRef(0);

  const noticeOn = Form.useWatch('_notice', form);
  const termOn = Form.useWatch('_term', form);
  const repairOn = Form.useWatch('_repair', form);
  const objectionOn = Form.useWatch('_objection', form);
  const fieldsNow = Form.useWatch('fields', form) as { key?: string; label?: string }[] | undefined;
  const formListId = (Form.useWatch('id', form) as string | undefined) ?? (initial.id as string | undefined) ?? '';
  const listId = mode === 'yaml' ? yaml.listId : formListId;

  const current = useCallback(() => pruneAdded(fromForm(form.getFieldsValue(true) as FormValues), initial), [form, initial]);

  const runLint = useCallback(async () => {
    const doc = current();
    const id = String(doc.id ?? '');
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
      setLint(undefined);
      return undefined;
    }
    const mine = ++seq.current;
    setLinting(true);
    try {
      const result = await lintList(id, { list: doc });
      if (mine !== seq.current) return undefined;
      setLint(result);
      const fieldCount = Array.isArray(doc.fields) ? doc.fields.length : 0;
      const mapped = mapIssues(result.issues, `lists/${id}.yaml`, fieldCount, locale === 'en');
      const next = new Set(mapped.byField.keys());
      const clear = [...shown.current].filter((k) => !next.has(k)).map((k) => ({ name: k.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)), errors: [] as string[] }));
      form.setFields([...clear, ...[...mapped.byField.values()].map((f) => ({ name: f.name as never, errors: f.errors }))]);
      shown.current = next;
      setGeneral(mapped.general);
      return result;
    } catch (error) {
      if (mine === seq.current) message.error(toApiError(error).message);
      return undefined;
    } finally {
      if (mine === seq.current) setLinting(false);
    }
  }, [current, form, locale, message]);

  const runYamlLint = useCallback(
    async (id: string, text: string) => {
      const mine = ++seq.current;
      setLinting(true);
      try {
        const result = await lintList(id, { content: text });
        if (mine === seq.current) {
          setLint(result);
          setGeneral(result.issues);
        }
        return mine === seq.current ? result : undefined;
      } catch (error) {
        if (mine === seq.current) message.error(toApiError(error).message);
        return undefined;
      } finally {
        if (mine === seq.current) setLinting(false);
      }
    },
    [message],
  );

  const scheduleLint = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void runLint(), 400);
  };
  useEffect(() => {
    void runLint();
    return () => clearTimeout(timer.current);
  }, [runLint]);

  const editYaml = (text: string) => {
    setYaml((y) => ({ ...y, text }));
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void runYamlLint(yaml.listId, text), 500);
  };

  /** The YAML tab opens on the file as it would be saved; going back, the form starts again from the YAML. */
  const switchMode = async (next: string) => {
    clearTimeout(timer.current);
    if (next === 'yaml') {
      const result = await runLint();
      if (!result || result.content === null) return void message.error(t('studio.yaml.needId'));
      setYaml({ listId: formListId, text: result.content });
      setGeneral(result.issues);
      setMode('yaml');
      return;
    }
    let doc: unknown;
    try {
      doc = parseYaml(yaml.text);
    } catch (error) {
      return void message.error(t('studio.yaml.parseFailed', { message: error instanceof Error ? error.message : String(error) }));
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return void message.error(t('studio.yaml.notMapping'));
    onReplace(doc as Record<string, unknown>);
  };

  const openSave = async () => {
    clearTimeout(timer.current);
    const result = mode === 'yaml' ? await runYamlLint(yaml.listId, yaml.text) : await runLint();
    if (!result) return;
    if (!result.ok) {
      message.error(t('studio.fixFirst', { count: result.issues.length }));
      return;
    }
    setConfirming(true);
  };

  const save = async (reason: string) => {
    const change: ListChange = mode === 'yaml' ? { content: yaml.text } : { list: current() };
    const saved = await saveList(listId, change, reason, baseVersion);
    message.success(t('studio.saved', { version: saved.version }));
    setConfirming(false);
    await queryClient.invalidateQueries({ queryKey: STUDIO_KEY });
    refetchMeta();
    navigate('/config/studio');
  };

  const userRoles = personRoles(meta);
  const roleOptions = userRoles.map((r) => ({ value: r.id, label: pick(r.name, r.nameEn) }));
  const period = (name: (string | number)[], label: string) => (
    <Form.Item name={name} label={label}>
      <PeriodInput ariaLabel={label} />
    </Form.Item>
  );

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('studio.editorHint')} {entries > 0 ? t('studio.hasEntries', { count: entries }) : ''}
          </Typography.Text>
        </div>
        <Space>
          {linting ? <Spin size="small" /> : lint ? (lint.ok ? <Typography.Text type="success">{t('studio.lintOk')}</Typography.Text> : <Typography.Text type="danger">{t('studio.lintIssues', { count: lint.issues.length })}</Typography.Text>) : null}
          <Button onClick={() => navigate('/config/studio')}>{t('studio.back')}</Button>
          <Button type="primary" onClick={() => void openSave()}>
            {t('studio.save')}
          </Button>
        </Space>
      </Flex>
      <IssueList issues={general} />
      <Tabs
        activeKey={mode}
        onChange={(key) => void switchMode(key)}
        items={[
          { key: 'form', label: t('studio.yaml.formTab') },
          { key: 'yaml', label: t('studio.yaml.yamlTab') },
        ]}
      />
      {mode === 'yaml' ? (
        <>
          <Typography.Text type="secondary">{t('studio.yaml.hint', { file: `lists/${yaml.listId}.yaml` })}</Typography.Text>
          <YamlEditor file={`lists/${yaml.listId}.yaml`} ariaLabel={t('studio.files.editor', { file: `lists/${yaml.listId}.yaml` })} value={yaml.text} onChange={editYaml} />
        </>
      ) : null}
      <Form form={form} style={mode === 'yaml' ? { display: 'none' } : undefined} layout="vertical" initialValues={initialValues} onValuesChange={scheduleLint} requiredMark={false}>
        <Card title={t('studio.sections.basic')} size="small">
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="id" label={t('studio.labels.id')} extra={isNew ? t('studio.idHelp') : undefined}>
                <Input disabled={!isNew} placeholder="credit-black-example" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="name" label={t('studio.labels.name')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="name_en" label={t('studio.labels.nameEn')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="kind" label={t('studio.labels.kind')}>
                <Select options={enumAt('kind').map((k) => ({ value: k, label: t(`kinds.list.${k}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="department" label={t('studio.labels.department')}>
                <Select showSearch optionFilterProp="label" options={meta.departments.map((d) => ({ value: d.code, label: pick(d.name, d.nameEn) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="status" label={t('studio.labels.status')}>
                <Select allowClear placeholder={t('studio.status.active')} options={enumAt('status').map((s) => ({ value: s, label: t(`studio.status.${s}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="legal_basis_text" label={t('studio.labels.legalBasis')} extra={t('studio.legalBasisHelp')}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item name="subject_kinds" label={t('studio.labels.subjectKinds')}>
                <Checkbox.Group options={enumAt('subject_kinds').map((k) => ({ value: k, label: t(`kinds.subject.${k}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="portal" label={t('studio.labels.portal')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t('studio.sections.fields')} size="small" style={{ marginTop: 12 }}>
          <Form.List name="fields">
            {(rows, { add, remove }) => (
              <>
                <Table
                  size="small"
                  pagination={false}
                  rowKey="key"
                  dataSource={rows}
                  // A field's other settings (English label, help text, bounds …), generated from the schema.
                  expandable={{ expandedRowRender: (row) => <SchemaFields node={fieldSchema} path={['fields']} aria="" rowOf={row.name} onChange={scheduleLint} /> }}
                  columns={[
                    {
                      title: t('studio.fields.key'),
                      render: (_, row) => (
                        <Form.Item name={[row.name, 'key']} style={{ marginBottom: 0 }}>
                          <Input aria-label={`${t('studio.fields.key')} ${row.name + 1}`} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('studio.fields.label'),
                      render: (_, row) => (
                        <Form.Item name={[row.name, 'label']} style={{ marginBottom: 0 }}>
                          <Input aria-label={`${t('studio.fields.label')} ${row.name + 1}`} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('studio.fields.type'),
                      render: (_, row) => (
                        <Form.Item name={[row.name, 'type']} style={{ marginBottom: 0 }}>
                          <Select aria-label={`${t('studio.fields.type')} ${row.name + 1}`} style={{ width: 110 }} options={fieldTypes.map((ft) => ({ value: ft, label: t(`kinds.field.${ft}`) }))} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('studio.fields.options'),
                      render: (_, row) => (
                        <Form.Item name={[row.name, 'options']} style={{ marginBottom: 0 }}>
                          <Select aria-label={`${t('studio.fields.options')} ${row.name + 1}`} mode="tags" style={{ minWidth: 160 }} open={false} tokenSeparators={[',', '，']} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('studio.fields.required'),
                      render: (_, row) => (
                        <Form.Item name={[row.name, 'required']} valuePropName="checked" style={{ marginBottom: 0 }}>
                          <Checkbox aria-label={`${t('studio.fields.required')} ${row.name + 1}`} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('studio.fields.public'),
                      render: (_, row) => (
                        <Form.Item name={[row.name, 'public']} valuePropName="checked" style={{ marginBottom: 0 }}>
                          <Checkbox aria-label={`${t('studio.fields.public')} ${row.name + 1}`} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: '',
                      render: (_, row) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={`${t('studio.fields.remove')} ${row.name + 1}`} onClick={() => { remove(row.name); scheduleLint(); }} />,
                    },
                  ]}
                />
                <Button style={{ marginTop: 8 }} icon={<PlusOutlined />} onClick={() => { add({ key: '', label: '', type: 'string' }); scheduleLint(); }}>
                  {t('studio.fields.add')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>

        <Card title={t('studio.sections.procedure')} size="small" style={{ marginTop: 12 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="_notice" label={t('studio.labels.notice')} valuePropName="checked">
                <Switch />
              </Form.Item>
              {noticeOn && period(['procedure', 'notice', 'statement_period'], t('studio.labels.statementPeriod'))}
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name={['procedure', 'recognise', 'separate_reviewer']} label={t('studio.labels.separateReviewer')} valuePropName="checked">
                <Switch />
              </Form.Item>
              {period(['procedure', 'publish', 'within'], t('studio.labels.publishWithin'))}
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="_term" label={t('studio.labels.term')} valuePropName="checked">
                <Switch />
              </Form.Item>
              {termOn && period(['term', 'default'], t('studio.labels.termDefault'))}
            </Col>
          </Row>
        </Card>

        <Card title={t('studio.sections.repair')} size="small" style={{ marginTop: 12 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="_repair" label={t('studio.labels.repair')} valuePropName="checked">
                <Switch />
              </Form.Item>
              {repairOn && (
                <>
                  {period(['repair', 'min_published'], t('studio.labels.repairMin'))}
                  <Form.Item name={['repair', 'requires']} label={t('studio.labels.repairRequires')}>
                    <Select mode="multiple" options={meta.materials.map((m) => ({ value: m.id, label: pick(m.name, m.nameEn) }))} />
                  </Form.Item>
                  {period(['repair', 'accept_within'], t('studio.labels.repairAccept'))}
                  {period(['repair', 'decide_within'], t('studio.labels.repairDecide'))}
                </>
              )}
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="_objection" label={t('studio.labels.objection')} valuePropName="checked">
                <Switch />
              </Form.Item>
              {objectionOn && period(['objection', 'answer_within'], t('studio.labels.objectionWithin'))}
            </Col>
          </Row>
        </Card>

        <Card title={t('studio.sections.measures')} size="small" style={{ marginTop: 12 }}>
          <Form.Item name="measures" label={t('studio.labels.measures')}>
            <Select mode="multiple" optionFilterProp="label" options={meta.measures.map((m) => ({ value: m.id, label: `${pick(m.name, m.nameEn)}（${m.id}）` }))} />
          </Form.Item>
        </Card>

        <Card title={t('studio.sections.permissions')} size="small" style={{ marginTop: 12 }}>
          <Row gutter={16}>
            {listActions.map((action) => (
              <Col xs={24} md={12} lg={8} key={action}>
                <Form.Item name={['permissions', action]} label={t(`studio.actions.${action}`)}>
                  <Select mode="multiple" allowClear options={roleOptions} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Card>

        {/* In a list type, `requires` always names materials of platform.yaml and `field` one of its own fields. */}
        <GeneratedSettings
          onChange={scheduleLint}
          references={{
            requires: meta.materials.map((m) => ({ value: m.id, label: pick(m.name, m.nameEn) })),
            field: (fieldsNow ?? []).flatMap((f) => (f?.key ? [{ value: f.key, label: `${f.label || f.key}（${f.key}）` }] : [])),
          }}
        />
      </Form>
      {lint ? (
        <Card title={t('studio.previewTitle')} size="small">
          <ListPreview meta={meta} list={lint.preview?.list} diff={lint.diff} />
        </Card>
      ) : null}

      <SaveDialog
        open={confirming}
        title={t('studio.confirmTitle', { id: listId })}
        hint={t('studio.confirmHint')}
        okText={t('studio.confirmOk')}
        diff={lint?.diff ?? ''}
        onSave={save}
        onClose={() => setConfirming(false)}
      />
    </Flex>
  );
}
