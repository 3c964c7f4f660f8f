/**
 * Batch actions on the selected rows: pick one action (only those meta allows for some selected
 * entry), answer its inputs once, and apply it to each entry in turn with that entry's version;
 * the server checks each one on its own. A summary lists what succeeded and why others failed.
 */
import { CheckCircleFilled, CloseCircleFilled, DownOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, App, Button, Dropdown, Flex, Modal, Progress, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { actionBody, type BatchCandidate, type BatchSummary, runBatch } from '../../entries/actions';
import { getEntry, runAction } from '../../entries/api';
import type { ActionInput, Entry } from '../../entries/types';
import { useI18n } from '../../i18n/I18nContext';
import type { Meta, MetaList } from '../../meta/types';
import { toApiError } from '../../providers/errors';
import { ActionModal } from './ActionModal';

interface Props {
  list: MetaList;
  meta: Meta;
  selected: Entry[];
  candidates: BatchCandidate[];
  onClear: () => void;
  onDone: () => void;
}

/** The inputs of a transition, read from the detail of the first selected entry that offers it. */
async function loadInputs(listId: string, candidate: BatchCandidate): Promise<ActionInput[]> {
  for (const entry of candidate.eligible.slice(0, 3)) {
    try {
      const detail = await getEntry(listId, entry.id);
      const action = detail.actions?.find((a) => a.id === candidate.id);
      if (action) return action.inputs ?? [];
    } catch {
      // Try the next entry.
    }
  }
  return [];
}

export function BatchBar({ list, meta, selected, candidates, onClear, onDone }: Props) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [chosen, setChosen] = useState<{ candidate: BatchCandidate; inputs: ActionInput[] } | undefined>();
  const [loading, setLoading] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [summary, setSummary] = useState<{ label: string; result: BatchSummary<Entry>; skipped: number } | undefined>();

  const labelOf = (c: Pick<BatchCandidate, 'label' | 'labelEn'>) => (locale === 'en' ? c.labelEn || c.label : c.label);

  const choose = async (id: string) => {
    const candidate = candidates.find((c) => c.id === id);
    if (!candidate) return;
    setLoading(true);
    try {
      setChosen({ candidate, inputs: await loadInputs(list.id, candidate) });
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setLoading(false);
    }
  };

  const apply = async (values: Record<string, unknown>) => {
    if (!chosen) return;
    const { candidate, inputs } = chosen;
    setChosen(undefined);
    setProgress({ done: 0, total: candidate.eligible.length });
    const result = await runBatch(
      candidate.eligible,
      (entry) => runAction(list.id, entry.id, candidate.id, actionBody(inputs, values, entry.version, list)),
      (done, total) => setProgress({ done, total }),
    );
    setProgress(undefined);
    setSummary({ label: labelOf(candidate), result, skipped: selected.length - candidate.eligible.length });
  };

  return (
    <>
      <Alert
        type="info"
        showIcon={false}
        message={
          <Flex align="center" justify="space-between" wrap gap={8}>
            <Space>
              <Typography.Text>{t('batch.selected', { count: selected.length })}</Typography.Text>
              <Button type="link" size="small" onClick={onClear}>
                {t('batch.clear')}
              </Button>
            </Space>
            {candidates.length ? (
              <Dropdown
                trigger={['click']}
                menu={{
                  items: candidates.map((c) => ({
                    key: c.id,
                    label: t('batch.option', { label: labelOf(c), count: c.eligible.length }),
                  })),
                  onClick: ({ key }) => void choose(key),
                }}
              >
                <Button type="primary" icon={<ThunderboltOutlined />} loading={loading}>
                  {t('batch.apply')} <DownOutlined />
                </Button>
              </Dropdown>
            ) : (
              <Typography.Text type="secondary">{t('batch.none')}</Typography.Text>
            )}
          </Flex>
        }
      />
      {chosen ? (
        <ActionModal
          open
          list={list}
          meta={meta}
          action={{ ...chosen.candidate, inputs: chosen.inputs }}
          count={chosen.candidate.eligible.length}
          onCancel={() => setChosen(undefined)}
          onSubmit={apply}
        />
      ) : null}
      <Modal open={!!progress} closable={false} footer={null} title={t('batch.running')} maskClosable={false}>
        {progress ? <Progress percent={Math.round((progress.done / Math.max(progress.total, 1)) * 100)} format={() => `${progress.done}/${progress.total}`} /> : null}
      </Modal>
      <Modal
        open={!!summary}
        title={summary ? t('batch.summaryTitle', { label: summary.label }) : ''}
        onCancel={() => {
          setSummary(undefined);
          onDone();
        }}
        onOk={() => {
          setSummary(undefined);
          onDone();
        }}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('common.close')}
        width={680}
      >
        {summary ? (
          <Flex vertical gap={12}>
            <Space size="large" data-testid="batch-summary">
              <Typography.Text>
                <CheckCircleFilled style={{ color: '#52c41a' }} /> {t('batch.succeeded', { count: summary.result.succeeded.length })}
              </Typography.Text>
              <Typography.Text>
                <CloseCircleFilled style={{ color: summary.result.failed.length ? '#ff4d4f' : '#bfbfbf' }} />{' '}
                {t('batch.failed', { count: summary.result.failed.length })}
              </Typography.Text>
              {summary.skipped > 0 ? <Typography.Text type="secondary">{t('batch.skipped', { count: summary.skipped })}</Typography.Text> : null}
            </Space>
            {summary.result.failed.length ? (
              <Table
                size="small"
                rowKey={(r) => r.item.id}
                pagination={false}
                dataSource={summary.result.failed}
                columns={[
                  { key: 'subject', title: t('entries.subject'), render: (_, r) => r.item.subject?.name },
                  { key: 'reason', title: t('batch.reason'), render: (_, r) => r.message },
                ]}
              />
            ) : null}
          </Flex>
        ) : null}
      </Modal>
    </>
  );
}
