/**
 * One entry (`/lists/:listId/show/:id`): subject, related persons, declared fields (one display
 * widget per type), documents, clocks with due dates, objections and repairs, the history as a
 * timeline, and the action panel with the transitions the user may take now.
 */
import { DeleteOutlined, EditOutlined, ReloadOutlined, WarningFilled } from '@ant-design/icons';
import { Show } from '@refinedev/antd';
import { useInvalidate } from '@refinedev/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { canList } from '../../access/permissions';
import { DueTag } from '../../components/DueBadges';
import { formatInstant } from '../../components/format';
import { GROUP_COLOR } from '../../components/kinds';
import { ErrorState, PageLoading } from '../../components/states';
import { StatusTag } from '../../components/StatusTag';
import { actionBody } from '../../entries/actions';
import { deleteEntry, entryQueryKey, getEntry, runAction } from '../../entries/api';
import { activeDueItems, todayIn } from '../../entries/due';
import type { EntryAction, EntryDetail, EntryEvent } from '../../entries/types';
import { DocumentDisplay, displayField, fieldLabel } from '../../fields/registry';
import { useI18n } from '../../i18n/I18nContext';
import { entryEditRoute, listResourceName, listRoute, menuGroupOf } from '../../meta/resources';
import type { Meta, MetaList } from '../../meta/types';
import { errorMessageKey, shouldRetry, toApiError } from '../../providers/errors';
import { ActionModal } from './ActionModal';
import { AttachmentsCard } from './AttachmentsCard';
import { DocumentButtons } from './DocumentButtons';
import { RequestsCard } from './RequestsCard';
import { ListGate } from './ListGate';

export default function EntryShowPage() {
  const { id = '' } = useParams();
  return <ListGate>{(list, meta) => <EntryShow key={`${list.id}/${id}`} list={list} meta={meta} id={id} />}</ListGate>;
}


