/** Small controls of the studio: a period (number + unit), a YAML editor, a unified diff and a list of lint issues. */
import { Alert, InputNumber, Select, Space, Spin, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useI18n } from '../../i18n/I18nContext';
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
