/**
 * What a list-type change would produce, from the compiled model the lint returns (the same shape
 * the admin gets from /api/meta after the save): the operator's entry form, the columns of the
 * entry list and the procedure's state diagram, next to the diff against the files in force.
 */
import { App, Table, Tabs, Typography } from 'antd';
import { useMemo } from 'react';
import { ProcedureDiagram } from '../../components/ProcedureDiagram';
import { columnFields } from '../../entries/columns';
import { fieldLabel } from '../../fields/registry';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta, MetaList } from '../../meta/types';
import { EntryForm } from '../entries/EntryForm';
import { DiffView } from './parts';

export function ListPreview({ meta, list, diff }: { meta: Meta; list?: MetaList; diff: string }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  // The office admin may not create entries; the preview shows the form as the list's own department would.
  const asDepartment = useMemo<Meta | undefined>(
    () => (list ? { ...meta, lists: [...meta.lists.filter((l) => l.id !== list.id), list], permissions: { lists: { [list.id]: { create: [list.department] } }, global: {}, domains: [list.department] } } : undefined),
    [meta, list],
  );
  const columns = list
    ? [
        t('entries.subject'),
        t('entries.status'),
        t('entries.due'),
        t('entries.department'),
        ...columnFields(list).map((f) => fieldLabel(f, locale)),
        t('entries.createdAt'),
        t('common.operations'),
      ].map((title, i) => ({ key: String(i), title, dataIndex: String(i) }))
    : [];
  const unavailable = <Typography.Text type="secondary">{t('studio.previewUnavailable')}</Typography.Text>;
  return (
    <Tabs
      data-testid="studio-preview"
      items={[
        {
          key: 'form',
          label: t('studio.previewTabs.form'),
          children:
            list && asDepartment ? (
              <EntryForm
                key={JSON.stringify(list.fields) + list.subjectKinds.join()}
                list={list}
                meta={asDepartment}
                mode="create"
                initialValues={{ department: list.department, subject: { kind: list.subjectKinds[0] }, relatedPersons: [], fields: {} }}
                onCancel={() => undefined}
                onSubmit={async () => void message.info(t('studio.previewOnly'))}
                extra={<Typography.Text type="secondary">{t('studio.previewFormHint')}</Typography.Text>}
              />
            ) : (
              unavailable
            ),
        },
        {
          key: 'columns',
          label: t('studio.previewTabs.columns'),
          children: list ? <Table size="small" bordered columns={columns} dataSource={[]} pagination={false} scroll={{ x: true }} aria-label={t('studio.previewTabs.columns')} /> : unavailable,
        },
        { key: 'diagram', label: t('studio.previewTabs.diagram'), children: list ? <ProcedureDiagram procedure={list.procedure} /> : unavailable },
        { key: 'diff', label: t('studio.preview'), children: <DiffView diff={diff} /> },
      ]}
    />
  );
}
