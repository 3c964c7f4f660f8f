/**
 * Batch import of one list type (`/lists/:listId/import`): download the template, upload an xlsx
 * or csv (UTF-8 or GBK), read every problem of the dry run (row, column, reason), commit
 * all-or-nothing or the valid rows only, and follow the progress. The job id is kept in the URL
 * (`?job=`), so a reload comes back to the same job; recent jobs are listed below.
 */
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Progress, Radio, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { canGlobal } from '../../access/permissions';
import { formatInstant } from '../../components/format';
import { useI18n } from '../../i18n/I18nContext';
import { checkImport, commitImport, type ImportJob, importJob, recentImports, templateBlob } from '../../imports/api';
import { saveBlob } from '../../providers/http';
import type { Meta, MetaList } from '../../meta/types';
import { toApiError } from '../../providers/errors';
import { ListGate } from '../entries/ListGate';

const STATUS_COLOR: Record<ImportJob['status'], string> = { validated: 'blue', committing: 'processing', committed: 'success', failed: 'error' };

export default function ImportPage() {
  return <ListGate action="import">{(list, meta) => <ImportPanel key={list.id} list={list} meta={meta} />}</ListGate>;
}

function ImportPanel({ list, meta }: { list: MetaList; meta: Meta }) {
  const { t, pick, locale } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  const [as, setAs] = useState<'draft' | 'published'>('draft');
  const [busy, setBusy] = useState(false);
  const mayPublish = canGlobal(meta, 'import-historical');

  const job = useQuery({
    queryKey: ['credit-lists', 'import', list.id, jobId],
    queryFn: ({ signal }) => importJob(list.id, jobId as string, signal),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data?.status === 'committing' ? 1000 : false),
  });
  const recent = useQuery({ queryKey: ['credit-lists', 'imports', list.id, job.data?.status], queryFn: ({ signal }) => recentImports(list.id, signal) });

  const download = async (format: 'xlsx' | 'csv') => {
    try {
      saveBlob(await templateBlob(list.id, format), `${list.name}-${t('imports.template')}.${format}`);
    } catch (error) {
      message.error(toApiError(error).message);
    }
  };
  const upload = async (file: File) => {
    setBusy(true);
    try {
      const checked = await checkImport(list.id, file, as);
      setParams({ job: checked.id });
    } catch (error) {
      message.error(toApiError(error).message || t('imports.failed'));
    } finally {
      setBusy(false);
    }
  };
  const commit = async (mode: 'all' | 'valid') => {
    if (!jobId) return;
    setBusy(true);
    try {
      await commitImport(list.id, jobId, mode);
      await job.refetch();
    } catch (error) {
      message.error(toApiError(error).message || t('imports.failed'));
    } finally {
      setBusy(false);
    }
  };

  const j = job.data;
  const percent = j?.progress?.total ? Math.round((100 * j.progress.processed) / j.progress.total) : j?.status === 'committed' ? 100 : 0;

  return (
    <Flex vertical gap={16} data-testid="import-page">
      <Flex justify="space-between" align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('imports.title')}：{pick(list.name, list.nameEn)}
        </Typography.Title>
        <Link to={`/lists/${list.id}`}>{t('imports.backToList')}</Link>
      </Flex>
      <Card size="small" title={t('imports.step1')}>
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={() => void download('xlsx')}>
            {t('imports.templateXlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => void download('csv')}>
            {t('imports.templateCsv')}
          </Button>
          <Typography.Text type="secondary">{t('imports.templateHint', { rows: meta.platform.imports.maxRows, mb: meta.platform.imports.maxSizeMb })}</Typography.Text>
        </Space>
      </Card>
      <Card size="small" title={t('imports.step2')}>
        <Flex vertical gap={12}>
          <Radio.Group value={as} onChange={(e) => setAs(e.target.value)}>
            <Radio value="draft">{t('imports.asDraft')}</Radio>
            <Radio value="published" disabled={!mayPublish}>
              {t('imports.asPublished')}
            </Radio>
          </Radio.Group>
          <Upload.Dragger
            accept=".xlsx,.csv"
            showUploadList={false}
            disabled={busy}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('imports.drop')}</p>
            <p className="ant-upload-hint">{t('imports.dropHint')}</p>
          </Upload.Dragger>
        </Flex>
      </Card>
      {j ? (
        <Card
          size="small"
          title={t('imports.step3')}
          data-testid="import-job"
          extra={<Tag color={STATUS_COLOR[j.status]}>{t(`imports.status.${j.status}`)}</Tag>}
        >
          <Flex vertical gap={12}>
            <Descriptions size="small" column={{ xs: 1, md: 3 }}>
              <Descriptions.Item label={t('imports.file')}>{j.filename}</Descriptions.Item>
              <Descriptions.Item label={t('imports.format')}>
                {j.format}
                {j.encoding ? ` · ${j.encoding}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('imports.as')}>{j.as === 'published' ? t('imports.asPublished') : t('imports.asDraft')}</Descriptions.Item>
              <Descriptions.Item label={t('imports.rows')}>{j.totalRows}</Descriptions.Item>
              <Descriptions.Item label={t('imports.validRows')}>{j.validRows}</Descriptions.Item>
              <Descriptions.Item label={t('imports.imported')}>{j.imported}</Descriptions.Item>
            </Descriptions>
            {j.status === 'committing' || j.status === 'committed' ? <Progress percent={percent} status={j.status === 'committing' ? 'active' : 'success'} /> : null}
            {j.error ? <Alert type="error" showIcon message={j.error.message} /> : null}
            {j.status === 'validated' ? (
              <Space wrap>
                <Button type="primary" loading={busy} disabled={j.problemCount > 0 || j.validRows === 0} onClick={() => void commit('all')}>
                  {t('imports.commitAll')}
                </Button>
                <Button loading={busy} disabled={j.validRows === 0 || j.problemCount === 0} onClick={() => void commit('valid')}>
                  {t('imports.commitValid', { n: j.validRows })}
                </Button>
                {j.problemCount > 0 ? <Typography.Text type="danger">{t('imports.hasProblems', { n: j.problemCount })}</Typography.Text> : <Typography.Text type="success">{t('imports.noProblems')}</Typography.Text>}
              </Space>
            ) : null}
            {j.problems?.length ? (
              <Table
                size="small"
                rowKey={(p) => `${p.row}-${p.column}-${p.code}`}
                dataSource={j.problems}
                pagination={{ pageSize: 20 }}
                columns={[
                  { title: t('imports.row'), dataIndex: 'row', width: 80 },
                  { title: t('imports.column'), dataIndex: 'column', width: 200, render: (v: string | null) => v ?? '—' },
                  { title: t('imports.reason'), dataIndex: 'message' },
                  { title: t('imports.code'), dataIndex: 'code', width: 200, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
                ]}
              />
            ) : null}
          </Flex>
        </Card>
      ) : null}
      <Card size="small" title={t('imports.recent')}>
        <Table
          size="small"
          rowKey="id"
          loading={recent.isLoading}
          dataSource={recent.data ?? []}
          pagination={false}
          columns={[
            { title: t('imports.file'), dataIndex: 'filename', render: (v: string, r: ImportJob) => (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setParams({ job: r.id })}>
                  {v}
                </Button>
              ),
            },
            { title: t('imports.statusLabel'), dataIndex: 'status', width: 120, render: (v: ImportJob['status']) => <Tag color={STATUS_COLOR[v]}>{t(`imports.status.${v}`)}</Tag> },
            { title: t('imports.rows'), dataIndex: 'totalRows', width: 90 },
            { title: t('imports.imported'), dataIndex: 'imported', width: 90 },
            { title: t('imports.createdAt'), dataIndex: 'createdAt', width: 180, render: (v: string) => formatInstant(v, locale) },
          ]}
        />
      </Card>
    </Flex>
  );
}
