import { CheckOutlined, GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown, Layout, Space, theme, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext';
import { LOCALES, type Locale } from '../i18n';
import { useMeta } from '../meta/MetaContext';

/** Top bar: config version in force and the language switch (remembered in localStorage). */
export function Header() {
  const { token } = theme.useToken();
  const { locale, setLocale, t } = useI18n();
  const { meta } = useMeta();

  return (
    <Layout.Header
      style={{
        backgroundColor: token.colorBgElevated,
        display: 'flex',
        justifyContent: 'flex-end',
        alignItems: 'center',
        padding: '0 24px',
        height: 64,
        position: 'sticky',
        top: 0,
        zIndex: 1,
        borderBottom: `1px solid ${token.colorBorderSecondary}`,
      }}
    >
      <Space size="middle">
        {meta ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('home.configVersion')}: <code>{meta.version.slice(0, 19)}</code>
          </Typography.Text>
        ) : null}
        <Dropdown
          trigger={['click']}
          menu={{
            selectable: true,
            selectedKeys: [locale],
            items: LOCALES.map((l) => ({
              key: l,
              label: t(`languages.${l}`),
              icon: l === locale ? <CheckOutlined /> : <span style={{ display: 'inline-block', width: 14 }} />,
            })),
            onClick: ({ key }) => setLocale(key as Locale),
          }}
        >
          <Button icon={<GlobalOutlined />} aria-label={t('header.switchTo')} data-testid="locale-switch">
            {t(`languages.${locale}`)}
          </Button>
        </Dropdown>
      </Space>
    </Layout.Header>
  );
}
