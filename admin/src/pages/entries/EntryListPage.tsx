/** Generic entry table for one list type (`/lists/:listId`), columns built from the list's fields. */
import { SearchOutlined } from '@ant-design/icons';
import { List, useTable } from '@refinedev/antd';
import type { CrudFilter, HttpError } from '@refinedev/core';
import { Button, Descriptions, Flex, Form, Input, Result, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { GROUP_COLOR } from '../../components/kinds';
import { EmptyState, ErrorState, MetaGate } from '../../components/states';
import { StatusTag } from '../../components/StatusTag';
import { type EntryRecord, entryDepartment, entryStatus, fieldValue, subjectCode, subjectName } from '../../fields/entry';
import { displayField, isSimpleField } from '../../fields/registry';
import { shouldRetry } from '../../providers/errors';
import { useI18n } from '../../i18n/I18nContext';
import { listResourceName, menuGroupOf } from '../../meta/resources';
import type { Meta, MetaList } from '../../meta/types';

export default function EntryListPage() {
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
        // key: a new list type gets fresh table state (page, filters).
        return <EntryTable key={list.id} list={list} meta={meta} />;
      }}
    </MetaGate>
  );
}

interface SearchValues {
  q?: string;
}

function EntryTable({ list, meta }: { list: MetaList; meta: Meta }) {
  const { t, pick, locale } = useI18n();
  const { tableProps, tableQuery, searchFormProps, filters } = useTable<EntryRecord, HttpError, SearchValues>({
    resource: listResourceName(list.id),
    syncWithLocation: true,
    pagination: { pageSize: 20 },
    // The friendly inline error state replaces Refine's toast.
    errorNotification: false,
    queryOptions: { retry: shouldRetry },
    onSearch: (values): CrudFilter[] => [{ field: 'q', operator: 'eq', value: values.q?.trim() || undefined }],
  });

  const departments = useMemo(() => new Map(meta.departments.map((d) => [d.code, d])), [meta.departments]);

  const columns = useMemo<TableColumnsType<EntryRecord>>(() => {
    const statusFilter = filters.find((f) => 'field' in f && f.field === 'status');
    const base: TableColumnsType<EntryRecord> = [
      {
        key: 'subject',
        title: t('entries.subjectName'),
        fixed: 'left',
        render: (_, record) => (
          <Flex vertical>
            <Typography.Text strong>{subjectName(record) ?? '—'}</Typography.Text>
            <Typography.Text type="secondary" copyable={!!subjectCode(record)} style={{ fontSize: 12 }}>
              {subjectCode(record) ?? ''}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        key: 'status',
        dataIndex: 'status',
        title: t('entries.status'),
        filters: list.procedure.states.map((s) => ({ text: locale === 'en' ? s.labelEn || s.label : s.label, value: s.id })),
        filteredValue: statusFilter && 'value' in statusFilter ? ([] as string[]).concat(statusFilter.value ?? []) : null,
        render: (_, record) => <StatusTag status={entryStatus(record)} procedure={list.procedure} />,
      },
      {
        key: 'department',
        title: t('entries.department'),
        render: (_, record) => {
          const code = entryDepartment(record);
          const dept = code ? departments.get(code) : undefined;
          return dept ? pick(dept.name, dept.nameEn) : (code ?? '—');
        },
      },
    ];
    const fieldColumns: TableColumnsType<EntryRecord> = list.fields.filter(isSimpleField).map((field) => ({
      key: `field:${field.key}`,
      title: pick(field.label, field.labelEn),
      render: (_: unknown, record: EntryRecord) => displayField(field, fieldValue(record, field.key), { locale, t }),
    }));
    return [...base, ...fieldColumns];
  }, [list, departments, filters, locale, pick, t]);

  const dept = departments.get(list.department);

  return (
    <List
      title={pick(list.name, list.nameEn)}
      headerProps={{
        tags: (
          <Space size={4}>
            <Tag color={GROUP_COLOR[menuGroupOf(list)]}>{t(`menu.groups.${menuGroupOf(list)}`)}</Tag>
            {dept ? <Tag>{pick(dept.name, dept.nameEn)}</Tag> : null}
          </Space>
        ),
      }}
    >
      <Flex vertical gap={16}>
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('entries.legalBasis')}>
            <Flex vertical>
              {list.legalBasis.map((b) => (
                <span key={b}>{b}</span>
              ))}
            </Flex>
          </Descriptions.Item>
          <Descriptions.Item label={t('entries.subjectKinds')}>
            {list.subjectKinds.map((k) => t(`kinds.subject.${k}`)).join('、')}
          </Descriptions.Item>
        </Descriptions>
        <Form {...searchFormProps} layout="inline">
          <Form.Item name="q">
            <Input allowClear prefix={<SearchOutlined />} placeholder={`${t('entries.subjectName')} / ${t('entries.subjectCode')}`} style={{ width: 320 }} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit">{t('buttons.filter')}</Button>
          </Form.Item>
        </Form>
        {tableQuery.isError ? (
          <ErrorState
            error={tableQuery.error}
            title={t('entries.errorTitle')}
            hint={t('entries.errorHint')}
            onRetry={() => void tableQuery.refetch()}
          />
        ) : (
          <Table<EntryRecord>
            {...tableProps}
            rowKey={(record) => String(record.id ?? `${subjectCode(record)}-${entryStatus(record)}`)}
            columns={columns}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <EmptyState title={t('entries.emptyTitle')} description={t('entries.emptyDescription')} /> }}
            pagination={
              tableProps.pagination === false
                ? false
                : { ...tableProps.pagination, showTotal: (total: number) => t('common.total', { total }) }
            }
          />
        )}
      </Flex>
    </List>
  );
}
