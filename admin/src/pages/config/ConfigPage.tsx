/** 配置: read-only view of the configuration in force (departments, list types, measures). */
import { Flex, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { MetaGate } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { DepartmentsTab } from './DepartmentsTab';
import { ListTypesTab } from './ListTypesTab';
import { MeasuresTab } from './MeasuresTab';

const TABS = ['departments', 'lists', 'measures'] as const;
type TabKey = (typeof TABS)[number];

export default function ConfigPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const active: TabKey = (TABS as readonly string[]).includes(requested ?? '') ? (requested as TabKey) : 'departments';

  return (
    <MetaGate>
      {(meta) => (
        <Flex vertical gap={8}>
          <div>
            <Typography.Title level={3} style={{ marginBottom: 4 }}>
              {t('config.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('config.subtitle', { version: meta.version })}</Typography.Text>
          </div>
          <Tabs
            activeKey={active}
            onChange={(key) => setParams((p) => {
              const next = new URLSearchParams(p);
              next.set('tab', key);
              return next;
            }, { replace: true })}
            items={[
              { key: 'departments', label: t('config.tabs.departments'), children: <DepartmentsTab meta={meta} /> },
              { key: 'lists', label: t('config.tabs.lists'), children: <ListTypesTab meta={meta} /> },
              { key: 'measures', label: t('config.tabs.measures'), children: <MeasuresTab meta={meta} /> },
            ]}
          />
        </Flex>
      )}
    </MetaGate>
  );
}
