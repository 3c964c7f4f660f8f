import { Button, Table, Tag } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { menuGroupOf } from '../../meta/resources';
import type { Meta, MetaList } from '../../meta/types';
import { ListTypeDrawer } from './ListTypeDrawer';
import { GROUP_COLOR } from '../../components/kinds';


export function ListTypesTab({ meta }: { meta: Meta }) {
  const { t, pick } = useI18n();
  // The open drawer is in the URL (?tab=lists&list=<id>) so it can be linked to.
  const [params, setParams] = useSearchParams();
  const openId = params.get('list');
  const open = openId ? meta.lists.find((l) => l.id === openId) : undefined;
  const departments = useMemo(() => new Map(meta.departments.map((d) => [d.code, d])), [meta.departments]);

  const setOpen = (id: string | undefined) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (id) next.set('list', id);
      else next.delete('list');
      return next;
    });

  return (
    <>
      <Table<MetaList>
        size="small"
        rowKey="id"
        dataSource={meta.lists}
        pagination={false}
        locale={{ emptyText: <EmptyState /> }}
        scroll={{ x: 'max-content' }}
        onRow={(list) => ({ onDoubleClick: () => setOpen(list.id) })}
        columns={[
          { key: 'name', title: t('config.lists.name'), render: (_, l) => pick(l.name, l.nameEn) },
          {
            key: 'id',
            title: t('config.lists.id'),
            render: (_, l) => <code>{l.id}</code>,
          },
          {
            key: 'kind',
            title: t('config.lists.kind'),
            filters: (['black', 'red', 'watch', 'record'] as const).map((g) => ({ text: t(`menu.groups.${g}`), value: g })),
            onFilter: (value, l) => menuGroupOf(l) === value,
            render: (_, l) => {
              const g = menuGroupOf(l);
              return <Tag color={GROUP_COLOR[g]}>{t(`menu.groups.${g}`)}</Tag>;
            },
          },
          {
            key: 'department',
            title: t('config.lists.department'),
            render: (_, l) => {
              const d = departments.get(l.department);
              return d ? pick(d.name, d.nameEn) : l.department;
            },
          },
          { key: 'fields', title: t('config.lists.fieldsCount'), align: 'right', render: (_, l) => l.fields.length },
          { key: 'states', title: t('config.lists.statesCount'), align: 'right', render: (_, l) => l.procedure.states.length },
          {
            key: 'portal',
            title: t('config.lists.portal'),
            render: (_, l) => (l.portal ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
          },
          {
            key: 'actions',
            title: '',
            fixed: 'right',
            render: (_, l) => (
              <Button size="small" type="link" onClick={() => setOpen(l.id)}>
                {t('config.lists.detail')}
              </Button>
            ),
          },
        ]}
      />
      <ListTypeDrawer meta={meta} list={open} onClose={() => setOpen(undefined)} />
    </>
  );
}
