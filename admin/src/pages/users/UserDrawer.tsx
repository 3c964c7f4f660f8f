/** Create or edit one user: name, (initial or reset) password, and role assignments per department. */
import { DeleteOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, Drawer, Flex, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { RoleAssignment } from '../../auth/session';
import { applyServerErrors, explainError } from '../../forms/applyServerErrors';
import type { FieldName } from '../../forms/serverErrors';
import { useI18n } from '../../i18n/I18nContext';
import { ALL_DEPARTMENTS, normaliseAssignment, personRoles } from '../../meta/roles';
import type { Meta } from '../../meta/types';
import { toApiError } from '../../providers/errors';
import { requestJson } from '../../providers/http';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  mustChangePassword: boolean;
  roles: RoleAssignment[];
  createdAt: string;
}

interface UserValues {
  username?: string;
  displayName?: string;
  password?: string;
  roles?: { role?: string; department?: string }[];
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** A random password that meets the usual policy (upper, lower, digit, symbol; 14 characters). */
export function generatePassword(random: (n: number) => number = (n) => Math.floor(Math.random() * n)): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '@#$%&*!?'];
  const all = sets.join('');
  const chars = sets.map((s) => s[random(s.length)] ?? 'A');
  while (chars.length < 14) chars.push(all[random(all.length)] ?? 'a');
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}

export function UserDrawer({ meta, user, onClose, onSaved }: { meta: Meta; user?: UserRecord; onClose: () => void; onSaved: () => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<UserValues>();
  const [saving, setSaving] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);
  const roles = useMemo(() => personRoles(meta), [meta]);
  const watchedRoles = Form.useWatch('roles', form) ?? [];
  const departmentOptions = useMemo(
    () => meta.departments.map((d) => ({ value: d.code, label: `${pick(d.name, d.nameEn)}（${d.code}）` })),
    [meta.departments, pick],
  );
  const creating = !user;

  const submit = async (values: UserValues) => {
    setSaving(true);
    setGeneral([]);
    const assignments = (values.roles ?? []).map((a) => normaliseAssignment(meta, a)).filter((a): a is RoleAssignment => !!a);
    try {
      if (creating) {
        await requestJson('/api/users', {
          method: 'POST',
          body: { username: values.username?.trim(), displayName: values.displayName?.trim(), password: values.password, roles: assignments },
        });
        message.success(t('users.created', { name: values.displayName }));
      } else {
        await requestJson(`/api/users/${encodeURIComponent(user.id)}`, {
          method: 'PATCH',
          body: { displayName: values.displayName?.trim(), roles: assignments, ...(values.password ? { password: values.password } : {}) },
        });
        message.success(t('users.saved', { name: values.displayName }));
      }
      onSaved();
    } catch (error) {
      const e = toApiError(error);
      if (e.code === 'USERNAME_TAKEN') {
        form.setFields([{ name: 'username', errors: [e.message] }]);
        return;
      }
      const known: FieldName[] = [['username'], ['displayName'], ['password']];
      (values.roles ?? []).forEach((_, i) => known.push(['roles', i, 'role'], ['roles', i, 'department']));
      setGeneral(
        applyServerErrors(form, error, {
          known,
          pathless: e.code === 'PASSWORD_POLICY' ? ['password'] : undefined,
          explain: explainError(t),
        }),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      width={720}
      title={creating ? t('users.createTitle') : t('users.editTitle', { name: user.displayName })}
      onClose={onClose}
      destroyOnHidden
      maskClosable={false}
      extra={
        <Space>
          <Button onClick={onClose}>{t('buttons.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            {t('buttons.save')}
          </Button>
        </Space>
      }
    >
      {general.length ? <Alert type="error" showIcon message={general.join('；')} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<UserValues>
        name="user"
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={user ? { username: user.username, displayName: user.displayName, roles: user.roles } : { roles: [] }}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="username"
              label={t('users.username')}
              extra={creating ? t('users.usernameHint') : undefined}
              rules={[
                { required: true, message: t('validation.required', { label: t('users.username') }) },
                { pattern: USERNAME_PATTERN, message: t('users.usernamePattern') },
              ]}
            >
              <Input disabled={!creating} autoComplete="off" style={{ fontFamily: 'monospace' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="displayName"
              label={t('users.displayName')}
              rules={[
                { required: true, whitespace: true, message: t('validation.required', { label: t('users.displayName') }) },
                { max: 64, message: t('validation.maxLength', { max: 64 }) },
              ]}
            >
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={creating ? t('users.initialPassword') : t('users.resetPassword')} required={creating} extra={t(creating ? 'users.initialPasswordHint' : 'users.resetPasswordHint')}>
              <Flex gap={8}>
                <Form.Item name="password" noStyle rules={creating ? [{ required: true, message: t('validation.required', { label: t('users.initialPassword') }) }] : []}>
                  <Input.Password autoComplete="new-password" aria-label={creating ? t('users.initialPassword') : t('users.resetPassword')} style={{ maxWidth: 320 }} />
                </Form.Item>
                <Button
                  icon={<ThunderboltOutlined />}
                  onClick={() => {
                    const password = generatePassword();
                    form.setFieldValue('password', password);
                    void navigator.clipboard?.writeText(password).then(
                      () => message.info(t('users.generatedCopied')),
                      () => undefined,
                    );
                  }}
                >
                  {t('users.generate')}
                </Button>
              </Flex>
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('users.roles')}</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('users.rolesHint')}
        </Typography.Paragraph>
        <Form.List name="roles">
          {(items, { add, remove }, { errors }) => (
            <Flex vertical gap={4}>
              {items.map((item) => {
                const roleId = watchedRoles[item.name]?.role;
                const role = roles.find((r) => r.id === roleId);
                const officeWide = role?.scope === 'all';
                return (
                  <Row key={item.key} gutter={8} align="top">
                    <Col xs={24} md={10}>
                      <Form.Item
                        name={[item.name, 'role']}
                        label={item.name === 0 ? t('users.role') : undefined}
                        rules={[{ required: true, message: t('validation.required', { label: t('users.role') }) }]}
                      >
                        <Select
                          aria-label={t('users.role')}
                          options={roles.map((r) => ({ value: r.id, label: `${pick(r.name, r.nameEn)}（${t(`kinds.scope.${r.scope}`)}）` }))}
                          onChange={(value: string) => {
                            const next = roles.find((r) => r.id === value);
                            form.setFieldValue(['roles', item.name, 'department'], next?.scope === 'all' ? ALL_DEPARTMENTS : undefined);
                          }}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={20} md={12}>
                      <Form.Item
                        name={[item.name, 'department']}
                        label={item.name === 0 ? t('users.department') : undefined}
                        rules={officeWide ? [] : [{ required: true, message: t('users.departmentRequired') }]}
                      >
                        {officeWide ? (
                          <Select aria-label={t('users.department')} disabled options={[{ value: ALL_DEPARTMENTS, label: t('roles.allDepartments') }]} />
                        ) : (
                          <Select aria-label={t('users.department')} showSearch optionFilterProp="label" options={departmentOptions} placeholder={t('users.departmentPlaceholder')} />
                        )}
                      </Form.Item>
                    </Col>
                    <Col xs={4} md={2}>
                      <Form.Item label={item.name === 0 ? ' ' : undefined} colon={false}>
                        <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('users.removeRole')} onClick={() => remove(item.name)} />
                      </Form.Item>
                    </Col>
                  </Row>
                );
              })}
              <Form.ErrorList errors={errors} />
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} style={{ maxWidth: 240 }}>
                {t('users.addRole')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
