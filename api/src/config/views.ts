/**
 * What the config studio's routes answer, as types for the admin (`@credit/api/config`, imported
 * type-only): the studio service's own types, so the admin's calls cannot drift from them.
 */
import type { z } from 'zod';
import type { HistoryDetail as HistoryDetailSchema } from './history.ts';
import type { listTypes, readListConfig, restoreVersion, saveChange, settingsFiles } from './studio.ts';

export type { ConfigIssue } from './issues.ts';
export type { HistoryRow } from './history.ts';
export type { LintResult } from './studio.ts';

export type HistoryDetail = z.infer<typeof HistoryDetailSchema>;
export type StudioOverview = Awaited<ReturnType<typeof listTypes>>;
export type StudioList = StudioOverview['lists'][number];
export type ListFile = Awaited<ReturnType<typeof readListConfig>>;
export type SettingsFiles = ReturnType<typeof settingsFiles>;
export type SettingsFile = SettingsFiles['files'][number];
export type SavedVersion = Awaited<ReturnType<typeof saveChange>>;
export type RestoredVersion = Awaited<ReturnType<typeof restoreVersion>>;
