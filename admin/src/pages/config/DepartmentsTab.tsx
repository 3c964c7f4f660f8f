import { ApartmentOutlined } from '@ant-design/icons';
import { Card, Flex, Input, Tag, Tree, type TreeDataNode, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { buildDepartmentTree, type DepartmentNode } from '../../meta/departments';
import type { Meta } from '../../meta/types';

export function DepartmentsTab({ meta }: { meta: Meta }) {
  const { t, pick } = useI18n();
  const [search, setSearch] = useState('');
  const tree = useMemo(() => buildDepartmentTree(meta.departments), [meta.departments]);

  const treeData = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const matches = (n: DepartmentNode) =>
      !needle ||
      [n.department.code, n.department.name, n.department.nameEn, n.department.fullName].some((s) =>
        s?.toLowerCase().includes(needle),
      );
    // Keep a node when it or any descendant matches.
    const toData = (nodes: DepartmentNode[]): TreeDataNode[] =>
      nodes.flatMap((n): TreeDataNode[] => {
        const children = toData(n.children);
        if (!matches(n) && children.length === 0) return [];
        const d = n.department;
        return [
          {
            key: d.code,
            title: (
              <Flex gap={8} align="center" wrap>
                <Typography.Text strong>{pick(d.name, d.nameEn)}</Typography.Text>
                <Tag style={{ fontFamily: 'monospace' }}>{d.code}</Tag>
                {d.office ? <Tag color="red">{t('config.departments.office')}</Tag> : null}
                {d.fullName && d.fullName !== d.name ? <Typography.Text type="secondary">{d.fullName}</Typography.Text> : null}
              </Flex>
            ),
            children,
          },
        ];
      });
    return toData(tree);
  }, [tree, search, pick, t]);

  return (
    <Card size="small">
      <Flex vertical gap={12}>
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Text type="secondary">
            <ApartmentOutlined /> {t('config.departments.count', { count: meta.departments.length })}
          </Typography.Text>
          <Input.Search
            allowClear
            placeholder={t('config.departments.searchPlaceholder')}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: 260 }}
          />
        </Flex>
        {treeData.length === 0 ? (
          <EmptyState />
        ) : (
          <Tree
            // Remount when the filter changes so every branch opens.
            key={search}
            treeData={treeData}
            defaultExpandAll
            selectable={false}
            showLine
            blockNode
            data-testid="department-tree"
          />
        )}
      </Flex>
    </Card>
  );
}
