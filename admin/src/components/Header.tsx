import { CheckOutlined, DownOutlined, GlobalOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useLogout } from '@refinedev/core';
import { App, Avatar, Button, Dropdown, Flex, Layout, Space, theme, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { ChangePasswordModal } from '../auth/ChangePasswordModal';
import { useSession } from '../auth/session';
import { LOCALES, type Locale } from '../i18n';
import { useI18n } from '../i18n/I18nContext';
import { useMeta } from '../meta/MetaContext';
import { describeAssignments } from '../meta/roles';

/**
 * Top bar: the language switch and the logged-in user (name, departments and roles from meta),
 * with 修改密码 and 退出登录 (confirmed) in the user menu.
 */
export function Header() {
  const { token } = theme.useToken();
  const { locale, setLocale, t, pick } = useI18n();
  const { meta } = useMeta();
  const session = useSession();
  const { modal } = App.useApp();
  const { mutate: logout } = useLogout();
  const [passwordOpen, setPasswordOpen] = useState(false);

  const user = session?.user;
  const assignments = useMemo(
    () => (user ? describeAssignments(user.roles, meta, { t, pick }) : []),
    [user, meta, t, pick],
  );
  const departments = [...new Set(assignments.map((a) => a.department))];
  const roleSummary = [...new Set(assignments.map((a) => a.role))].join('、');

  const confirmLogout = () =>
    modal.confirm({
      title: t('header.logoutTitle'),
      content: t('header.logoutContent'),
      okText: t('buttons.logout'),
      cancelText: t('buttons.cancel'),
      onOk: () => logout(),
    });

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
        zIndex: 3,
        borderBottom: `1px solid ${token.colorBorderSecondary}`,
      }}
    >
      <Space size="middle">
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
          <Button type="text" icon={<GlobalOutlined />} aria-label={t('header.switchTo')} data-testid="locale-switch">
            {t(`languages.${locale}`)}
          </Button>
        </Dropdown>
        {user ? (
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                {
                  key: 'who',
                  disabled: true,
                  label: (
                    <Flex vertical style={{ maxWidth: 320, cursor: 'default' }}>
                      <Typography.Text strong>{user.displayName}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('header.username')}：{user.username}
                      </Typography.Text>
                      {assignments.map((a) => (
                        <Typography.Text key={`${a.roleId}@${a.departmentCode}`} type="secondary" style={{ fontSize: 12 }}>
                          {a.role} · {a.department}
                        </Typography.Text>
                      ))}
                    </Flex>
                  ),
                },
                { type: 'divider' },
                { key: 'password', icon: <LockOutlined />, label: t('header.changePassword'), onClick: () => setPasswordOpen(true) },
                { key: 'logout', icon: <LogoutOutlined />, danger: true, label: t('buttons.logout'), onClick: confirmLogout },
              ],
            }}
          >
            <Button type="text" style={{ height: 52, padding: '4px 8px' }} aria-label={t('header.userMenu')} data-testid="user-menu">
              <Flex align="center" gap={10}>
                <Avatar style={{ backgroundColor: token.colorPrimary }} icon={<UserOutlined />} size={36} />
                <Flex vertical align="flex-start" style={{ lineHeight: 1.35 }}>
                  <Typography.Text strong>{user.displayName}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 360 }} ellipsis>
                    {[departments.join('、'), roleSummary].filter(Boolean).join(' · ')}
                  </Typography.Text>
                </Flex>
                <DownOutlined style={{ fontSize: 10, color: token.colorTextTertiary }} />
              </Flex>
            </Button>
          </Dropdown>
        ) : null}
      </Space>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Layout.Header>
  );
}
