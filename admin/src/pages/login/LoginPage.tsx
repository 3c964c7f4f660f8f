/** 用户登录: platform name from /api/public/platform, the API's own error messages, lockout notice. */
import { GlobalOutlined, LockOutlined, SafetyCertificateFilled, UserOutlined } from '@ant-design/icons';
import { useInvalidateAuthStore } from '@refinedev/core';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Dropdown, Flex, Form, Input, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { fetchPlatform, loginRequest } from '../../auth/api';
import { sessionStore, useSession } from '../../auth/session';
import { errorDetails } from '../../forms/serverErrors';
import { LOCALES, type Locale } from '../../i18n';
import { useI18n } from '../../i18n/I18nContext';
import { errorMessageKey, toApiError } from '../../providers/errors';

interface LoginValues {
  username: string;
  password: string;
}

interface LoginFailure {
  type: 'error' | 'warning';
  message: string;
  description?: string;
}

/** Only same-site paths are followed after login. */
export function safeRedirect(to: string | null): string {
  return to?.startsWith('/') && !to.startsWith('//') && !to.startsWith('/login') ? to : '/';
}

export default function LoginPage() {
  const { t, pick, locale, setLocale } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const invalidateAuth = useInvalidateAuthStore();
  const [form] = Form.useForm<LoginValues>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<LoginFailure | undefined>();
  const [expired] = useState(() => sessionStore.endReason() === 'expired');
  const platform = useQuery({ queryKey: ['credit-lists', 'platform'], queryFn: ({ signal }) => fetchPlatform(signal), retry: false, staleTime: 10 * 60_000 });
  const name = platform.data ? pick(platform.data.name, platform.data.nameEn) : t('app.title');
  const target = safeRedirect(params.get('to'));

  useEffect(() => {
    document.title = `${t('login.title')} · ${name}`;
  }, [name, t]);

  if (session && !submitting) return <Navigate to={target} replace />;

  const onFinish = async (values: LoginValues) => {
    setSubmitting(true);
    setFailure(undefined);
    try {
      sessionStore.set(await loginRequest(values.username.trim(), values.password));
      invalidateAuth();
      navigate(target, { replace: true });
    } catch (error) {
      const e = toApiError(error);
      if (e.code === 'ACCOUNT_LOCKED') {
        const until = errorDetails(error).find((d) => typeof d.lockedUntil === 'string')?.lockedUntil as string | undefined;
        setFailure({
          type: 'warning',
          message: t('login.locked'),
          description: [e.message, until ? t('login.lockedUntil', { time: dayjs(until).format('YYYY-MM-DD HH:mm') }) : '']
            .filter(Boolean)
            .join(' '),
        });
      } else if (e.statusCode === 401 || e.statusCode === 422) {
        setFailure({ type: 'error', message: e.message || t('login.failed') });
        form.setFieldValue('password', '');
      } else {
        setFailure({ type: 'error', message: t('login.failed'), description: t(errorMessageKey(e), { status: e.statusCode }) });
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Flex vertical className="login-page" style={{ minHeight: '100vh' }}>
      <Flex justify="flex-end" style={{ padding: '16px 24px' }}>
        <Dropdown
          trigger={['click']}
          menu={{
            selectable: true,
            selectedKeys: [locale],
            items: LOCALES.map((l) => ({ key: l, label: t(`languages.${l}`) })),
            onClick: ({ key }) => setLocale(key as Locale),
          }}
        >
          <Button type="text" icon={<GlobalOutlined />} style={{ color: '#fff' }} aria-label={t('header.switchTo')}>
            {t(`languages.${locale}`)}
          </Button>
        </Dropdown>
      </Flex>
      <Flex flex={1} align="center" justify="center" gap={64} wrap style={{ padding: '0 24px 48px' }}>
        <Flex vertical gap={16} style={{ maxWidth: 520, color: '#fff' }} className="login-brand">
          <Flex align="center" gap={16}>
            <span className="login-emblem" aria-hidden>
              <SafetyCertificateFilled />
            </span>
            <Typography.Title level={1} style={{ color: '#fff', margin: 0, fontSize: 30, lineHeight: 1.35 }}>
              {name}
            </Typography.Title>
          </Flex>
          <Typography.Title level={3} style={{ color: 'rgba(255,255,255,0.92)', margin: 0, fontWeight: 400 }}>
            {t('login.product')}
          </Typography.Title>
          <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.78)', fontSize: 15, marginBottom: 0 }}>
            {t('login.tagline')}
          </Typography.Paragraph>
        </Flex>
        <Card style={{ width: 400, maxWidth: '100%', boxShadow: '0 12px 40px rgba(0,0,0,0.25)' }} styles={{ body: { padding: 32 } }}>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
            {t('login.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
          {expired && !failure ? <Alert type="info" showIcon message={t('login.expired')} style={{ marginBottom: 16 }} /> : null}
          {failure ? (
            <Alert
              type={failure.type}
              showIcon
              message={failure.message}
              description={failure.description}
              style={{ marginBottom: 16 }}
              role="alert"
              data-testid="login-error"
            />
          ) : null}
          <Form<LoginValues> name="login" form={form} layout="vertical" requiredMark={false} onFinish={onFinish} disabled={submitting}>
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" placeholder={t('login.usernamePlaceholder')} />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" placeholder={t('login.passwordPlaceholder')} />
            </Form.Item>
            <Button type="primary" htmlType="submit" size="large" block loading={submitting}>
              {t('login.submit')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
            {t('login.help')}
          </Typography.Paragraph>
        </Card>
      </Flex>
      <Flex vertical align="center" gap={2} style={{ padding: '16px 24px 24px', color: 'rgba(255,255,255,0.65)', fontSize: 12 }}>
        <span>
          {name}
          {platform.data?.version ? ` · ${t('login.version', { version: platform.data.version })}` : ''}
        </span>
        <span>{t('login.browsers')}</span>
      </Flex>
    </Flex>
  );
}