function EntryShow({ list, meta, id }: { list: MetaList; meta: Meta; id: string }) {
  const { t, pick, locale } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invalidate = useInvalidate();
  const [openAction, setOpenAction] = useState<EntryAction | undefined>();
  const tz = meta.platform.timezone;
  const today = todayIn(tz);
  const key = entryQueryKey(list.id, id);
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => getEntry(list.id, id, signal), retry: shouldRetry });
  const entry = query.data;

  const refreshList = () => void invalidate({ resource: listResourceName(list.id), invalidates: ['list'] });

  if (query.isLoading) return <PageLoading />;
  if (query.isError || !entry) {
    const e = toApiError(query.error);
    return (
      <ErrorState
        error={query.error}
        title={e.statusCode === 404 ? t('entry.notFound') : t('entry.errorTitle')}
        hint={e.statusCode === 404 ? t('entry.notFoundHint') : undefined}
        onRetry={() => void query.refetch()}
        extra={<Button onClick={() => navigate(listRoute(list.id))}>{t('entry.backToList')}</Button>}
      />
    );
  }

  const isDraft = entry.status === list.procedure.initial;
  const canEdit = isDraft && canList(meta, list.id, 'edit-draft', entry.department);
  const department = meta.departments.find((d) => d.code === entry.department);
  const dueItems = activeDueItems(entry, list.procedure, list.clocks, today);

  const run = async (action: EntryAction, values: Record<string, unknown>) => {
    const label = locale === 'en' ? action.labelEn || action.label : action.label;
    try {
      const updated = await runAction(list.id, entry.id, action.id, actionBody(action.inputs, values, entry.version, list));
      if (updated && Array.isArray((updated as EntryDetail).actions)) queryClient.setQueryData(key, updated);
      setOpenAction(undefined);
      message.success(t('actions.done', { label }));
      void query.refetch();
      refreshList();
    } catch (error) {
      const e = toApiError(error);
      if (e.code === 'VERSION_CONFLICT') {
        setOpenAction(undefined);
        message.warning(t('entry.versionConflict'));
        void query.refetch();
        return;
      }
      if (e.statusCode === 409) void query.refetch();
      throw error;
    }
  };

  const remove = async () => {
    try {
      await deleteEntry(list.id, entry.id);
      message.success(t('entry.deleted'));
      refreshList();
      navigate(listRoute(list.id));
    } catch (error) {
      const e = toApiError(error);
      message.error(e.message || t(errorMessageKey(e), { status: e.statusCode }));
      void query.refetch();
    }
  };

  const simpleFields = list.fields.filter((f) => f.type !== 'document');
  const documentFields = list.fields.filter((f) => f.type === 'document');

  return (
    <Show
      resource={listResourceName(list.id)}
      recordItemId={entry.id}
      title={
        <Space size={8} wrap>
          <span>{entry.subject.name}</span>
          <StatusTag status={entry.status} procedure={list.procedure} />
        </Space>
      }
      goBack={undefined}
      headerProps={{
        onBack: () => navigate(listRoute(list.id)),
        subTitle: pick(list.name, list.nameEn),
        tags: <Tag color={GROUP_COLOR[menuGroupOf(list)]}>{t(`menu.groups.${menuGroupOf(list)}`)}</Tag>,
      }}
      headerButtons={() => (
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void query.refetch()} loading={query.isFetching}>
            {t('buttons.refresh')}
          </Button>
          {canEdit ? (
            <Button icon={<EditOutlined />} onClick={() => navigate(entryEditRoute(list.id, entry.id))}>
              {t('entry.editDraft')}
            </Button>
          ) : null}
          {canEdit ? (
            <Popconfirm
              title={t('entry.deleteTitle')}
              description={t('entry.deleteDescription')}
              okText={t('buttons.delete')}
              okButtonProps={{ danger: true }}
              cancelText={t('buttons.cancel')}
              onConfirm={remove}
            >
              <Button danger icon={<DeleteOutlined />}>
                {t('entry.deleteDraft')}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      )}
    >
      <Flex vertical gap={16}>
        <ActionPanel entry={entry} onChoose={setOpenAction} />
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Flex vertical gap={16}>
              <Card size="small" title={t('entry.subject')}>
                <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} bordered styles={{ label: { width: 140 } }}>
                  <Descriptions.Item label={t('entry.subjectName')}>{entry.subject.name}</Descriptions.Item>
                  <Descriptions.Item label={t('entry.subjectKind')}>{t(`kinds.subject.${entry.subject.kind}`)}</Descriptions.Item>
                  <Descriptions.Item label={t(entry.subject.kind === 'natural_person' ? 'entry.idNumber' : 'entry.uscc')} span="filled">
                    <Space>
                      <Typography.Text copyable style={{ fontFamily: 'monospace' }}>
                        {entry.subject.code}
                      </Typography.Text>
                      {entry.subject.codeValid === false ? (
                        <Tooltip title={t('entries.codeOverriddenHint')}>
                          <Tag color="warning" icon={<WarningFilled />}>
                            {t('entries.codeOverridden')}
                          </Tag>
                        </Tooltip>
                      ) : null}
                    </Space>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('entries.department')}>{department ? pick(department.name, department.nameEn) : entry.department}</Descriptions.Item>
                  <Descriptions.Item label={t('entry.version')}>{entry.version}</Descriptions.Item>
                </Descriptions>
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  {t('entry.relatedPersons')}
                </Typography.Title>
                <Table
                  size="small"
                  rowKey={(r) => `${r.role}-${r.code}`}
                  pagination={false}
                  dataSource={entry.relatedPersons ?? []}
                  locale={{ emptyText: t('entry.noRelatedPersons') }}
                  columns={[
                    { key: 'role', title: t('entry.role'), dataIndex: 'role' },
                    { key: 'name', title: t('entry.personName'), dataIndex: 'name' },
                    {
                      key: 'code',
                      title: t('entry.idNumber'),
                      dataIndex: 'code',
                      render: (code: string) => <span style={{ fontFamily: 'monospace' }}>{code}</span>,
                    },
                  ]}
                />
              </Card>

              <Card size="small" title={t('entry.facts')}>
                <Descriptions size="small" column={1} bordered styles={{ label: { width: 200 } }}>
                  {simpleFields.map((field) => (
                    <Descriptions.Item
                      key={field.key}
                      label={
                        <Space size={4}>
                          {fieldLabel(field, locale)}
                          {!field.public ? (
                            <Tooltip title={t('entry.notPublicHint')}>
                              <Tag style={{ fontSize: 11, lineHeight: '16px', marginInlineEnd: 0 }}>{t('entry.notPublic')}</Tag>
                            </Tooltip>
                          ) : null}
                        </Space>
                      }
                    >
                      {displayField(field, entry.fields?.[field.key], { locale, t })}
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              </Card>

              <Card size="small" title={t('entry.documents')}>
                <Descriptions size="small" column={1} bordered styles={{ label: { width: 200 } }}>
                  {documentFields.map((field) => (
                    <Descriptions.Item key={field.key} label={fieldLabel(field, locale)}>
                      <DocumentDisplay value={entry.fields?.[field.key]} />
                    </Descriptions.Item>
                  ))}
                  <Descriptions.Item label={t('entry.decisionNo')}>{entry.decisionNo || '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('entry.decisionDate')}>{entry.decisionDate || '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('entry.noticeServedAt')}>{entry.noticeServedAt || '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('entry.recognisedAt')}>{entry.recognisedAt || '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('entry.publishedAt')}>{entry.publishedAt || '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('entry.generated')}>
                    <DocumentButtons list={list} entry={entry} />
                  </Descriptions.Item>
                  {entry.exitedAt ? (
                    <Descriptions.Item label={t('entry.exitedAt')}>
                      {entry.exitedAt}
                      {entry.exitReason ? ` · ${entry.exitReason}` : ''}
                    </Descriptions.Item>
                  ) : null}
                </Descriptions>
              </Card>

              <AttachmentsCard entry={entry} list={list} meta={meta} isDraft={isDraft} />

              <RequestsCard entry={entry} list={list} meta={meta} today={today} onChanged={() => void query.refetch()} />
            </Flex>
          </Col>
          <Col xs={24} xl={8}>
            <Flex vertical gap={16}>
              <Card size="small" title={t('entry.clocks')}>
                {list.clocks.length ? (
                  <Flex vertical gap={8}>
                    {list.clocks.map((clock) => {
                      const date = entry.due?.[clock.id];
                      const active = dueItems.find((d) => d.clockId === clock.id);
                      const label = locale === 'en' ? clock.labelEn || clock.label : clock.label;
                      return (
                        <Flex key={clock.id} justify="space-between" align="flex-start" gap={8}>
                          <Typography.Text type={date ? undefined : 'secondary'} style={{ flex: 1, minWidth: 0 }}>
                            {label}
                          </Typography.Text>
                          {active ? (
                            <DueTag item={active} compact />
                          ) : date ? (
                            <Typography.Text type="secondary">{date}</Typography.Text>
                          ) : (
                            <Typography.Text type="secondary">{t('entry.clockNotStarted')}</Typography.Text>
                          )}
                        </Flex>
                      );
                    })}
                  </Flex>
                ) : (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('entry.noClocks')} />
                )}
              </Card>
              <Card size="small" title={t('entry.history')}>
                <HistoryTimeline events={entry.events ?? []} list={list} timeZone={tz} />
              </Card>
              <Card size="small" title={t('entry.record')}>
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={t('entries.createdAt')}>{formatInstant(entry.createdAt, locale, tz)}</Descriptions.Item>
                  <Descriptions.Item label={t('entry.updatedAt')}>{formatInstant(entry.updatedAt, locale, tz)}</Descriptions.Item>
                </Descriptions>
              </Card>
            </Flex>
          </Col>
        </Row>
      </Flex>
      {openAction ? (
        <ActionModal
          open
          list={list}
          meta={meta}
          action={openAction}
          entry={entry}
          onCancel={() => setOpenAction(undefined)}
          onSubmit={(values) => run(openAction, values)}
        />
      ) : null}
    </Show>
  );
}

/** The transitions open to this user now; blocked ones say why. Hidden when there are none. */
function ActionPanel({ entry, onChoose }: { entry: EntryDetail; onChoose: (a: EntryAction) => void }) {
  const { t, locale } = useI18n();
  const actions = entry.actions ?? [];
  if (!actions.length) return null;
  const blocked = actions.filter((a) => a.blocked);
  return (
    <Card size="small" title={t('entry.actions')} data-testid="action-panel" styles={{ body: { paddingBlock: 12 } }}>
      <Flex vertical gap={8}>
        <Space wrap>
          {actions.map((a, i) => {
            const label = locale === 'en' ? a.labelEn || a.label : a.label;
            const danger = a.action === 'withdraw' || a.action === 'revoke';
            const button = (
              <Button
                key={`${a.id}-${a.to}`}
                type={i === 0 && !a.blocked && !danger ? 'primary' : 'default'}
                danger={danger}
                disabled={!!a.blocked}
                onClick={() => onChoose(a)}
              >
                {label}
              </Button>
            );
            return a.blocked ? (
              <Tooltip key={`${a.id}-${a.to}`} title={a.blocked.message}>
                <span>{button}</span>
              </Tooltip>
            ) : (
              button
            );
          })}
        </Space>
        {blocked.map((a) => (
          <Typography.Text key={`blocked-${a.id}`} type="secondary" style={{ fontSize: 12 }}>
            {t('entry.blocked', { label: locale === 'en' ? a.labelEn || a.label : a.label, reason: a.blocked?.message ?? '' })}
          </Typography.Text>
        ))}
      </Flex>
    </Card>
  );
}

function eventLabel(event: EntryEvent, list: MetaList, t: (k: string) => string, locale: string): string {
  const special = ['create', 'edit-draft', 'expire', 'objection-received', 'objection-answered', 'repair-applied', 'repair-accept', 'repair-refuse', 'repair-reject'];
  if (special.includes(event.action)) return t(`entry.events.${event.action}`);
  const tr =
    list.procedure.transitions.find((x) => (x.id ?? x.action) === event.action && x.from === event.fromStatus) ??
    list.procedure.transitions.find((x) => (x.id ?? x.action) === event.action || x.action === event.action);
  return tr ? (locale === 'en' ? tr.labelEn || tr.label : tr.label) : event.action;
}

function dataLines(
  data: Record<string, unknown> | null | undefined,
  t: (k: string, o?: Record<string, unknown>, d?: string) => string,
): string[] {
  if (!data) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    // Internal references (objectionId, repairId …) mean nothing to a reader.
    if (value === null || value === undefined || value === '' || key === 'changed' || /Id$/.test(key)) continue;
    const label = t(`entry.eventData.${key}`, undefined, key);
    if (typeof value === 'object') {
      const v = value as Record<string, unknown>;
      if ('number' in v || 'title' in v) out.push(`${label}：${[v.number, v.title].filter(Boolean).join(' ')}`);
      else if ('code' in v && 'reason' in v) out.push(`${label}：${String(v.code)}（${String(v.reason)}）`);
      else if (Array.isArray(value)) out.push(`${label}：${value.length}`);
      continue;
    }
    const text =
      typeof value === 'boolean'
        ? t(value ? 'common.yes' : 'common.no')
        : key === 'result'
          ? t(`entry.requestStatus.${String(value)}`, undefined, String(value))
          : String(value);
    out.push(`${label}：${text}`);
  }
  return out;
}

