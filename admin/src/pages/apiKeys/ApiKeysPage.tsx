/**
 * 接口密钥 (`/system/api-keys`, manage-api-keys): keys of business systems that check subjects before
 * they act. A new key is shown once, with a copy button; revoking is confirmed.
 */
import { CopyOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Flex, Form, Input, Modal, Popconfirm, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { canGlobal } from '../../access/permissions';
import { Forbidden } from '../../components/Forbidden';
import { formatInstant } from '../../components/format';
import { EmptyState, ErrorState, MetaGate } from '../../components/states';
import { applyServerErrors, explainError } from '../../forms/applyServerErrors';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta } from '../../meta/types';
import { toApiError } from '../../providers/errors';
import { requestJson } from '../../providers/http';

export interface ApiKeyRecord {
  id: string;
  name: string;
  department: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const KEYS_QUERY = ['credit-lists', 'api-keys'] as const;

export default function ApiKeysPage() {
  return <MetaGate>{(meta) => (canGlobal(meta, 'manage-api-keys') ? <ApiKeys meta={meta} /> : <Forbidden />)}</MetaGate>;
}

function ApiKeys({ meta }: { meta: Meta }) {
  const { t, pick, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; department: string }>();
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);
  const [created, setCreated] = useState<(ApiKeyRecord & { key: string }) | undefined>();
  const query = useQuery({ queryKey: KEYS_QUERY, queryFn: ({ signal }) => requestJson<ApiKeyRecord[]>('/api/api-keys', { signal }) });
  const departmentName = (code: string) => {
    const d = meta.departments.find((x) => x.code === code);
    return d ? pick(d.name, d.nameEn) : code;
  };
  const when = (v: string | null) => formatInstant(v, locale, meta.platform.timezone);

  const create = async (values: { name: string; department: string }) => {
    setSaving(true);
    setGeneral([]);
    try {
      const key = await requestJson<ApiKeyRecord & { key: string }>('/api/api-keys', { method: 'POST', body: { name: values.name.trim(), department: values.department } });
      setCreating(false);
      form.resetFields();
      setCreated(key);
      void query.refetch();
    } catch (error) {
      setGeneral(applyServerErrors(form, error, { known: [['name'], ['department']], explain: explainError(t) }));
    } finally {
      setSaving(false);
    }
  };

  const revoke = async (key: ApiKeyRecord) => {
    try {
      await requestJson(`/api/api-keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
      message.success(t('apiKeys.revoked', { name: key.name }));
      void query.refetch();
    } catch (error) {
      message.error(toApiError(error).message);
    }
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      message.success(t('apiKeys.copied'));
    } catch {
      message.warning(t('apiKeys.copyFailed'));
    }
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="flex-end" wrap gap={8}>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t('apiKeys.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('apiKeys.subtitle')}</Typography.Text>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('apiKeys.create')}
        </Button>
      </Flex>
      <Card styles={{ body: { padding: 0 } }}>
        {query.isError ? (
          <ErrorState error={query.error} title={t('apiKeys.errorTitle')} onRetry={() => void query.refetch()} />
        ) : (
          <Table<ApiKeyRecord>
            rowKey="id"
            loading={query.isLoading}
            dataSource={query.data ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <EmptyState title={t('apiKeys.empty')} description={t('apiKeys.emptyHint')} /> }}
            columns={[
              { key: 'name', dataIndex: 'name', title: t('apiKeys.name'), render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
              { key: 'department', dataIndex: 'department', title: t('apiKeys.department'), render: departmentName },
              {
                key: 'prefix',
                dataIndex: 'prefix',
                title: t('apiKeys.prefix'),
                render: (v: string) => <Typography.Text code>{v}…</Typography.Text>,
              },
              { key: 'createdAt', dataIndex: 'createdAt', title: t('apiKeys.createdAt'), render: when },
              { key: 'lastUsedAt', dataIndex: 'lastUsedAt', title: t('apiKeys.lastUsedAt'), render: when },
              {
                key: 'status',
                title: t('apiKeys.status'),
                render: (_, k) =>
                  k.revokedAt ? (
                    <Badge status="default" text={`${t('apiKeys.revokedStatus')} ${when(k.revokedAt)}`} />
                  ) : (
                    <Badge status="success" text={t('apiKeys.active')} />
                  ),
              },
              {
                key: 'actions',
                title: t('common.operations'),
                render: (_, k) =>
                  k.revokedAt ? null : (
                    <Popconfirm
                      title={t('apiKeys.revokeTitle', { name: k.name })}
                      description={t('apiKeys.revokeDescription')}
                      okText={t('apiKeys.revoke')}
                      okButtonProps={{ danger: true }}
                      cancelText={t('buttons.cancel')}
                      onConfirm={() => revoke(k)}
                    >
                      <Button type="link" danger size="small">
                        {t('apiKeys.revoke')}
                      </Button>
                    </Popconfirm>
                  ),
              },
            ]}
          />
        )}
      </Card>

      <Modal
        open={creating}
        title={t('apiKeys.createTitle')}
        okText={t('apiKeys.createOk')}
        cancelText={t('buttons.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        {general.length ? <Alert type="error" showIcon message={general.join('；')} style={{ marginBottom: 16 }} /> : null}
        <Form name="apiKey" form={form} layout="vertical" onFinish={create} preserve={false}>
          <Form.Item
            name="name"
            label={t('apiKeys.name')}
            extra={t('apiKeys.nameHint')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required', { label: t('apiKeys.name') }) },
              { max: 100, message: t('validation.maxLength', { max: 100 }) },
            ]}
          >
            <Input autoFocus />
          </Form.Item>
          <Form.Item name="department" label={t('apiKeys.department')} extra={t('apiKeys.departmentHint')} rules={[{ required: true, message: t('validation.required', { label: t('apiKeys.department') }) }]}>
            <Select showSearch optionFilterProp="label" options={meta.departments.map((d) => ({ value: d.code, label: pick(d.name, d.nameEn) }))} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={!!created}
        title={
          <span>
            <KeyOutlined /> {t('apiKeys.createdTitle')}
          </span>
        }
        closable={false}
        maskClosable={false}
        keyboard={false}
        footer={
          <Button type="primary" onClick={() => setCreated(undefined)}>
            {t('apiKeys.savedIt')}
          </Button>
        }
      >
        {created ? (
          <Flex vertical gap={12}>
            <Alert type="warning" showIcon message={t('apiKeys.onceWarning')} description={t('apiKeys.onceDescription')} />
            <Typography.Text type="secondary">
              {created.name} · {departmentName(created.department)}
            </Typography.Text>
            <Input.TextArea readOnly value={created.key} autoSize aria-label={t('apiKeys.key')} style={{ fontFamily: 'monospace' }} data-testid="api-key-value" />
            <Button icon={<CopyOutlined />} onClick={() => void copy(created.key)}>
              {t('apiKeys.copy')}
            </Button>
          </Flex>
        ) : null}
      </Modal>
    </Flex>
  );
}
