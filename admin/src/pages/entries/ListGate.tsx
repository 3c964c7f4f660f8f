/** Resolves `:listId` against meta: loading, unknown list type and no view permission are handled here. */
import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { canList } from '../../access/permissions';
import { Forbidden } from '../../components/Forbidden';
import { MetaGate } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta, MetaList } from '../../meta/types';

export function ListGate({ action = 'view', children }: { action?: string; children: (list: MetaList, meta: Meta) => ReactNode }) {
  const { listId = '' } = useParams();
  const { t } = useI18n();
  return (
    <MetaGate>
      {(meta) => {
        const list = meta.lists.find((l) => l.id === listId);
        if (!list) {
          return (
            <Result
              status="404"
              title={t('entries.unknownList')}
              subTitle={t('entries.unknownListDescription', { id: listId })}
              extra={
                <Link to="/">
                  <Button type="primary">{t('common.backHome')}</Button>
                </Link>
              }
            />
          );
        }
        if (!canList(meta, list.id, action)) return <Forbidden />;
        return children(list, meta);
      }}
    </MetaGate>
  );
}
