/**
 * Generic entry table of one list type (`/lists/:listId`): a filter bar built from the declared
 * fields, status tags, due-date badges, sortable columns, server-side paging, and row selection
 * for batch actions.
 */
import { DownloadOutlined, DownOutlined, PlusOutlined, ReloadOutlined, SearchOutlined, UploadOutlined, UpOutlined } from '@ant-design/icons';
import { List } from '@refinedev/antd';
import { type HttpError, useTable } from '@refinedev/core';
import {
  App,
  Button,
  Card,
  Dropdown,
  Checkbox,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { SorterResult, SortOrder } from 'antd/es/table/interface';
import { useCallback, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { canList, listDepartments } from '../../access/permissions';
import { DueBadges } from '../../components/DueBadges';
import { formatInstant } from '../../components/format';
import { GROUP_COLOR } from '../../components/kinds';
import { EmptyState, ErrorState } from '../../components/states';
import { StatusTag } from '../../components/StatusTag';
import { batchCandidates } from '../../entries/actions';
import { todayIn } from '../../entries/due';
import type { Entry } from '../../entries/types';
import { displayField, fieldLabel, fieldRegistry } from '../../fields/registry';
import { crudToFilterValues, fieldFilterName, type FilterValues, filterValuesToCrud, isFilterable } from '../../fields/values';
import { useI18n } from '../../i18n/I18nContext';
import { entryCreateRoute, entryEditRoute, entryShowRoute, listResourceName, menuGroupOf } from '../../meta/resources';
import type { Meta, MetaList } from '../../meta/types';
import { shouldRetry } from '../../providers/errors';
import { exportBlob } from '../../imports/api';
import { saveBlob } from '../../providers/http';
import { columnFields } from '../../entries/columns';
import { BatchBar } from './BatchBar';
import { ListGate } from './ListGate';

/** Field filters shown before 展开. */
const VISIBLE_FIELD_FILTERS = 2;

export default function EntryListPage() {
  return <ListGate>{(list, meta) => <EntryTable key={list.id} list={list} meta={meta} />}</ListGate>;
}

function useDepartmentName(meta: Meta) {
  const { pick } = useI18n();
  const departments = useMemo(() => new Map(meta.departments.map((d) => [d.code, d])), [meta.departments]);
  return useCallback(
    (code: string | undefined) => {
      const d = code ? departments.get(code) : undefined;
      return d ? pick(d.name, d.nameEn) : (code ?? '—');
    },
    [departments, pick],
  );
}

function EntryTable({ list, meta }: { list: MetaList; meta: Meta }) {
  const { t, pick, locale } = useI18n();
  const navigate = useNavigate();
  const departmentName = useDepartmentName(meta);
  const today = todayIn(meta.platform.timezone);
  const [form] = Form.useForm<FilterValues>();
  const [expanded, setExpanded] = useState(false);
  const [selected, setSelected] = useState<Entry[]>([]);

  const { tableQuery, result, filters, setFilters, sorters, setSorters, currentPage, setCurrentPage, pageSize, setPageSize } = useTable<
    Entry,
    HttpError
  >({
    resource: listResourceName(list.id),
    syncWithLocation: true,
    pagination: { pageSize: 20 },
    sorters: { initial: [{ field: 'createdAt', order: 'desc' }] },
    // The friendly inline error state replaces Refine's toast.
    errorNotification: false,
    queryOptions: { retry: shouldRetry },
  });

  // The filter bar starts from the URL's filters (mount only; afterwards the form leads).
  const [initialFilterValues] = useState(() => crudToFilterValues(filters, list));
  const viewDepartments = listDepartments(meta, list.id, 'view');
  const showDepartment = viewDepartments.length > 1;
  const filterFields = list.fields.filter(isFilterable);
  const canCreate = canList(meta, list.id, 'create');
  const canImport = canList(meta, list.id, 'import');
  const canExport = canList(meta, list.id, 'export');
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  // The export applies the table's filters and the caller's scope; it is streamed and never truncated.
  const exportAs = async (format: 'xlsx' | 'csv') => {
    setExporting(true);
    try {
      saveBlob(await exportBlob(list.id, format, filters), `${list.name}-${today}.${format}`);
    } catch (error) {
      message.error((error as Error).message || t('imports.exportFailed'));
    } finally {
      setExporting(false);
    }
  };
  const canEditDraft = canList(meta, list.id, 'edit-draft');
  const batchable = useMemo(() => batchCandidates(list, selected, meta), [list, selected, meta]);
  const selectionEnabled = useMemo(
    () => list.procedure.transitions.some((tr) => tr.action !== 'system' && canList(meta, list.id, tr.action)),
    [list, meta],
  );

  const search = (values: FilterValues) => {
    setFilters(filterValuesToCrud(values, list), 'replace');
    setCurrentPage(1);
    setSelected([]);
  };
  const reset = () => {
    const blank: FilterValues = { q: undefined, status: undefined, department: undefined, createdAt: undefined, overdue: undefined };
    for (const field of filterFields) blank[fieldFilterName(field.key)] = undefined;
    form.setFieldsValue(blank as Record<string, never>);
    search(blank);
  };

  const columns = useMemo<TableColumnsType<Entry>>(() => {
    const sortOrder = (field: string): SortOrder => {
      const s = sorters.find((x) => x.field === field);
      return s ? (s.order === 'asc' ? 'ascend' : 'descend') : null;
    };
    const base: TableColumnsType<Entry> = [
      {
        key: 'subject.name',
        dataIndex: ['subject', 'name'],
        title: t('entries.subject'),
        fixed: 'left',
        width: 260,
        sorter: true,
        sortOrder: sortOrder('subject.name'),
        render: (_, record) => (
          <Flex vertical>
            <Link to={entryShowRoute(list.id, record.id)}>
              <Typography.Text strong style={{ color: 'inherit' }}>
                {record.subject?.name ?? '—'}
              </Typography.Text>
            </Link>
            <Space size={4}>
              <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }} copyable={!!record.subject?.code}>
                {record.subject?.code ?? ''}
              </Typography.Text>
              {record.subject?.codeValid === false ? (
                <Tooltip title={t('entries.codeOverriddenHint')}>
                  <Tag color="warning" style={{ fontSize: 11, lineHeight: '16px' }}>
                    {t('entries.codeOverridden')}
                  </Tag>
                </Tooltip>
              ) : null}
            </Space>
          </Flex>
        ),
      },
      {
        key: 'status',
        dataIndex: 'status',
        title: t('entries.status'),
        width: 110,
        sorter: true,
        sortOrder: sortOrder('status'),
        render: (_, record) => <StatusTag status={record.status} procedure={list.procedure} />,
      },
      {
        key: 'due',
        title: t('entries.due'),
        width: 220,
        render: (_, record) => <DueBadges entry={record} list={list} today={today} />,
      },
    ];
    if (showDepartment) {
      base.push({
        key: 'department',
        dataIndex: 'department',
        title: t('entries.department'),
        sorter: true,
        sortOrder: sortOrder('department'),
        render: (_, record) => departmentName(record.department),
      });
    }
    const fieldColumns: TableColumnsType<Entry> = columnFields(list).map((field) => ({
        key: `field:${field.key}`,
        title: fieldLabel(field, locale),
        render: (_: unknown, record: Entry) => displayField(field, record.fields?.[field.key], { locale, t }),
      }));
    const tail: TableColumnsType<Entry> = [
      {
        key: 'createdAt',
        dataIndex: 'createdAt',
        title: t('entries.createdAt'),
        sorter: true,
        sortOrder: sortOrder('createdAt'),
        width: 150,
        render: (value: string) => formatInstant(value, locale, meta.platform.timezone),
      },
      {
        key: 'actions',
        title: t('common.operations'),
        fixed: 'right',
        width: 120,
        render: (_, record) => (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => navigate(entryShowRoute(list.id, record.id))}>
              {t('buttons.show')}
            </Button>
            {record.status === list.procedure.initial && canEditDraft && canList(meta, list.id, 'edit-draft', record.department) ? (
              <Button type="link" size="small" onClick={() => navigate(entryEditRoute(list.id, record.id))}>
                {t('buttons.edit')}
              </Button>
            ) : null}
          </Space>
        ),
      },
    ];
    return [...base, ...fieldColumns, ...tail];
  }, [list, locale, t, showDepartment, departmentName, today, sorters, canEditDraft, meta, navigate]);

  const dept = meta.departments.find((d) => d.code === list.department);
  const statusOptions = list.procedure.states.map((s) => ({ value: s.id, label: locale === 'en' ? s.labelEn || s.label : s.label }));
  const hiddenFilterCount = Math.max(0, filterFields.length - VISIBLE_FIELD_FILTERS);
  const visibleFilterFields = expanded ? filterFields : filterFields.slice(0, VISIBLE_FIELD_FILTERS);

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
      headerButtons={() => (
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void tableQuery.refetch()}>
            {t('buttons.refresh')}
          </Button>
          {canExport ? (
            <Dropdown
              menu={{
                items: [
                  { key: 'csv', label: t('imports.exportCsv') },
                  { key: 'xlsx', label: t('imports.exportXlsx') },
                ],
                onClick: ({ key }) => void exportAs(key as 'csv' | 'xlsx'),
              }}
            >
              <Button icon={<DownloadOutlined />} loading={exporting}>
                {t('imports.export')}
              </Button>
            </Dropdown>
          ) : null}
          {canImport ? (
            <Button icon={<UploadOutlined />} onClick={() => navigate(`/lists/${list.id}/import`)}>
              {t('imports.import')}
            </Button>
          ) : null}
          {canCreate ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(entryCreateRoute(list.id))}>
              {t('entries.create')}
            </Button>
          ) : null}
        </Space>
      )}
    >
      <Flex vertical gap={16}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }} ellipsis={{ rows: 2, expandable: true, symbol: t('common.more') }}>
          {t('entries.legalBasis')}：{list.legalBasis.join('；')}
        </Typography.Paragraph>
        <Card size="small" styles={{ body: { paddingBottom: 0 } }}>
          <Form<FilterValues> name="entryFilters" form={form} layout="vertical" initialValues={initialFilterValues} onFinish={search} aria-label={t('filters.title')}>
            <Row gutter={16}>
              <Col xs={24} sm={12} lg={8} xl={6}>
                <Form.Item name="q" label={t('filters.keyword')}>
                  <Input allowClear prefix={<SearchOutlined />} placeholder={t('filters.keywordPlaceholder')} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={8} xl={6}>
                <Form.Item name="status" label={t('entries.status')}>
                  <Select mode="multiple" allowClear maxTagCount="responsive" options={statusOptions} placeholder={t('filters.all')} />
                </Form.Item>
              </Col>
              {showDepartment ? (
                <Col xs={24} sm={12} lg={8} xl={6}>
                  <Form.Item name="department" label={t('entries.department')}>
                    <Select
                      allowClear
                      showSearch
                      optionFilterProp="label"
                      placeholder={t('filters.all')}
                      options={viewDepartments.map((code) => ({ value: code, label: departmentName(code) }))}
                    />
                  </Form.Item>
                </Col>
              ) : null}
              <Col xs={24} sm={12} lg={8} xl={6}>
                <Form.Item name="createdAt" label={t('entries.createdAt')}>
                  <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              {visibleFilterFields.map((field) => (
                <Col key={field.key} xs={24} sm={12} lg={8} xl={6}>
                  <Form.Item name={fieldFilterName(field.key)} label={fieldLabel(field, locale)}>
                    {fieldRegistry[field.type].filter?.(field, { t, locale })}
                  </Form.Item>
                </Col>
              ))}
              <Col xs={24} sm={12} lg={8} xl={6}>
                <Form.Item name="overdue" valuePropName="checked" label={t('filters.other')}>
                  <Checkbox>{t('filters.overdueOnly')}</Checkbox>
                </Form.Item>
              </Col>
            </Row>
            <Flex justify="flex-end" gap={8} style={{ marginBottom: 12 }}>
              {hiddenFilterCount > 0 ? (
                <Button type="link" onClick={() => setExpanded((v) => !v)} icon={expanded ? <UpOutlined /> : <DownOutlined />}>
                  {expanded ? t('filters.collapse') : t('filters.expand', { count: hiddenFilterCount })}
                </Button>
              ) : null}
              <Button onClick={reset}>{t('filters.reset')}</Button>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('filters.search')}
              </Button>
            </Flex>
          </Form>
        </Card>
        {selected.length ? (
          <BatchBar
            list={list}
            meta={meta}
            selected={selected}
            candidates={batchable}
            onClear={() => setSelected([])}
            onDone={() => {
              setSelected([]);
              void tableQuery.refetch();
            }}
          />
        ) : null}
        {tableQuery.isError ? (
          <ErrorState
            error={tableQuery.error}
            title={t('entries.errorTitle')}
            hint={t('entries.errorHint')}
            onRetry={() => void tableQuery.refetch()}
          />
        ) : (
          <Table<Entry>
            dataSource={result.data}
            loading={tableQuery.isFetching}
            onChange={(pagination, _filters, sorter) => {
              const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<Entry> | undefined;
              const field = s?.columnKey ? String(s.columnKey) : undefined;
              setSorters(field && s?.order ? [{ field, order: s.order === 'ascend' ? 'asc' : 'desc' }] : []);
              if (pagination.pageSize && pagination.pageSize !== pageSize) {
                setPageSize(pagination.pageSize);
                setCurrentPage(1);
              } else if (pagination.current) setCurrentPage(pagination.current);
              setSelected([]);
            }}
            rowKey="id"
            size="middle"
            columns={columns}
            scroll={{ x: 'max-content' }}
            rowSelection={
              selectionEnabled
                ? {
                    selectedRowKeys: selected.map((r) => r.id),
                    onChange: (_keys, rows) => setSelected(rows),
                    columnWidth: 48,
                  }
                : undefined
            }
            locale={{ emptyText: <EmptyState title={t('entries.emptyTitle')} description={t('entries.emptyDescription')} /> }}
            pagination={{
              current: currentPage,
              pageSize,
              total: result.total,
              showSizeChanger: true,
              pageSizeOptions: [10, 20, 50, 100],
              showTotal: (total: number) => t('common.total', { total }),
            }}
          />
        )}
      </Flex>
    </List>
  );
}
