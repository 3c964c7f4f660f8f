/** Controls shared by the report pages: the period selector, the Excel export and print buttons, task status tags. */
import { FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import { App, Button, Flex, Segmented, Select, Tag } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n/I18nContext';
import { downloadXlsx, type TaskStatus } from '../../reports/api';
import { kindOfPeriod, type PeriodKind, periodKeyOf, recentPeriods } from '../../reports/period';

const COUNT: Record<PeriodKind, number> = { quarter: 12, month: 24, year: 6 };

/** Period kind (quarter, month, year) and the period itself, counted back from the server's `today`. */
export function PeriodSelector({ value, today, onChange, kinds = ['quarter', 'month', 'year'] }: { value: string; today: string; onChange: (key: string) => void; kinds?: PeriodKind[] }) {
  const { t } = useI18n();
  const kind = kindOfPeriod(value);
  const options = recentPeriods(kind, today, COUNT[kind]);
  if (!options.includes(value)) options.push(value);
  return (
    <Flex gap={8} align="center" wrap className="no-print">
      {kinds.length > 1 ? (
        <Segmented<PeriodKind>
          aria-label={t('reports.period.kind')}
          value={kind}
          options={kinds.map((k) => ({ value: k, label: t(`reports.period.${k}`) }))}
          onChange={(k) => onChange(periodKeyOf(k, today))}
        />
      ) : null}
      <Select
        aria-label={t('reports.period.label')}
        style={{ width: 130 }}
        value={value}
        onChange={onChange}
        options={options.map((key) => ({ value: key, label: key }))}
      />
    </Flex>
  );
}

/** Downloads the report at `url` as xlsx (the API's `format=xlsx`). */
export function ExportButton({ url, filename }: { url: string; filename: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await downloadXlsx(url, filename);
    } catch (error) {
      message.error(t('reports.exportFailed', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button className="no-print" icon={<FileExcelOutlined />} loading={busy} onClick={() => void run()}>
      {busy ? t('reports.exporting') : t('reports.export')}
    </Button>
  );
}

export function PrintButton({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <Button className="no-print" icon={<PrinterOutlined />} onClick={() => window.print()}>
      {label ?? t('reports.print')}
    </Button>
  );
}

export const TASK_STATUS_COLOR: Record<TaskStatus, string> = { done: 'success', 'in-progress': 'processing', overdue: 'error', 'not-started': 'default' };

export function TaskStatusTag({ status }: { status: TaskStatus }) {
  const { t } = useI18n();
  return <Tag color={TASK_STATUS_COLOR[status]}>{t(`reports.taskStatus.${status}`)}</Tag>;
}
