/** Small controls of the studio: a period (number + unit), a YAML editor, a unified diff, a list of lint issues and the save dialog. */
import { Alert, App, Form, Input, InputNumber, Modal, Select, Space, Spin, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { useI18n } from '../../i18n/I18nContext';
import { toApiError } from '../../providers/errors';
import { type ConfigIssue, formatKeyPath, type Period, type PeriodUnit, periodUnits } from './formModel';

export function PeriodInput({ value, onChange, id, ariaLabel }: { value?: Period; onChange?: (v: Period | undefined) => void; id?: string; ariaLabel?: string }) {
  const { t } = useI18n();
  const unit = (periodUnits.find((u) => value?.[u] !== undefined) ?? 'working_days') as PeriodUnit;
  const amount = value?.[unit];
  return (
    <Space.Compact>
      <InputNumber
        id={id}
        aria-label={ariaLabel}
        min={1}
        precision={0}
        value={amount ?? null}
        style={{ width: 110 }}
        onChange={(n) => onChange?.(typeof n === 'number' ? { [unit]: n } : undefined)}
      />
      <Select<PeriodUnit>
        aria-label={ariaLabel ? `${ariaLabel} ${t('studio.unit')}` : undefined}
        value={unit}
        style={{ width: 100 }}
        options={periodUnits.map((u) => ({ value: u, label: t(`studio.units.${u}`) }))}
        onChange={(u) => onChange?.(amount !== undefined ? { [u]: amount } : undefined)}
      />
    </Space.Compact>
  );
}

export function DiffView({ diff }: { diff: string }) {
  const { t } = useI18n();
  if (!diff.trim()) return <Typography.Text type="secondary">{t('studio.noDiff')}</Typography.Text>;
  return (
    <pre className="studio-diff" style={{ fontSize: 12, background: '#fafafa', padding: 8, borderRadius: 6, overflowX: 'auto', maxHeight: 480 }}>
      {diff.split('\n').map((line, i) => {
        const color = line.startsWith('+++') || line.startsWith('---') ? '#555' : line.startsWith('+') ? '#237804' : line.startsWith('-') ? '#a8071a' : line.startsWith('@@') ? '#1f5fbf' : undefined;
        const background = line.startsWith('+') && !line.startsWith('+++') ? '#f6ffed' : line.startsWith('-') && !line.startsWith('---') ? '#fff1f0' : undefined;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text
          <div key={i} style={{ color, background }}>
            {line || ' '}
          </div>
        );
      })}
    </pre>
  );
}

/** A YAML syntax error half-typed cascades into hundreds of issues; the first ones locate it. */
const SHOWN_ISSUES = 20;

/** Lint issues with their file, line and key path. */
export function IssueList({ issues }: { issues: ConfigIssue[] }) {
  const { t, locale } = useI18n();
  if (!issues.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      message={t('studio.generalIssues')}
      data-testid="config-issues"
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {issues.slice(0, SHOWN_ISSUES).map((i) => (
            <li key={`${i.file}:${i.path.join('.')}:${i.code}:${i.message}`}>
              <code>
                {i.file}
                {i.line ? `:${i.line}` : ''}
                {i.path.length ? ` ${formatKeyPath(i.path)}` : ''}
              </code>{' '}
              {locale === 'en' ? i.messageEn : i.message}
            </li>
          ))}
          {issues.length > SHOWN_ISSUES ? <li>{t('studio.moreIssues', { count: issues.length - SHOWN_ISSUES })}</li> : null}
        </ul>
      }
    />
  );
}

const YamlCodeEditor = lazy(() => import('./YamlCodeEditor'));

/** A config file's YAML text, completed and checked against the config schema as the office types. */
export function YamlEditor(props: { value: string; onChange: (text: string) => void; ariaLabel: string; file: string }) {
  return (
    <Suspense fallback={<Spin />}>
      <YamlCodeEditor {...props} />
    </Suspense>
  );
}

/** A refused save's message with its first reasons (a list type with entries, a department in use, …): enough to act on, short enough to read. */
function refusal(error: unknown, fallback: string): string {
  const e = toApiError(error);
  const details = Array.isArray(e.details) ? (e.details as { message?: unknown }[]).map((d) => d.message).filter((m): m is string => typeof m === 'string') : [];
  return [e.message || fallback, ...details.slice(0, 5)].join('；');
}

/**
 * The confirmation of every change to the config (a save, a removal, a rollback): a required reason,
 * what will happen, and the diff when there is one. `onSave` gets the reason; when it throws, the
 * dialog stays open with the refusal's message, so nothing typed is lost.
 */
export function SaveDialog(props: { open: boolean; title: ReactNode; hint: ReactNode; okText: string; danger?: boolean; diff?: string; onSave: (reason: string) => Promise<void>; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (props.open) setReason('');
  }, [props.open]);
  const ok = async () => {
    setBusy(true);
    try {
      await props.onSave(reason.trim());
    } catch (error) {
      message.error(refusal(error, t('errors.http', { status: toApiError(error).statusCode })));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.okText}
      cancelText={t('studio.cancel')}
      okButtonProps={{ disabled: reason.trim().length < 2, loading: busy, danger: props.danger }}
      onOk={() => void ok()}
      onCancel={props.onClose}
      width={props.diff === undefined ? 520 : 760}
    >
      <Typography.Paragraph type="secondary">{props.hint}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('studio.reason')} required>
          <Input.TextArea aria-label={t('studio.reason')} value={reason} onChange={(e) => setReason(e.target.value)} autoSize={{ minRows: 2 }} maxLength={500} />
        </Form.Item>
      </Form>
      {props.diff !== undefined ? <DiffView diff={props.diff} /> : null}
    </Modal>
  );
}
