/** Calls of the config studio (/api/config/*, office only). */
import { requestJson } from '../../providers/http';
import type { MetaList } from '../../meta/types';
import type { ConfigIssue } from './formModel';

export type StudioList = {
  id: string;
  name: string;
  nameEn: string | null;
  kind: 'black' | 'red' | 'watch';
  category: 'list' | 'record';
  department: string;
  status: 'active' | 'retired';
  file: string;
  entries: number;
};
export type StudioOverview = { version: string; departments: { code: string; name: string; nameEn: string | null }[]; lists: StudioList[] };
export type ListFile = { version: string; listId: string; file: string; content: string; data: Record<string, unknown>; entries: number };
/** `content`: the file as it would be saved; `preview`: the list type as /api/meta would give it after the save. */
export type LintResult = { ok: boolean; version: string | null; issues: ConfigIssue[]; diff: string; content: string | null; preview: { version: string; list: MetaList } | null };
/** A list type's new content: the form's document, or YAML text. */
export type ListChange = { list: Record<string, unknown> } | { content: string };
/** One change of the config in force: a studio save, a rollback, or a version loaded from the config dir at start. */
export type HistoryRow = { id: number; kind: 'save' | 'rollback' | 'start'; version: string; previous: string | null; author: string | null; reason: string | null; createdAt: string; active: boolean; changed: string[] };
export type HistoryDetail = HistoryRow & { diff: string };

export const STUDIO_KEY = ['credit-lists', 'studio'] as const;

export const fetchOverview = () => requestJson<StudioOverview>('/api/config/lists');
export const fetchListFile = (id: string) => requestJson<ListFile>(`/api/config/lists/${encodeURIComponent(id)}`);
export const lintList = (listId: string, change: ListChange) => requestJson<LintResult>('/api/config/lint', { method: 'POST', body: { listId, ...change } });
export const saveList = (listId: string, change: ListChange, reason: string, baseVersion: string) =>
  requestJson<{ version: string; diff: string }>('/api/config/save', { method: 'POST', body: { listId, ...change, reason, baseVersion } });
export const fetchHistory = () => requestJson<HistoryRow[]>('/api/config/history');
export const fetchHistoryDetail = (id: number) => requestJson<HistoryDetail>(`/api/config/history/${id}`);
export const restoreVersion = (version: string, reason: string, baseVersion: string) =>
  requestJson<{ version: string; diff: string }>(`/api/config/versions/${encodeURIComponent(version)}/restore`, { method: 'POST', body: { reason, baseVersion } });

/** The config files besides list types (platform, departments, roles, measures, assessment, plans), edited as YAML. */
export type SettingsFile = { path: string; content: string };
export const fetchSettingsFiles = () => requestJson<{ version: string; files: SettingsFile[] }>('/api/config/files');
export const lintFile = (file: string, change: { content: string } | { remove: true }) => requestJson<LintResult>('/api/config/lint', { method: 'POST', body: { file, ...change } });
export const saveFile = (file: string, change: { content: string } | { remove: true }, reason: string, baseVersion: string) =>
  requestJson<{ version: string; diff: string }>('/api/config/save', { method: 'POST', body: { file, ...change, reason, baseVersion } });
