/** 新增条目 (`/lists/:listId/create`): a draft of the list type; saved drafts open on their detail page. */
import { Create } from '@refinedev/antd';
import { useInvalidate } from '@refinedev/core';
import { App } from 'antd';
import { useNavigate } from 'react-router';
import { listDepartments } from '../../access/permissions';
import { createEntry } from '../../entries/api';
import { formValuesToCreateBody } from '../../fields/values';
import { useI18n } from '../../i18n/I18nContext';
import { entryShowRoute, listResourceName, listRoute } from '../../meta/resources';
import type { Meta, MetaList } from '../../meta/types';
import { EntryForm } from './EntryForm';
import { ListGate } from './ListGate';

export default function EntryCreatePage() {
  return <ListGate action="create">{(list, meta) => <CreateEntry key={list.id} list={list} meta={meta} />}</ListGate>;
}

function CreateEntry({ list, meta }: { list: MetaList; meta: Meta }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const departments = listDepartments(meta, list.id, 'create');

  return (
    <Create
      resource={listResourceName(list.id)}
      title={t('entryForm.createTitle')}
      headerProps={{ subTitle: pick(list.name, list.nameEn), onBack: () => navigate(listRoute(list.id)) }}
      footerButtons={() => null}
      saveButtonProps={{ style: { display: 'none' } }}
    >
      <EntryForm
        list={list}
        meta={meta}
        mode="create"
        initialValues={{
          department: departments.length === 1 ? departments[0] : undefined,
          subject: { kind: list.subjectKinds[0] },
          relatedPersons: [],
          fields: {},
        }}
        onCancel={() => navigate(listRoute(list.id))}
        onSubmit={async (values) => {
          const created = await createEntry(list.id, formValuesToCreateBody(values, list));
          message.success(t('entryForm.created'));
          void invalidate({ resource: listResourceName(list.id), invalidates: ['list'] });
          // Leave the form after the unsaved-changes guard is lifted.
          setTimeout(() => navigate(entryShowRoute(list.id, created.id), { replace: true }), 0);
        }}
      />
    </Create>
  );
}
