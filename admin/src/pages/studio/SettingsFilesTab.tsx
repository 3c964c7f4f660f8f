/**
 * The studio's other config files (platform, departments, roles, measures, assessment indicators,
 * division-of-work plans) as YAML: checked as the office types (the same lint and data rules as a
 * list type, e.g. a department still holding entries cannot be deleted), then saved with a reason
 * and a diff, live without a restart. Plans may be added and removed.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Collapse, Flex, Form, Input, Modal, Select, Space, Spin, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorState, PageLoading } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { useMeta } from '../../meta/MetaContext';
import { toApiError } from '../../providers/errors';
import { fetchSettingsFiles, type LintResult, lintFile, type SettingsFile, STUDIO_KEY, saveFile } from './api';
import { DiffView, IssueList, SaveDialog, YamlEditor } from './parts';
import { hasForm, SchemaForm } from './SchemaForm';
import { schemaKindOf } from './schemaKind';

const FILES_KEY = [...STUDIO_KEY, 'files'] as const;
const planPath = (id: string) => `plans/${id}.yaml`;
const isPlan = (path: string) => path.startsWith('plans/');
type Change = { content: string } | { remove: true };

/** A new plan's starting text: every required key, one task to edit. */
const planTemplate = (id: string) => `id: ${id}
title: 新的任务分工方案
issued_by: 示例市人民政府办公室
source: 文件名称和文号
unit_mapping:
  - { unit: 市发展改革委, department: fgj }
tasks:
  - { no: '1', text: 任务内容, lead: [fgj], co: [], deadline: ${new Date().getFullYear()}-12-31 }
`;

export function SettingsFilesTab() {
  const { t } = useI18n();
  const query = useQuery({ queryKey: FILES_KEY, queryFn: fetchSettingsFiles });
  const [path, setPath] = useState('departments.yaml');
  if (query.isLoading) return <PageLoading />;
  if (query.error || !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { files, version } = query.data;
  const file = files.find((f) => f.path === path);
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('studio.files.hint')}</Typography.Text>
      <FileEditor key={`${path}@${version}`} files={files} path={path} file={file} version={version} onOpen={setPath} />
    </Flex>
  );
}

