/** Detail of one list type: basis, fields, procedure diagram, clocks, measures and permissions. */
import { CheckOutlined } from '@ant-design/icons';
import { Descriptions, Divider, Drawer, Empty, Flex, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { GROUP_COLOR } from '../../components/kinds';
import { ProcedureDiagram } from '../../components/ProcedureDiagram';
import { StatusTag } from '../../components/StatusTag';
import { useI18n } from '../../i18n/I18nContext';
import { listRoute, menuGroupOf } from '../../meta/resources';
import type { Meta, MetaClock, MetaField, MetaList, MetaTransition } from '../../meta/types';

const check = (value: boolean) => (value ? <CheckOutlined style={{ color: '#52c41a' }} /> : <Typography.Text type="secondary">—</Typography.Text>);

export function ListTypeDrawer({ meta, list, onClose }: { meta: Meta; list: MetaList | undefined; onClose: () => void }) {
  const { pick } = useI18n();
  return (
    <Drawer
      open={!!list}
      onClose={onClose}
      width="min(1040px, 100vw)"
      title={list ? pick(list.name, list.nameEn) : ''}
      destroyOnHidden
      data-testid="list-type-drawer"
    >
      {list ? <ListTypeDetail meta={meta} list={list} /> : null}
    </Drawer>
  );
}

function ListTypeDetail({ meta, list }: { meta: Meta; list: MetaList }) {
  const { t, pick, locale } = useI18n();
  const department = meta.departments.find((d) => d.code === list.department);
  const measures = useMemo(() => new Map(meta.measures.map((m) => [m.id, m])), [meta.measures]);
  const roles = useMemo(() => new Map(meta.roles.map((r) => [r.id, r])), [meta.roles]);
  const stateLabel = (id: string) => {
    const s = list.procedure.states.find((x) => x.id === id);
    return s ? (locale === 'en' ? s.labelEn || s.label : s.label) : id;
  };
  const group = menuGroupOf(list);

  const periodText = (period: Record<string, number>) =>
    Object.entries(period)
      .map(([unit, value]) => t(`config.clocks.units.${unit}`, { value }, `${value} ${unit}`))
      .join(' + ');

  const constraints = (f: MetaField) =>
    [
      f.min !== undefined ? t('config.fields.min', { value: f.min }) : undefined,
      f.max !== undefined ? t('config.fields.max', { value: f.max }) : undefined,
      f.maxLength !== undefined ? t('config.fields.maxLength', { value: f.maxLength }) : undefined,
    ]
      .filter(Boolean)
      .join('，');

  return (
    <Flex vertical gap={8}>
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('config.lists.id')}>
          <code>{list.id}</code>
        </Descriptions.Item>
        <Descriptions.Item label={t('config.lists.kind')}>
          <Tag color={GROUP_COLOR[group]}>{t(`menu.groups.${group}`)}</Tag>
          {list.category === 'record' ? <Tag>{t(`kinds.list.${list.kind}`)}</Tag> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('config.lists.department')}>
          {department ? pick(department.name, department.nameEn) : list.department}
        </Descriptions.Item>
        <Descriptions.Item label={t('config.lists.portal')}>{list.portal ? t('common.yes') : t('common.no')}</Descriptions.Item>
        <Descriptions.Item label={t('config.lists.subjectKinds')} span={2}>
          {list.subjectKinds.map((k) => (
            <Tag key={k}>{t(`kinds.subject.${k}`)}</Tag>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('config.lists.legalBasis')} span={2}>
          <Flex vertical>
            {list.legalBasis.map((b) => (
              <span key={b}>{b}</span>
            ))}
          </Flex>
        </Descriptions.Item>
      </Descriptions>
      <Link to={listRoute(list.id)}>{t('home.open')} →</Link>

      <Divider orientation="left" plain>
        {t('config.lists.fields')}
      </Divider>
      <Table<MetaField>
        size="small"
        rowKey="key"
        dataSource={list.fields}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.none')} /> }}
        columns={[
          { key: 'label', title: t('config.fields.label'), render: (_, f) => pick(f.label, f.labelEn) },
          { key: 'key', title: t('config.fields.key'), render: (_, f) => <code>{f.key}</code> },
          { key: 'type', title: t('config.fields.type'), render: (_, f) => <Tag>{t(`kinds.field.${f.type}`, undefined, f.type)}</Tag> },
          { key: 'required', title: t('config.fields.required'), align: 'center', render: (_, f) => check(f.required) },
          { key: 'public', title: t('config.fields.public'), align: 'center', render: (_, f) => check(f.public) },
          {
            key: 'constraints',
            title: t('config.fields.constraints'),
            width: 300,
            render: (_, f) => (
              <Flex vertical gap={2} style={{ maxWidth: 300, whiteSpace: 'normal' }}>
                {constraints(f) ? <span>{constraints(f)}</span> : null}
                {f.options?.length ? (
                  <Flex wrap gap={4}>
                    {f.options.map((o) => (
                      <Tag key={o} style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
                        {o}
                      </Tag>
                    ))}
                  </Flex>
                ) : null}
              </Flex>
            ),
          },
          {
            key: 'help',
            title: t('config.fields.help'),
            render: (_, f) =>
              f.help ? (
                <Typography.Text type="secondary" style={{ display: 'block', maxWidth: 240, whiteSpace: 'normal' }}>
                  {f.help}
                </Typography.Text>
              ) : null,
          },
        ]}
      />

      <Divider orientation="left" plain>
        {t('config.lists.procedure')}
      </Divider>
      <ProcedureDiagram procedure={list.procedure} />
      <Table<MetaTransition>
        size="small"
        rowKey={(tr) => `${tr.from}-${tr.id ?? tr.action}-${tr.to}`}
        dataSource={list.procedure.transitions}
        pagination={false}
        locale={{ emptyText: t('config.procedure.noTransitions') }}
        columns={[
          {
            key: 'from',
            title: t('config.procedure.from'),
            render: (_, tr) => <StatusTag status={tr.from} procedure={list.procedure} />,
          },
          {
            key: 'action',
            title: t('config.procedure.action'),
            render: (_, tr) => (
              <span>
                {locale === 'en' ? tr.labelEn || tr.label : tr.label}{' '}
                <Typography.Text type="secondary" code>
                  {tr.id ?? tr.action}
                </Typography.Text>
              </span>
            ),
          },
          {
            key: 'to',
            title: t('config.procedure.to'),
            render: (_, tr) => <StatusTag status={tr.to} procedure={list.procedure} />,
          },
        ]}
      />

      <Divider orientation="left" plain>
        {t('config.lists.clocks')}
      </Divider>
      <Table<MetaClock>
        size="small"
        rowKey="id"
        dataSource={list.clocks}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.none')} /> }}
        columns={[
          { key: 'label', title: t('config.clocks.label'), render: (_, c) => pick(c.label, c.labelEn) },
          { key: 'from', title: t('config.clocks.from'), render: (_, c) => stateLabel(c.from) },
          { key: 'period', title: t('config.clocks.period'), render: (_, c) => periodText(c.period) },
        ]}
      />

      <Divider orientation="left" plain>
        {t('config.lists.measures')}
      </Divider>
      {list.measures.length === 0 ? (
        <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
      ) : (
        <Flex gap={4} wrap>
          {list.measures.map((id) => {
            const m = measures.get(id);
            return (
              <Tag key={id} color={m?.kind === 'incentive' ? 'green' : 'red'} title={m?.legalBasis.join('；')}>
                {m ? pick(m.name, m.nameEn) : id}
              </Tag>
            );
          })}
        </Flex>
      )}

      <Divider orientation="left" plain>
        {t('config.lists.permissions')}
      </Divider>
      <Table<{ action: string; roles: string[] }>
        size="small"
        rowKey="action"
        dataSource={Object.entries(list.permissions).map(([action, roleIds]) => ({ action, roles: roleIds }))}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.none')} /> }}
        columns={[
          {
            key: 'action',
            title: t('config.lists.action'),
            render: (_, p) => {
              const tr = list.procedure.transitions.find((x) => x.action === p.action);
              return (
                <span>
                  {tr ? `${locale === 'en' ? tr.labelEn || tr.label : tr.label} ` : ''}
                  <Typography.Text type="secondary" code>
                    {p.action}
                  </Typography.Text>
                </span>
              );
            },
          },
          {
            key: 'roles',
            title: t('config.lists.roles'),
            render: (_, p) =>
              p.roles.map((id) => {
                const r = roles.get(id);
                return <Tag key={id}>{r ? pick(r.name, r.nameEn) : id}</Tag>;
              }),
          },
        ]}
      />
    </Flex>
  );
}
