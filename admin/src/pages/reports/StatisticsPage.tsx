/**
 * 统计报表: joint reward and punishment statistics per month and department (GET
 * /api/reports/statistics): entries added, recognised, published, exited by reason, repaired,
 * revoked; objections and repairs received and answered; checks and the measures reported back.
 * A month range (12 months by default) and departments to show; a trend chart; xlsx export; print.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Flex, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorState, PageLoading } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { fetchStatistics, type StatisticsReport, statisticsUrl } from '../../reports/api';
import { counterKeys, trendSeries } from '../../reports/series';
import { TrendChart } from './LazyCharts';
import { ExportButton, PrintButton } from './shared';
import './print.css';

export default function StatisticsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const department = params.get('department') ?? undefined;
  const query = useQuery({
    queryKey: ['reports', 'statistics', from ?? '', to ?? '', department ?? ''],
    queryFn: ({ signal }) => fetchStatistics({ from, to, department }, signal),
    placeholderData: (previous) => previous,
  });

  if (query.isLoading) return <PageLoading />;
  if (query.error || !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const report = query.data;
  const set = (next: Record<string, string | undefined>) => {
    const merged = { from: report.from, to: report.to, department, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => !!e[1])));
  };

  return (
    <Flex vertical gap={16} className="report-page" data-testid="statistics">
      <Flex justify="space-between" align="end" wrap gap={8}>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t('reports.statistics.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('reports.statistics.subtitle', { from: report.from, to: report.to })}</Typography.Text>
        </div>
        <Flex gap={8} wrap className="no-print">
          <DatePicker.RangePicker
            picker="month"
            aria-label={t('reports.statistics.range')}
            allowClear={false}
            value={[dayjs(`${report.from}-01`), dayjs(`${report.to}-01`)]}
            onChange={(v) => {
              if (v?.[0] && v[1]) set({ from: v[0].format('YYYY-MM'), to: v[1].format('YYYY-MM') });
            }}
          />
          <Select
            mode="multiple"
            allowClear
            aria-label={t('reports.statistics.departments')}
            placeholder={t('reports.statistics.allDepartments')}
            style={{ minWidth: 240 }}
            maxTagCount="responsive"
            value={department ? department.split(',') : []}
            onChange={(v: string[]) => set({ department: v.join(',') || undefined })}
            options={(query.data?.departments ?? []).map((d) => ({ value: d.code, label: d.name }))}
          />
          <ExportButton url={statisticsUrl({ from: report.from, to: report.to, department })} filename={`联合奖惩统计-${report.from}至${report.to}.xlsx`} />
          <PrintButton />
        </Flex>
      </Flex>
      <Card size="small" title={t('reports.statistics.chart')} className="no-print">
        <TrendChart data={trendSeries(report)} />
      </Card>
      <CountersTable report={report} title={t('reports.statistics.byDepartment')} rows={report.byDepartment.map((d) => ({ key: d.department, label: d.name, ...d }))} firstTitle={t('reports.assessment.department')} />
      <CountersTable report={report} title={t('reports.statistics.trend')} rows={report.trend.map((m) => ({ key: m.month, label: m.month, ...m }))} firstTitle={t('reports.statistics.month')} />
    </Flex>
  );
}

type Row = { key: string; label: string; [counter: string]: string | number };

function CountersTable({ report, title, rows, firstTitle }: { report: StatisticsReport; title: string; rows: Row[]; firstTitle: string }) {
  const { t } = useI18n();
  const columns = useMemo<ColumnsType<Row>>(
    () => [
      { key: 'label', title: firstTitle, dataIndex: 'label', fixed: 'left', width: 150 },
      ...counterKeys(report.labels).map((k) => ({ key: k, title: report.labels[k], dataIndex: k, align: 'right' as const, width: 84 })),
    ],
    [report.labels, firstTitle],
  );
  return (
    <Card size="small" title={title} styles={{ body: { padding: 0 } }}>
      <Table<Row>
        size="small"
        bordered
        rowKey="key"
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <strong>{t('reports.statistics.total')}</strong>
            </Table.Summary.Cell>
            {counterKeys(report.labels).map((k, i) => (
              <Table.Summary.Cell key={k} index={i + 1} align="right">
                <strong>{report.total[k]}</strong>
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}
