/**
 * What the report and plan routes answer, as types for the admin (`@credit/api/reports`, imported
 * type-only): the services' own return types, so the admin's calls cannot drift from them.
 */
import type { z } from 'zod';
import type { AttachmentService } from '../attachments/service.ts';
import type { fileReport, listPlans, planBulletin, planDetail, ReportInput, taskDetail } from '../plans/service.ts';
import type { AdjustmentInput as AdjustmentInputSchema, assessmentItems } from './assessment.ts';

export type { AdjustmentView, AssessmentReport, DepartmentResult, DrillItem, IndicatorResult } from './assessment.ts';
export type { CounterKey, Counters, StatisticsReport } from './statistics.ts';
export type { ReportAttachment, ReportView, TaskStatus, TaskView, UnitStatus } from '../plans/service.ts';
export type { Scope } from '../http/env.ts';

export type AssessmentItems = Awaited<ReturnType<typeof assessmentItems>>;
export type AdjustmentInput = z.input<typeof AdjustmentInputSchema>;
export type PlanSummary = Awaited<ReturnType<typeof listPlans>>[number];
export type PlanDetail = Awaited<ReturnType<typeof planDetail>>;
export type TaskDetail = Awaited<ReturnType<typeof taskDetail>>;
export type Bulletin = Awaited<ReturnType<typeof planBulletin>>;
export type BulletinLine = Bulletin['units'][number]['tasks'][number];
export type ProgressInput = z.input<typeof ReportInput>;
export type FiledReport = Awaited<ReturnType<typeof fileReport>>;
/** What the upload route sends of the stored row (the admin reads no more of it). */
export type TaskFile = Pick<Awaited<ReturnType<AttachmentService['attachToTask']>>, 'id' | 'filename' | 'mime' | 'size'>;
