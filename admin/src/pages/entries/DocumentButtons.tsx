/**
 * The documents the API generates for an entry: 预先告知书 once notified, 认定决定书 once
 * recognised; opened as a printable page or downloaded as Word. They are fetched with the bearer
 * token and handed to the browser as object URLs (a plain link would carry no credentials).
 */
import { FileWordOutlined, PrinterOutlined } from '@ant-design/icons';
import { App, Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { type DocumentKind, fetchDocument } from '../../entries/api';
import type { EntryDetail } from '../../entries/types';
import { useI18n } from '../../i18n/I18nContext';
import type { MetaList } from '../../meta/types';
import { toApiError } from '../../providers/errors';

export function availableDocuments(list: Pick<MetaList, 'procedure'>, entry: Pick<EntryDetail, 'noticeServedAt' | 'recognisedAt' | 'decisionNo'>): DocumentKind[] {
  const docs: DocumentKind[] = [];
  const hasNotice = list.procedure.transitions.some((t) => t.action === 'notify');
  if (hasNotice && entry.noticeServedAt) docs.push('notice');
  if (entry.recognisedAt || entry.decisionNo) docs.push('decision');
  return docs;
}

export function DocumentButtons({ list, entry }: { list: MetaList; entry: EntryDetail }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | undefined>();
  const docs = availableDocuments(list, entry);
  if (!docs.length) return <Typography.Text type="secondary">{t('documents.none')}</Typography.Text>;

  const open = async (doc: DocumentKind, format: 'html' | 'docx') => {
    setBusy(`${doc}-${format}`);
    // Opened before the request so the browser does not block it as a pop-up.
    const win = format === 'html' ? window.open('', '_blank') : null;
    try {
      const blob = await fetchDocument(list.id, entry.id, doc, format);
      const url = URL.createObjectURL(blob);
      if (format === 'html' && win) {
        win.location.href = url;
      } else {
        const a = document.createElement('a');
        a.href = url;
        a.download = `${t(`documents.${doc}`)}-${entry.subject.name}.docx`;
        document.body.appendChild(a);
        a.click();
        a.remove();
      }
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      win?.close();
      message.error(toApiError(error).message || t('documents.failed'));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Space direction="vertical" size={4}>
      {docs.map((doc) => (
        <Space key={doc} wrap size={4}>
          <Typography.Text>{t(`documents.${doc}`)}</Typography.Text>
          <Button size="small" icon={<PrinterOutlined />} loading={busy === `${doc}-html`} onClick={() => void open(doc, 'html')}>
            {t('documents.print')}
          </Button>
          <Button size="small" icon={<FileWordOutlined />} loading={busy === `${doc}-docx`} onClick={() => void open(doc, 'docx')}>
            {t('documents.word')}
          </Button>
        </Space>
      ))}
    </Space>
  );
}