function HistoryTimeline({ events, list, timeZone }: { events: EntryEvent[]; list: MetaList; timeZone: string }) {
  const { t, locale } = useI18n();
  if (!events.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('entry.noHistory')} />;
  const stateLabel = (id: string | null) => {
    const s = list.procedure.states.find((x) => x.id === id);
    return s ? (locale === 'en' ? s.labelEn || s.label : s.label) : (id ?? '');
  };
  return (
    <Timeline
      style={{ marginTop: 8, marginBottom: -16 }}
      items={[...events]
        .sort((a, b) => b.seq - a.seq)
        .map((ev) => ({
          key: ev.seq,
          color: ev.action === 'withdraw' || ev.action === 'revoke' ? 'red' : ev.toStatus !== ev.fromStatus ? 'blue' : 'gray',
          children: (
            <Flex vertical gap={2}>
              <Typography.Text strong>
                {eventLabel(ev, list, t, locale)}
                {ev.fromStatus && ev.toStatus && ev.fromStatus !== ev.toStatus ? (
                  <Typography.Text type="secondary" style={{ fontWeight: 400 }}>
                    {' '}
                    {stateLabel(ev.fromStatus)} → {stateLabel(ev.toStatus)}
                  </Typography.Text>
                ) : null}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {ev.actor?.name ?? t('entry.system')} · {formatInstant(ev.at, locale, timeZone)}
              </Typography.Text>
              {dataLines(ev.data, t).map((line) => (
                <Typography.Text key={line} style={{ fontSize: 12 }}>
                  {line}
                </Typography.Text>
              ))}
              {ev.comment ? (
                <Typography.Text style={{ fontSize: 12 }} italic>
                  “{ev.comment}”
                </Typography.Text>
              ) : null}
            </Flex>
          ),
        }))}
    />
  );
}
