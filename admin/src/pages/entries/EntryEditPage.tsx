/**
 * 修改草稿 (`/lists/:listId/edit/:id`): drafts only, sent with the version that was loaded; when
 * someone else saved in between (409 VERSION_CONFLICT) the latest draft is reloaded into the form.
 */
import { Edit } from '@refinedev/antd';
import { useInvalidate } from '@refinedev/core';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Result } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { canList } from '../../access/permissions';
import { Forbidden } from '../../components/Forbidden';
import { ErrorState, PageLoading } from '../../components/states';
import { StatusTag } from '../../components/StatusTag';
import { entryQueryKey, getEntry, updateEntry } from '../../entries/api';
import { entryToFormValues, formValuesToPatchBody } from '../../fields/values';
import { useI18n } from '../../i18n/I18nContext';
import { entryShowRoute, listResourceName } from '../../meta/resources';
import type { Meta, MetaList } from '../../meta/types';
import { shouldRetry, toApiError } from '../../providers/errors';
import { EntryForm } from './EntryForm';
import { ListGate } from './ListGate';

export default function EntryEditPage() {
  const { id = '' } = useParams();
  return <ListGate action="edit-draft">{(list, meta) => <EditEntry key={`${list.id}/${id}`} list={list} meta={meta} id={id} />}</ListGate>;
}

function EditEntry({ list, meta, id }: { list: MetaList; meta: Meta; id: string }) {
  const { t, pick } = useI18n();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [formKey, setFormKey] = useState(0);
  const query = useQuery({ queryKey: entryQueryKey(list.id, id), queryFn: ({ signal }) => getEntry(list.id, id, signal), retry: shouldRetry });
  const entry = query.data;

  if (query.isLoading) return <PageLoading />;
  if (query.isError || !entry) {
    return <ErrorState error={query.error} title={t('entry.errorTitle')} onRetry={() => void query.refetch()} />;
  }
  if (!canList(meta, list.id, 'edit-draft', entry.department)) return <Forbidden />;
  if (entry.status !== list.procedure.initial) {
    return (
      <Result
        status="info"
        title={t('entryForm.notDraft')}
        subTitle={<StatusTag status={entry.status} procedure={list.procedure} />}
        extra={
          <Button type="primary" onClick={() => navigate(entryShowRoute(list.id, entry.id))}>
            {t('entry.backToEntry')}
          </Button>
        }
      />
    );
  }

  return (
    <Edit
      resource={listResourceName(list.id)}
      recordItemId={entry.id}
      title={t('entryForm.editTitle')}
      headerProps={{ subTitle: `${pick(list.name, list.nameEn)} · ${entry.subject.name}`, onBack: () => navigate(entryShowRoute(list.id, entry.id)) }}
      headerButtons={() => null}
      footerButtons={() => null}
      saveButtonProps={{ style: { display: 'none' } }}
    >
      <EntryForm
        key={`${entry.version}-${formKey}`}
        list={list}
        meta={meta}
        mode="edit"
        initialValues={entryToFormValues(entry, list)}
        extra={<Alert type="info" showIcon message={t('entryForm.versionNote', { version: entry.version })} />}
        onCancel={() => navigate(entryShowRoute(list.id, entry.id))}
        onSubmit={async (values) => {
          try {
            await updateEntry(list.id, entry.id, formValuesToPatchBody(values, list, entry.version));
          } catch (error) {
            const e = toApiError(error);
            if (e.code === 'VERSION_CONFLICT') {
              modal.warning({ title: t('entry.versionConflictTitle'), content: t('entryForm.conflictReloaded') });
              await query.refetch();
              setFormKey((k) => k + 1);
              return;
            }
            if (e.code === 'NOT_A_DRAFT') {
              message.warning(e.message);
              await query.refetch();
              return;
            }
            throw error;
          }
          message.success(t('entryForm.saved'));
          void invalidate({ resource: listResourceName(list.id), invalidates: ['list'] });
          await query.refetch();
          setTimeout(() => navigate(entryShowRoute(list.id, entry.id)), 0);
        }}
      />
    </Edit>
  );
}
