import { Flex, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta, MetaMeasure } from '../../meta/types';

export function MeasuresTab({ meta }: { meta: Meta }) {
  const { t, pick } = useI18n();
  const departments = useMemo(() => new Map(meta.departments.map((d) => [d.code, d])), [meta.departments]);
  const matters = useMemo(() => new Map(meta.matters.map((m) => [m.id, m])), [meta.matters]);

  return (
    <Table<MetaMeasure>
      size="small"
      rowKey="id"
      dataSource={meta.measures}
      pagination={meta.measures.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      locale={{ emptyText: <EmptyState /> }}
      tableLayout="fixed"
      scroll={{ x: 1100 }}
      columns={[
        {
          key: 'name',
          title: t('config.measures.name'),
          width: '28%',
          render: (_, m) => (
            <Flex vertical gap={2}>
              <span>{pick(m.name, m.nameEn)}</span>
              {m.target ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('config.measures.target')}：{m.target}
                </Typography.Text>
              ) : null}
            </Flex>
          ),
        },
        {
          key: 'kind',
          title: t('config.measures.kind'),
          width: 110,
          filters: [
            { text: t('kinds.measure.punishment'), value: 'punishment' },
            { text: t('kinds.measure.incentive'), value: 'incentive' },
          ],
          onFilter: (value, m) => m.kind === value,
          render: (_, m) => (
            <Tag color={m.kind === 'punishment' ? 'red' : 'green'}>{t(`kinds.measure.${m.kind}`)}</Tag>
          ),
        },
        {
          key: 'department',
          title: t('config.measures.department'),
          width: 180,
          render: (_, m) => {
            const d = departments.get(m.department);
            return d ? pick(d.name, d.nameEn) : m.department;
          },
        },
        {
          key: 'legalBasis',
          title: t('config.measures.legalBasis'),
          render: (_, m) => (
            <Flex vertical>
              {m.legalBasis.map((b) => (
                <span key={b}>{b}</span>
              ))}
            </Flex>
          ),
        },
        {
          key: 'matters',
          title: t('config.measures.matters'),
          width: 160,
          render: (_, m) =>
            m.matters.length === 0
              ? '—'
              : m.matters.map((id) => {
                  const matter = matters.get(id);
                  return <Tag key={id}>{matter ? pick(matter.name, matter.nameEn) : id}</Tag>;
                }),
        },
      ]}
    />
  );
}
