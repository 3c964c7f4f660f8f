/**
 * 修改密码: from the header menu, and forced (cannot be dismissed) while the account must change
 * its initial or reset password. Policy failures from the API (PASSWORD_POLICY details) show
 * under the new-password input.
 */
import { LockOutlined } from '@ant-design/icons';
import { useLogout } from '@refinedev/core';
import { Alert, App, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { applyServerErrors } from '../forms/applyServerErrors';
import { useI18n } from '../i18n/I18nContext';
import { changePassword } from './api';
import { sessionStore, useSession } from './session';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function ChangePasswordModal({ open, forced, onClose }: { open: boolean; forced?: boolean; onClose?: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { mutate: logout } = useLogout();
  const [form] = Form.useForm<PasswordValues>();
  const [saving, setSaving] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);

  const submit = async (values: PasswordValues) => {
    setSaving(true);
    setGeneral([]);
    try {
      await changePassword(values.currentPassword, values.newPassword);
      const session = sessionStore.get();
      if (session) sessionStore.updateUser({ ...session.user, mustChangePassword: false });
      message.success(t('password.changed'));
      form.resetFields();
      onClose?.();
    } catch (error) {
      setGeneral(
        applyServerErrors(form, error, {
          known: [['currentPassword'], ['newPassword'], ['confirmPassword']],
          pathless: ['newPassword'],
        }),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={
        <span>
          <LockOutlined /> {t(forced ? 'password.forcedTitle' : 'password.title')}
        </span>
      }
      closable={!forced}
      maskClosable={false}
      keyboard={!forced}
      onCancel={forced ? undefined : onClose}
      destroyOnHidden
      footer={[
        forced ? (
          <Button key="logout" onClick={() => logout()}>
            {t('buttons.logout')}
          </Button>
        ) : (
          <Button key="cancel" onClick={onClose}>
            {t('buttons.cancel')}
          </Button>
        ),
        <Button key="ok" type="primary" loading={saving} onClick={() => form.submit()}>
          {t('password.submit')}
        </Button>,
      ]}
    >
      {forced ? <Alert type="warning" showIcon message={t('password.forcedHint')} style={{ marginBottom: 16 }} /> : null}
      {general.length ? <Alert type="error" showIcon message={general.join('；')} style={{ marginBottom: 16 }} /> : null}
      <Form<PasswordValues> name="password" form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.policyHint')}
          rules={[
            { required: true, message: t('password.newRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                value && value === getFieldValue('currentPassword') ? Promise.reject(new Error(t('password.sameAsCurrent'))) : Promise.resolve(),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('password.afterChange')}
      </Typography.Text>
    </Modal>
  );
}

/** Forces the password change while the logged-in account still has `mustChangePassword`. */
export function PasswordGate() {
  const session = useSession();
  if (!session?.user.mustChangePassword) return null;
  return <ChangePasswordModal open forced />;
}
