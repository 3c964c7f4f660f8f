/**
 * The report and plan routes of the API (api/src/routes/reports.ts, plans.ts) as typed calls, and
 * the xlsx downloads with the bearer token.
 */
import { requestBlob, requestJson, saveBlob } from '../providers/http';
import type { AdjustmentInput, AdjustmentView, AssessmentItems, AssessmentReport, Bulletin, BulletinLine, CounterKey, Counters, DepartmentResult, DrillItem, FiledReport, IndicatorResult, PlanDetail, PlanSummary, ProgressInput, ReportAttachment, ReportView, Scope, StatisticsReport, TaskDetail, TaskFile, TaskStatus, TaskView } from '@credit/api/reports';

export type { AdjustmentInput, AdjustmentView, AssessmentItems, AssessmentReport, Bulletin, BulletinLine, CounterKey, Counters, DepartmentResult, DrillItem, FiledReport, IndicatorResult, PlanDetail, PlanSummary, ProgressInput, ReportAttachment, ReportView, Scope, StatisticsReport, TaskDetail, TaskFile, TaskStatus, TaskView };

export type Adjustment = AdjustmentView;
export type AssessmentIndicator = AssessmentReport['indicators'][number];
export type ReportPeriod = AssessmentReport['period'];
export type TaskReport = ReportView;
export type PlanTask = TaskView;
export type Unit = PlanTask['lead'][number];
export type StatusCounts = PlanDetail['counts'];

const q = (params: Record<string, string | undefined>): string => {
  const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return s ? `?${s}` : '';
};
const seg = encodeURIComponent;
const taskUrl = (planId: string, no: string) => `/api/plans/${seg(planId)}/tasks/${seg(no)}`;

export const assessmentUrl = (period?: string) => `/api/reports/assessment${q({ period })}`;
export const statisticsUrl = (p: { from?: string; to?: string; department?: string } = {}) => `/api/reports/statistics${q(p)}`;
export const bulletinUrl = (planId: string, quarter?: string) => `/api/plans/${seg(planId)}/bulletin${q({ quarter })}`;

export function fetchAssessment(period: string | undefined, signal?: AbortSignal): Promise<AssessmentReport> {
  return requestJson<AssessmentReport>(assessmentUrl(period), { signal });
}

export function fetchAssessmentItems(period: string, department: string, indicator: string, signal?: AbortSignal): Promise<AssessmentItems> {
  return requestJson<AssessmentItems>(`/api/reports/assessment/${seg(department)}/${seg(indicator)}${q({ period })}`, { signal });
}

export function addAdjustment(body: AdjustmentInput): Promise<Adjustment> {
  return requestJson<Adjustment>('/api/reports/adjustments', { method: 'POST', body });
}

export function fetchStatistics(p: { from?: string; to?: string; department?: string }, signal?: AbortSignal): Promise<StatisticsReport> {
  return requestJson<StatisticsReport>(statisticsUrl(p), { signal });
}

export function fetchPlans(signal?: AbortSignal): Promise<PlanSummary[]> {
  return requestJson<PlanSummary[]>('/api/plans', { signal });
}

export function fetchPlan(planId: string, department: string | undefined, signal?: AbortSignal): Promise<PlanDetail> {
  return requestJson<PlanDetail>(`/api/plans/${seg(planId)}${q({ department })}`, { signal });
}

export function fetchTask(planId: string, no: string, signal?: AbortSignal): Promise<TaskDetail> {
  return requestJson<TaskDetail>(taskUrl(planId, no), { signal });
}

/** Uploads a file for a task's progress report; the report then refers to it by id. */
export function uploadTaskFile(planId: string, no: string, file: File, department?: string): Promise<TaskFile> {
  const form = new FormData();
  form.append('file', file);
  if (department) form.append('department', department);
  return requestJson<TaskFile>(`${taskUrl(planId, no)}/attachments`, { method: 'POST', body: form });
}

export async function downloadTaskFile(planId: string, no: string, file: { attachmentId: string; name: string }): Promise<void> {
  saveBlob(await requestBlob(`${taskUrl(planId, no)}/attachments/${seg(file.attachmentId)}`), file.name);
}

export function fileProgress(planId: string, no: string, body: ProgressInput): Promise<FiledReport> {
  return requestJson(`${taskUrl(planId, no)}/reports`, { method: 'POST', body });
}

export function fetchBulletin(planId: string, quarter: string | undefined, signal?: AbortSignal): Promise<Bulletin> {
  return requestJson<Bulletin>(bulletinUrl(planId, quarter), { signal });
}

/** Adds format=xlsx to a report URL. */
export function xlsxUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}format=xlsx`;
}

/** Downloads a report as xlsx under `filename` (fetched with the bearer token). */
export async function downloadXlsx(url: string, filename: string): Promise<void> {
  saveBlob(await requestBlob(xlsxUrl(url)), filename);
}
