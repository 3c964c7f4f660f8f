/** Calls of the config studio (/api/config/*, office only). */
import { requestJson } from '../../providers/http';
import type { HistoryDetail, HistoryRow, LintResult, ListFile, RestoredVersion, SavedVersion, SettingsFile, SettingsFiles, StudioList, StudioOverview } from '@credit/api/config';

export type { HistoryDetail, HistoryRow, LintResult, ListFile, SettingsFile, StudioList, StudioOverview };
/** A list type's new content: the form's document, or YAML text. */
export type ListChange = { list: Record<string, unknown> } | { content: string };

export const STUDIO_KEY = ['credit-lists', 'studio'] as const;

export const fetchOverview = () => requestJson<StudioOverview>('/api/config/lists');
export const fetchListFile = (id: string) => requestJson<ListFile>(`/api/config/lists/${encodeURIComponent(id)}`);
export const lintList = (listId: string, change: ListChange) => requestJson<LintResult>('/api/config/lint', { method: 'POST', body: { listId, ...change } });
export const saveList = (listId: string, change: ListChange, reason: string, baseVersion: string) =>
  requestJson<SavedVersion>('/api/config/save', { method: 'POST', body: { listId, ...change, reason, baseVersion } });
export const fetchHistory = () => requestJson<HistoryRow[]>('/api/config/history');
export const fetchHistoryDetail = (id: number) => requestJson<HistoryDetail>(`/api/config/history/${id}`);
export const restoreVersion = (version: string, reason: string, baseVersion: string) =>
  requestJson<RestoredVersion>(`/api/config/versions/${encodeURIComponent(version)}/restore`, { method: 'POST', body: { reason, baseVersion } });

/** The config files besides list types (platform, departments, roles, measures, assessment, plans), edited as YAML. */
export const fetchSettingsFiles = () => requestJson<SettingsFiles>('/api/config/files');
export const lintFile = (file: string, change: { content: string } | { remove: true }) => requestJson<LintResult>('/api/config/lint', { method: 'POST', body: { file, ...change } });
export const saveFile = (file: string, change: { content: string } | { remove: true }, reason: string, baseVersion: string) =>
  requestJson<SavedVersion>('/api/config/save', { method: 'POST', body: { file, ...change, reason, baseVersion } });
