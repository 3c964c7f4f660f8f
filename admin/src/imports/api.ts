/** Batch import and export of entries: templates, dry run, commit, job status, export of a list view. */
import type { CrudFilter } from '@refinedev/core';
import { buildListQuery } from '../providers/data';
import { requestBlob, requestJson } from '../providers/http';

export type ImportProblem = { row: number; column: string | null; code: string; message: string };
export type ImportProgress = { phase: 'checking' | 'writing'; processed: number; written: number; total: number | null };
export type ImportJob = {
  id: string;
  listId: string;
  status: 'validated' | 'committing' | 'committed' | 'failed';
  filename: string;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  as: 'draft' | 'published';
  mode: 'all' | 'valid' | null;
  totalRows: number;
  validRows: number;
  imported: number;
  problemCount: number;
  problems?: ImportProblem[];
  error: { code: string; message: string } | null;
  progress: ImportProgress | null;
  createdAt: string;
  finishedAt: string | null;
};

const base = (listId: string) => `/api/lists/${encodeURIComponent(listId)}`;

export const templateBlob = (listId: string, format: 'xlsx' | 'csv') => requestBlob(`${base(listId)}/import-template?format=${format}`);

export function checkImport(listId: string, file: File, as: 'draft' | 'published'): Promise<ImportJob> {
  const form = new FormData();
  form.append('file', file);
  form.append('as', as);
  return requestJson<ImportJob>(`${base(listId)}/imports`, { method: 'POST', body: form });
}

export const commitImport = (listId: string, id: string, mode: 'all' | 'valid') =>
  requestJson<ImportJob>(`${base(listId)}/imports/${encodeURIComponent(id)}/commit`, { method: 'POST', body: { mode } });

export const importJob = (listId: string, id: string, signal?: AbortSignal) => requestJson<ImportJob>(`${base(listId)}/imports/${encodeURIComponent(id)}`, { signal });

export const recentImports = (listId: string, signal?: AbortSignal) => requestJson<ImportJob[]>(`${base(listId)}/imports`, { signal });

/** The list view's filters as the export's query (no paging: the export is never truncated). */
export function exportUrl(listId: string, format: 'xlsx' | 'csv', filters: CrudFilter[] = []): string {
  const query = buildListQuery({ filters, pagination: { mode: 'off' } });
  query.set('format', format);
  return `${base(listId)}/export?${query.toString()}`;
}

export const exportBlob = (listId: string, format: 'xlsx' | 'csv', filters: CrudFilter[]) => requestBlob(exportUrl(listId, format, filters));