function FileEditor({ files, path, file, version, onOpen }: { files: SettingsFile[]; path: string; file?: SettingsFile; version: string; onOpen: (path: string) => void }) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const { refetch: refetchMeta } = useMeta();
  const original = file?.content ?? (isPlan(path) ? planTemplate(path.slice(6, -5)) : '');
  const [text, setText] = useState(original);
  const [lint, setLint] = useState<LintResult | undefined>();
  const [linting, setLinting] = useState(false);
  const [pending, setPending] = useState<Change | undefined>();
  const [creating, setCreating] = useState(false);
  const [newId, setNewId] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const seq = useRef(0);
  const dirty = text !== (file?.content ?? '');
  const kind = schemaKindOf(path);
  const [view, setView] = useState<'form' | 'yaml'>('form');

  const runLint = useCallback(
    async (change: Change) => {
      const mine = ++seq.current;
      setLinting(true);
      try {
        const result = await lintFile(path, change);
        if (mine === seq.current) setLint(result);
        return result;
      } catch (error) {
        if (mine === seq.current) message.error(toApiError(error).message);
        return undefined;
      } finally {
        if (mine === seq.current) setLinting(false);
      }
    },
    [path, message],
  );

  useEffect(() => {
    clearTimeout(timer.current);
    if (!dirty) {
      // A check still under way is for text that is gone: its answer must not come back.
      seq.current++;
      setLinting(false);
      setLint(undefined);
      return;
    }
    timer.current = setTimeout(() => void runLint({ content: text }), 500);
    return () => clearTimeout(timer.current);
  }, [text, dirty, runLint]);

  /** Leaves unsaved text only after asking. */
  const leave = (go: () => void) => {
    if (!dirty) return go();
    modal.confirm({ title: t('studio.files.discardTitle'), content: t('studio.files.discard'), okText: t('studio.files.discardOk'), cancelText: t('studio.cancel'), onOk: go });
  };

  const openSave = async (change: Change) => {
    clearTimeout(timer.current);
    const result = await runLint(change);
    if (!result) return;
    if (!result.ok) return void message.error(t('studio.fixFirst', { count: result.issues.length }));
    if (!result.diff.trim()) return void message.info(t('studio.noDiff'));
    setPending(change);
  };

  const save = async (reason: string) => {
    if (!pending) return;
    const saved = await saveFile(path, pending, reason, version);
    message.success(t('studio.saved', { version: saved.version }));
    setPending(undefined);
    if ('remove' in pending) onOpen('departments.yaml');
    await queryClient.invalidateQueries({ queryKey: STUDIO_KEY });
    refetchMeta();
  };

  const label = (p: string) => (isPlan(p) ? t('studio.files.plan', { id: p.slice(6).replace(/\.ya?ml$/, '') }) : t(`studio.files.kinds.${p.replace(/\.yaml$/, '')}`));
  const options = [...files.map((f) => f.path), ...(file ? [] : [path])].map((p) => ({ value: p, label: `${label(p)}（${p}）` }));
  const idOk = /^[a-z0-9][a-z0-9-]{0,62}$/.test(newId) && !files.some((f) => f.path === planPath(newId));

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Select aria-label={t('studio.files.file')} value={path} options={options} style={{ width: 360 }} onChange={(p) => leave(() => onOpen(p))} />
          <Button icon={<PlusOutlined />} onClick={() => leave(() => { setNewId(''); setCreating(true); })}>
            {t('studio.files.newPlan')}
          </Button>
        </Space>
        <Space wrap>
          {linting ? <Spin size="small" /> : lint ? (lint.ok ? <Typography.Text type="success">{t('studio.lintOk')}</Typography.Text> : <Typography.Text type="danger">{t('studio.lintIssues', { count: lint.issues.length })}</Typography.Text>) : null}
          {file && isPlan(path) ? (
            <Button danger icon={<DeleteOutlined />} onClick={() => void openSave({ remove: true })}>
              {t('studio.files.removePlan')}
            </Button>
          ) : null}
          <Button disabled={!dirty} onClick={() => setText(file?.content ?? '')}>
            {t('studio.files.revert')}
          </Button>
          <Button type="primary" disabled={!dirty} onClick={() => void openSave({ content: text })}>
            {t('studio.save')}
          </Button>
        </Space>
      </Flex>
      {lint ? <IssueList issues={lint.issues} /> : null}
      {kind && hasForm(kind) ? (
        <Tabs
          activeKey={view}
          onChange={(key) => setView(key as 'form' | 'yaml')}
          items={[
            { key: 'form', label: t('studio.yaml.formTab'), children: <SchemaForm kind={kind} text={text} onChange={setText} /> },
            { key: 'yaml', label: t('studio.yaml.yamlTab'), children: <YamlEditor file={path} ariaLabel={t('studio.files.editor', { file: path })} value={text} onChange={setText} /> },
          ]}
        />
      ) : (
        <YamlEditor file={path} ariaLabel={t('studio.files.editor', { file: path })} value={text} onChange={setText} />
      )}
      {lint && dirty ? <Collapse items={[{ key: 'diff', label: t('studio.preview'), children: <DiffView diff={lint.diff} /> }]} /> : null}

      <SaveDialog
        open={pending !== undefined}
        title={pending && 'remove' in pending ? t('studio.files.removeTitle', { file: path }) : t('studio.files.confirmTitle', { file: path })}
        hint={t('studio.confirmHint')}
        okText={t('studio.confirmOk')}
        danger={pending !== undefined && 'remove' in pending}
        diff={lint?.diff ?? ''}
        onSave={save}
        onClose={() => setPending(undefined)}
      />

      <Modal
        open={creating}
        title={t('studio.files.newPlan')}
        okText={t('studio.files.create')}
        cancelText={t('studio.cancel')}
        okButtonProps={{ disabled: !idOk }}
        onOk={() => {
          setCreating(false);
          onOpen(planPath(newId));
        }}
        onCancel={() => setCreating(false)}
      >
        <Form layout="vertical">
          <Form.Item label={t('studio.files.planId')} help={t('studio.files.planIdHelp')} validateStatus={newId && !idOk ? 'error' : undefined}>
            <Input aria-label={t('studio.files.planId')} value={newId} onChange={(e) => setNewId(e.target.value.trim())} maxLength={63} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
