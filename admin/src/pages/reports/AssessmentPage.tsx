/**
 * 考核评价: the assessment of a period (quarter, month or year) — every department's indicator
 * points with value and counts, adjustments, total and rank; a click on a score opens the late or
 * failing items behind it; the office records 加减分 with a reason. Exported to xlsx by the API and
 * printed with print.css (controls hidden, the table on landscape pages).
 */
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { canGlobal } from '../../access/permissions';
import { formatInstant } from '../../components/format';
import { ErrorState, PageLoading } from '../../components/states';
import { useI18n } from '../../i18n/I18nContext';
import { useMeta } from '../../meta/MetaContext';
import { type AssessmentReport, assessmentUrl, type DepartmentResult, fetchAssessment, type IndicatorResult } from '../../reports/api';
import { percent, signed } from '../../reports/period';
import { AdjustmentModal } from './AdjustmentModal';
import { DrillDrawer } from './DrillDrawer';
import { ExportButton, PeriodSelector, PrintButton } from './shared';
import './print.css';

export default function AssessmentPage() {
  const { t } = useI18n();
  const { meta } = useMeta();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? undefined;
  const query = useQuery({ queryKey: ['reports', 'assessment', period ?? ''], queryFn: ({ signal }) => fetchAssessment(period, signal) });
  const [drill, setDrill] = useState<{ department: DepartmentResult; indicator: IndicatorResult } | undefined>();
  const [adjusting, setAdjusting] = useState(false);

  if (query.isLoading) return <PageLoading />;
  if (query.error || !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const report = query.data;
  const canAdjust = canGlobal(meta, 'configure');

  return (
    <Flex vertical gap={16} className="report-page" data-testid="assessment">
      <Flex justify="space-between" align="end" wrap gap={8}>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t('reports.assessment.title')} · {report.period.label}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('reports.assessment.subtitle', { period: report.period.label, start: report.period.start, last: report.period.last, total: report.totalPoints })} ·{' '}
            {t('reports.asOf', { date: report.asOf })}
          </Typography.Text>
        </div>
        <Flex gap={8} wrap className="no-print">
          <PeriodSelector value={report.period.key} today={report.asOf} onChange={(p) => setParams({ period: p })} />
          <ExportButton url={assessmentUrl(report.period.key)} filename={`部门考核结果-${report.period.key}.xlsx`} />
          <PrintButton label={t('reports.assessment.print')} />
          {canAdjust ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdjusting(true)}>
              {t('reports.assessment.addAdjustment')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      {report.scope !== 'all' ? <Alert type="info" showIcon message={t('reports.assessment.ownOnly')} className="no-print" /> : null}
      <ScoresTable report={report} onDrill={(department, indicator) => setDrill({ department, indicator })} />
      {report.scope !== 'all' ? <RankingTable report={report} /> : null}
      <AdjustmentsTable report={report} />
      <IndicatorsCard report={report} />
      {drill ? <DrillDrawer period={report.period.key} department={drill.department} indicator={drill.indicator} onClose={() => setDrill(undefined)} /> : null}
      {adjusting ? (
        <AdjustmentModal
          report={report}
          onClose={() => setAdjusting(false)}
          onSaved={() => {
            setAdjusting(false);
            void queryClient.invalidateQueries({ queryKey: ['reports', 'assessment'] });
          }}
        />
      ) : null}
    </Flex>
  );
}

