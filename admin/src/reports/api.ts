/**
 * The report and plan routes of the API (api/src/routes/reports.ts, plans.ts) as typed calls, and
 * the xlsx downloads with the bearer token.
 */
import { requestBlob, requestJson, saveBlob } from '../providers/http';

export type Scope = 'all' | string[];

export interface IndicatorResult {
  id: string;
  name: string;
  kind: string;
  group: 'common' | 'specific';
  weight: number;
  numerator: number;
  denominator: number;
  value: number | null;
  share: number;
  points: number;
  adjustment: number;
  note: string | null;
}

export interface Adjustment {
  id: string;
  period: string;
  department: string;
  indicator: string | null;
  indicatorName: string | null;
  points: number;
  reason: string;
  createdBy: string | null;
  createdAt: string;
}

export interface DepartmentResult {
  department: string;
  name: string;
  rank: number;
  computed: number;
  adjustment: number;
  total: number;
  indicators: IndicatorResult[];
  adjustments: Adjustment[];
}

export interface AssessmentIndicator {
  id: string;
  name: string;
  nameEn: string | null;
  kind: string;
  kindLabel: string;
  definition: string;
  group: string;
  weight: number;
  notes: string[];
}

export interface ReportPeriod {
  key: string;
  kind: 'month' | 'quarter' | 'year';
  start: string;
  last: string;
  label: string;
}

export interface AssessmentReport {
  period: ReportPeriod;
  asOf: string;
  totalPoints: number;
  indicators: AssessmentIndicator[];
  departments: DepartmentResult[];
  ranking: { rank: number; department: string; name: string; total: number }[];
  scope: Scope;
  rules: string[];
}

export interface DrillItem {
  itemId: string;
  entryId: string | null;
  listId: string | null;
  listName: string | null;
  subjectName: string | null;
  subjectCode: string | null;
  startDate: string | null;
  due: string | null;
  done: string | null;
  workingDaysLate: number | null;
  status: string;
  statusLabel: string;
  note: string | null;
}

export interface AssessmentItems {
  period: Omit<ReportPeriod, 'kind'>;
  asOf: string;
  department: { code: string; name: string };
  indicator: { id: string; name: string; kind: string; definition: string; weight: number };
  numerator: number;
  denominator: number;
  value: number | null;
  points: number;
  total: number;
  limit: number;
  items: DrillItem[];
}

/** Counter names of the statistics (added, recognised, published, …), in the API's column order: `Object.keys(report.labels)`. */
export type CounterKey = string;
export type Counters = Record<CounterKey, number>;

export interface StatisticsReport {
  from: string;
  to: string;
  months: string[];
  departments: { code: string; name: string }[];
  rows: ({ month: string; department: string; name: string } & Counters)[];
  trend: ({ month: string } & Counters)[];
  byDepartment: ({ department: string; name: string } & Counters)[];
  total: Counters;
  labels: Record<CounterKey, string>;
}

export type TaskStatus = 'done' | 'in-progress' | 'overdue' | 'not-started';

/** A file of a progress report: one uploaded to the task (attachmentId) or a web link (url). */
export interface ReportAttachment {
  name: string;
  url?: string;
  attachmentId?: string;
}

export interface TaskFile {
  id: string;
  filename: string;
  mime: string;
  size: number;
}

export interface TaskReport {
  id: string;
  department: string;
  departmentName: string;
  text: string;
  percent: number;
  status: 'in-progress' | 'done';
  attachments: ReportAttachment[];
  reportedBy: string | null;
  reportedAt: string;
  reportedOn: string;
}

export interface Unit {
  department: string;
  name: string;
}

export interface PlanTask {
  no: string;
  title: string | null;
  text: string;
  lead: Unit[];
  co: Unit[];
  deadline: string;
  deadlineAssumed: boolean;
  deadlineNote: string | null;
  status: TaskStatus;
  statusLabel: string;
  latestReport: TaskReport | null;
  units: (Unit & { status: TaskStatus; statusLabel: string; late: boolean; doneOn: string | null; latestReport: TaskReport | null })[];
}

export type StatusCounts = Partial<Record<TaskStatus, number>>;

export interface PlanSummary {
  id: string;
  title: string;
  issuedBy: string;
  issuedOn: string | null;
  source: string;
  tasks: number;
  counts: StatusCounts;
}

export interface PlanDetail extends Omit<PlanSummary, 'tasks'> {
  asOf: string;
  tasks: PlanTask[];
}

export interface TaskDetail extends PlanTask {
  plan: { id: string; title: string };
  reports: TaskReport[];
}

export interface BulletinLine {
  no: string;
  title: string | null;
  text: string;
  role: 'lead' | 'co';
  roleLabel: string;
  deadline: string;
  deadlineAssumed: boolean;
  status: TaskStatus;
  statusLabel: string;
  late: boolean;
  latestReport: TaskReport | null;
  reportsInQuarter: number;
}

export interface Bulletin {
  plan: { id: string; title: string; issuedBy: string };
  quarter: Omit<ReportPeriod, 'kind'>;
  asOf: string;
  counts: StatusCounts;
  units: (Unit & { counts: StatusCounts; tasks: BulletinLine[] })[];
}

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

export interface AdjustmentInput {
  period: string;
  department: string;
  indicator?: string | null;
  points: number;
  reason: string;
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

export interface ProgressInput {
  text: string;
  percent?: number;
  status: 'in-progress' | 'done';
  attachments?: ReportAttachment[];
  department?: string;
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

export function fileProgress(planId: string, no: string, body: ProgressInput): Promise<{ report: TaskReport; task: PlanTask }> {
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
