/**
 * 用户管理 (`/system/users`, manage-users): accounts with their roles per department; create, edit,
 * reset password, disable / enable (confirmed). Roles of scope `all` are held office-wide
 * (department `*`), roles of scope `own` in one department.
 */
import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { List, useTable } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { App, Badge, Button, Flex, Form, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { canGlobal } from '../../access/permissions';
import { useSession } from '../../auth/session';
import { Forbidden } from '../../components/Forbidden';
import { formatDay } from '../../components/format';
import { EmptyState, ErrorState, MetaGate } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { describeAssignments } from '../../meta/roles';
import type { Meta } from '../../meta/types';
import { requestJson } from '../../providers/http';
import { shouldRetry, toApiError } from '../../providers/errors';
import { type UserRecord, UserDrawer } from './UserDrawer';

export default function UsersPage() {
  return (
    <MetaGate>{(meta) => (canGlobal(meta, 'manage-users') ? <Users meta={meta} /> : <Forbidden />)}</MetaGate>
  );
}

function Users({ meta }: { meta: Meta }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const session = useSession();
  const [editing, setEditing] = useState<UserRecord | 'new' | undefined>();
  const { tableProps, tableQuery, searchFormProps } = useTable<UserRecord, HttpError, { q?: string }>({
    resource: 'users',
    syncWithLocation: true,
    pagination: { pageSize: 20 },
    sorters: { initial: [{ field: 'username', order: 'asc' }] },
    errorNotification: false,
    queryOptions: { retry: shouldRetry },
    onSearch: (values) => [{ field: 'q', operator: 'eq', value: values.q?.trim() || undefined }],
  });

  const setDisabled = async (user: UserRecord, disabled: boolean) => {
    try {
      await requestJson(`/api/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body: { disabled } });
      message.success(t(disabled ? 'users.disabledDone' : 'users.enabledDone', { name: user.displayName }));
      void tableQuery.refetch();
    } catch (error) {
      message.error(toApiError(error).message);
    }
  };

  return (
    <List
      title={t('users.title')}
      headerButtons={() => (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('users.create')}
        </Button>
      )}
    >
      <Flex vertical gap={16}>
        <Form {...searchFormProps} layout="inline">
          <Form.Item name="q" label={t('users.search')}>
            <Input allowClear prefix={<SearchOutlined />} placeholder={t('users.searchPlaceholder')} style={{ width: 280 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              {t('filters.search')}
            </Button>
          </Form.Item>
        </Form>
        {tableQuery.isError ? (
          <ErrorState error={tableQuery.error} title={t('users.errorTitle')} onRetry={() => void tableQuery.refetch()} />
        ) : (
          <Table<UserRecord>
            {...tableProps}
            rowKey="id"
            size="middle"
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <EmptyState title={t('users.empty')} /> }}
            pagination={
              tableProps.pagination === false
                ? false
                : { ...tableProps.pagination, showTotal: (total: number) => t('common.total', { total }) }
            }
            columns={[
              {
                key: 'username',
                dataIndex: 'username',
                title: t('users.username'),
                sorter: true,
                render: (v: string) => <Typography.Text style={{ fontFamily: 'monospace' }}>{v}</Typography.Text>,
              },
              { key: 'displayName', dataIndex: 'displayName', title: t('users.displayName'), sorter: true },
              {
                key: 'roles',
                title: t('users.roles'),
                render: (_, user) =>
                  user.roles.length ? (
                    <Flex gap={4} wrap style={{ maxWidth: 420 }}>
                      {describeAssignments(user.roles, meta, { t, pick }).map((a) => (
                        <Tag key={`${a.roleId}@${a.departmentCode}`} color={a.departmentCode === '*' ? 'geekblue' : undefined}>
                          {a.role} · {a.department}
                        </Tag>
                      ))}
                    </Flex>
                  ) : (
                    <Typography.Text type="secondary">{t('users.noRoles')}</Typography.Text>
                  ),
              },
              {
                key: 'status',
                title: t('users.status'),
                render: (_, user) => (
                  <Space size={4} wrap>
                    <Badge status={user.disabled ? 'default' : 'success'} text={t(user.disabled ? 'users.disabled' : 'users.active')} />
                    {user.mustChangePassword ? (
                      <Tooltip title={t('users.mustChangeHint')}>
                        <Tag color="orange">{t('users.mustChange')}</Tag>
                      </Tooltip>
                    ) : null}
                  </Space>
                ),
              },
              {
                key: 'createdAt',
                dataIndex: 'createdAt',
                title: t('users.createdAt'),
                sorter: true,
                render: (v: string) => formatDay(v, meta.platform.timezone),
              },
              {
                key: 'actions',
                title: t('common.operations'),
                fixed: 'right',
                render: (_, user) => (
                  <Space size={0}>
                    <Button type="link" size="small" onClick={() => setEditing(user)}>
                      {t('buttons.edit')}
                    </Button>
                    {user.id === session?.user.id ? null : (
                      <Popconfirm
                        title={t(user.disabled ? 'users.enableTitle' : 'users.disableTitle', { name: user.displayName })}
                        description={user.disabled ? undefined : t('users.disableDescription')}
                        okText={t(user.disabled ? 'users.enable' : 'users.disable')}
                        okButtonProps={{ danger: !user.disabled }}
                        cancelText={t('buttons.cancel')}
                        onConfirm={() => setDisabled(user, !user.disabled)}
                      >
                        <Button type="link" size="small" danger={!user.disabled}>
                          {t(user.disabled ? 'users.enable' : 'users.disable')}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Flex>
      {editing ? (
        <UserDrawer
          meta={meta}
          user={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            void tableQuery.refetch();
          }}
        />
      ) : null}
    </List>
  );
}