function ScoresTable({ report, onDrill }: { report: AssessmentReport; onDrill: (d: DepartmentResult, i: IndicatorResult) => void }) {
  const { t, pick } = useI18n();
  const columns = useMemo<ColumnsType<DepartmentResult>>(
    () => [
      { key: 'rank', title: t('reports.assessment.rank'), dataIndex: 'rank', width: 60, fixed: 'left', align: 'center' },
      { key: 'name', title: t('reports.assessment.department'), dataIndex: 'name', width: 160, fixed: 'left' },
      ...report.indicators.map(
        (ind, index): ColumnsType<DepartmentResult>[number] => ({
          key: ind.id,
          title: (
            <Tooltip title={ind.definition}>
              <span>
                {pick(ind.name, ind.nameEn ?? undefined)}
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('reports.assessment.weight', { weight: ind.weight })}
                </Typography.Text>
              </span>
            </Tooltip>
          ),
          width: 130,
          align: 'right',
          render: (_, d) => {
            const r = d.indicators[index];
            if (!r) return '—';
            return (
              <Flex vertical align="end" gap={0}>
                <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => onDrill(d, r)} aria-label={`${d.name} ${r.name} ${r.points.toFixed(2)}`} data-testid={`score-${d.department}-${r.id}`}>
                  {r.points.toFixed(2)}
                </Button>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} title={r.note ?? undefined}>
                  {r.value === null ? t('reports.assessment.nothing') : `${percent(r.value)} · ${r.numerator}/${r.denominator}`}
                </Typography.Text>
                {r.adjustment ? <Tag color={r.adjustment > 0 ? 'green' : 'red'}>{signed(r.adjustment)}</Tag> : null}
              </Flex>
            );
          },
        }),
      ),
      { key: 'computed', title: t('reports.assessment.computed'), dataIndex: 'computed', width: 100, align: 'right', render: (v: number) => v.toFixed(2) },
      {
        key: 'adjustment',
        title: t('reports.assessment.adjustment'),
        dataIndex: 'adjustment',
        width: 90,
        align: 'right',
        render: (v: number) => (v ? <Typography.Text type={v > 0 ? 'success' : 'danger'}>{signed(v)}</Typography.Text> : '—'),
      },
      { key: 'total', title: t('reports.assessment.total'), dataIndex: 'total', width: 90, align: 'right', fixed: 'right', render: (v: number) => <strong>{v.toFixed(2)}</strong> },
    ],
    [report.indicators, t, pick, onDrill],
  );
  return (
    <Card size="small" title={t('reports.assessment.drillHint')} styles={{ body: { padding: 0 } }} className="print-table">
      <Table<DepartmentResult> size="small" rowKey="department" dataSource={report.departments} columns={columns} pagination={false} scroll={{ x: 'max-content' }} bordered />
    </Card>
  );
}

function RankingTable({ report }: { report: AssessmentReport }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('reports.assessment.ranking')} styles={{ body: { padding: 0 } }}>
      <Table
        size="small"
        rowKey="department"
        dataSource={report.ranking}
        pagination={false}
        columns={[
          { key: 'rank', title: t('reports.assessment.rank'), dataIndex: 'rank', width: 80 },
          { key: 'name', title: t('reports.assessment.department'), dataIndex: 'name' },
          { key: 'total', title: t('reports.assessment.total'), dataIndex: 'total', align: 'right', render: (v: number) => v.toFixed(2) },
        ]}
      />
    </Card>
  );
}

function AdjustmentsTable({ report }: { report: AssessmentReport }) {
  const { t, locale } = useI18n();
  const rows = report.departments.flatMap((d) => d.adjustments.map((a) => ({ ...a, departmentName: d.name })));
  if (!rows.length) return null;
  return (
    <Card size="small" title={t('reports.assessment.adjustments')} styles={{ body: { padding: 0 } }} data-testid="adjustments">
      <Table
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={false}
        columns={[
          { key: 'department', title: t('reports.assessment.department'), dataIndex: 'departmentName', width: 160 },
          { key: 'indicator', title: t('reports.assessment.adjustmentTarget'), render: (_, a) => a.indicatorName ?? t('reports.assessment.wholeDepartment'), width: 220 },
          { key: 'points', title: t('reports.assessment.points'), dataIndex: 'points', align: 'right', width: 80, render: (v: number) => <Typography.Text type={v > 0 ? 'success' : 'danger'}>{signed(v)}</Typography.Text> },
          { key: 'reason', title: t('reports.assessment.reason'), dataIndex: 'reason' },
          { key: 'by', title: t('reports.assessment.createdBy'), dataIndex: 'createdBy', width: 120 },
          { key: 'at', title: t('reports.assessment.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatInstant(v, locale) },
        ]}
      />
    </Card>
  );
}

function IndicatorsCard({ report }: { report: AssessmentReport }) {
  const { t, pick } = useI18n();
  return (
    <Card size="small" title={t('reports.assessment.indicators')} className="print-break">
      <Table
        size="small"
        rowKey="id"
        dataSource={report.indicators}
        pagination={false}
        columns={[
          { key: 'name', title: t('reports.assessment.indicators'), render: (_, i) => pick(i.name, i.nameEn ?? undefined), width: 240 },
          { key: 'weight', title: t('reports.assessment.points'), dataIndex: 'weight', width: 70, align: 'right' },
          { key: 'definition', title: t('reports.assessment.definition'), render: (_, i) => [i.definition, ...i.notes].join(' ') },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('reports.assessment.rules')}
      </Typography.Title>
      <ol style={{ paddingLeft: 20, margin: 0 }}>
        {report.rules.map((r) => (
          <li key={r}>
            <Typography.Text>{r}</Typography.Text>
          </li>
        ))}
      </ol>
    </Card>
  );
}
