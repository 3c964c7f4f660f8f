/**
 * The files of an entry, its objections and repair applications: evidence, materials (信用承诺书,
 * 履行义务证明 …) and others. Operators upload to the entry (types and size are checked by the API
 * from platform.yaml; the type is read from the content), anyone who sees the entry downloads, and
 * files of the entry can be deleted, after a confirmation, while it is a draft.
 */
import { DeleteOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { canList } from '../../access/permissions';
import { formatInstant } from '../../components/format';
import { type Attachment, type AttachmentKind, deleteAttachment, downloadAttachment, listAttachments, uploadAttachment } from '../../entries/api';
import { saveBlob } from '../../providers/http';
import type { EntryDetail } from '../../entries/types';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta, MetaList } from '../../meta/types';
import { toApiError } from '../../providers/errors';

const sizeText = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export function AttachmentsCard({ entry, list, meta, isDraft }: { entry: EntryDetail; list: MetaList; meta: Meta; isDraft: boolean }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [kind, setKind] = useState<AttachmentKind>('evidence');
  const [materialType, setMaterialType] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const query = useQuery({ queryKey: ['credit-lists', 'attachments', list.id, entry.id], queryFn: ({ signal }) => listAttachments(list.id, entry.id, signal) });
  const canUpload = canList(meta, list.id, 'edit-draft', entry.department);
  const materialName = (id: string | null) => {
    const m = meta.materials.find((x) => x.id === id);
    return m ? (locale === 'en' ? (m.nameEn ?? m.name) : m.name) : (id ?? '');
  };

  const upload = async (file: File) => {
    setBusy(true);
    try {
      await uploadAttachment(list.id, entry.id, file, kind, kind === 'material' ? materialType : undefined);
      message.success(t('attachments.uploaded'));
      await query.refetch();
    } catch (error) {
      message.error(toApiError(error).message || t('attachments.failed'));
    } finally {
      setBusy(false);
    }
  };

  const download = async (a: Attachment) => {
    try {
      saveBlob(await downloadAttachment(list.id, entry.id, a.id), a.filename);
    } catch (error) {
      message.error(toApiError(error).message || t('attachments.failed'));
    }
  };

  const remove = async (a: Attachment) => {
    try {
      await deleteAttachment(list.id, entry.id, a.id);
      message.success(t('attachments.deleted'));
      await query.refetch();
    } catch (error) {
      message.error(toApiError(error).message || t('attachments.failed'));
    }
  };

  return (
    <Card size="small" title={t('attachments.title')} data-testid="attachments">
      {canUpload ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Select<AttachmentKind>
            aria-label={t('attachments.kind')}
            value={kind}
            onChange={setKind}
            style={{ width: 120 }}
            options={(['evidence', 'material', 'other'] as const).map((k) => ({ value: k, label: t(`attachments.kinds.${k}`) }))}
          />
          {kind === 'material' ? (
            <Select
              aria-label={t('attachments.materialType')}
              placeholder={t('attachments.materialType')}
              value={materialType}
              onChange={setMaterialType}
              allowClear
              style={{ width: 200 }}
              options={meta.materials.map((m) => ({ value: m.id, label: materialName(m.id) }))}
            />
          ) : null}
          <Upload
            showUploadList={false}
            customRequest={({ file }) => {
              if (file instanceof File) void upload(file);
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy}>
              {t('attachments.upload')}
            </Button>
          </Upload>
        </Space>
      ) : null}
      <Table<Attachment>
        size="small"
        rowKey="id"
        loading={query.isLoading}
        dataSource={query.data ?? []}
        pagination={false}
        locale={{ emptyText: t('attachments.none') }}
        columns={[
          { title: t('attachments.filename'), dataIndex: 'filename' },
          {
            title: t('attachments.kind'),
            render: (_, a) => (
              <Space size={4} wrap>
                <Tag>{t(`attachments.kinds.${a.kind}`)}</Tag>
                {a.materialType ? <Tag color="blue">{materialName(a.materialType)}</Tag> : null}
                {a.ownerType !== 'entry' ? <Tag color="purple">{t(`attachments.owners.${a.ownerType}`)}</Tag> : null}
              </Space>
            ),
          },
          { title: t('attachments.size'), dataIndex: 'size', render: (n: number) => sizeText(n), width: 90 },
          { title: t('attachments.uploadedAt'), dataIndex: 'createdAt', render: (v: string) => formatInstant(v, locale, meta.platform.timezone), width: 170 },
          {
            title: '',
            width: 120,
            render: (_, a) => (
              <Space size={4}>
                <Button size="small" icon={<DownloadOutlined />} aria-label={t('attachments.download')} onClick={() => void download(a)} />
                {isDraft && canUpload && a.ownerType === 'entry' ? (
                  <Popconfirm title={t('attachments.confirmDelete')} okText={t('attachments.delete')} okButtonProps={{ danger: true }} onConfirm={() => remove(a)}>
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('attachments.delete')} />
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
