/** 平台概览: what the running configuration contains, and whether the API is up. */
import { ApartmentOutlined, OrderedListOutlined, SafetyOutlined, TagsOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Descriptions, Flex, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { viewableLists } from '../../access/permissions';
import { GROUP_COLOR } from '../../components/kinds';
import { MetaGate } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { fetchHealth } from '../../meta/api';
import { useMeta } from '../../meta/MetaContext';
import { listRoute, MENU_GROUP_ORDER, menuGroupOf } from '../../meta/resources';
import { metaStats } from '../../meta/stats';
import type { Meta, MetaList } from '../../meta/types';


export default function HomePage() {
  return <MetaGate>{(meta) => <Overview meta={meta} />}</MetaGate>;
}

function HealthCard({ metaVersion }: { metaVersion: string }) {
  const { t } = useI18n();
  const { refetch: reloadMeta } = useMeta();
  const health = useQuery({
    queryKey: ['credit-lists', 'health'],
    queryFn: ({ signal }) => fetchHealth(signal),
    retry: false,
    refetchInterval: 60_000,
  });
  const data = health.data;
  const status = !data ? 'down' : data.status === 'ok' ? 'ok' : 'degraded';
  // The API swaps in a saved config without restarting; tell the user when this page is behind.
  const changed = !!data?.version && data.version !== metaVersion;
  return (
    <Card title={t('home.health')} size="small" style={{ height: '100%' }} loading={health.isLoading}>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('home.health')}>
          <Badge
            status={status === 'ok' ? 'success' : status === 'degraded' ? 'warning' : 'error'}
            text={t(status === 'ok' ? 'home.healthOk' : status === 'degraded' ? 'home.healthDegraded' : 'home.healthDown')}
          />
        </Descriptions.Item>
        <Descriptions.Item label={t('home.database')}>{data?.database ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('home.apiVersion')}>
          <Flex gap={8} align="center" wrap>
            <code>{data?.version ?? '—'}</code>
            {changed ? (
              <Button size="small" type="link" onClick={reloadMeta} style={{ padding: 0 }}>
                {t('home.configChanged')} · {t('home.reloadConfig')}
              </Button>
            ) : null}
          </Flex>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function Overview({ meta }: { meta: Meta }) {
  const { t, pick } = useI18n();
  const stats = useMemo(() => metaStats(meta), [meta]);
  const departments = useMemo(() => new Map(meta.departments.map((d) => [d.code, d])), [meta.departments]);

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t('home.title')} · {pick(meta.platform.name, meta.platform.nameEn)}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t('home.subtitle', { city: meta.platform.city, timezone: meta.platform.timezone })}
        </Typography.Text>
      </div>

      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} xl={6}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic
              title={t('home.configVersion')}
              value={meta.version}
              prefix={<SafetyOutlined />}
              valueStyle={{ fontFamily: 'monospace', fontSize: 18, wordBreak: 'break-all' }}
            />
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic title={t('home.departments')} value={stats.departments} prefix={<ApartmentOutlined />} />
            <Typography.Text type="secondary">{t('home.offices', { count: stats.offices })}</Typography.Text>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic title={t('home.listTypes')} value={stats.listTypes} prefix={<OrderedListOutlined />} />
            <Flex gap={4} wrap>
              {MENU_GROUP_ORDER.map((g) => (
                <Tag key={g} color={GROUP_COLOR[g]}>
                  {t(`menu.groups.${g}`)} {stats.byGroup[g]}
                </Tag>
              ))}
            </Flex>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic title={t('home.measures')} value={stats.measures} prefix={<TagsOutlined />} />
            <Typography.Text type="secondary">
              {t('home.punishments', { count: stats.punishments })} · {t('home.incentives', { count: stats.incentives })}
            </Typography.Text>
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card title={t('home.byKind')} size="small" style={{ height: '100%' }}>
            <Row gutter={16}>
              {MENU_GROUP_ORDER.map((g) => (
                <Col key={g} span={6}>
                  <Statistic title={t(`menu.groups.${g}`)} value={stats.byGroup[g]} valueStyle={{ color: g === 'black' ? '#c62828' : undefined }} />
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <HealthCard metaVersion={meta.version} />
        </Col>
      </Row>

      <Card title={t('home.listTypesTable')} size="small" styles={{ body: { padding: 0 } }}>
        <Table<MetaList>
          size="small"
          rowKey="id"
          dataSource={viewableLists(meta)}
          pagination={false}
          columns={[
            {
              key: 'name',
              title: t('config.lists.name'),
              render: (_, list) => <Link to={listRoute(list.id)}>{pick(list.name, list.nameEn)}</Link>,
            },
            {
              key: 'group',
              title: t('config.lists.kind'),
              render: (_, list) => {
                const g = menuGroupOf(list);
                return <Tag color={GROUP_COLOR[g]}>{t(`menu.groups.${g}`)}</Tag>;
              },
            },
            {
              key: 'department',
              title: t('config.lists.department'),
              render: (_, list) => {
                const d = departments.get(list.department);
                return d ? pick(d.name, d.nameEn) : list.department;
              },
            },
            {
              key: 'fields',
              title: t('config.lists.fieldsCount'),
              align: 'right',
              render: (_, list) => list.fields.length,
            },
            {
              key: 'portal',
              title: t('config.lists.portal'),
              render: (_, list) => (list.portal ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
