/**
 * Accessors for an entry record as `/api/lists/:listId/entries` returns it. The API is being built
 * in parallel, so these accept both a nested `subject` / `fields` object (the table layout in
 * architecture.md) and flat keys.
 */
export type EntryRecord = Record<string, unknown> & { id?: string | number };

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function subjectName(entry: EntryRecord): string | undefined {
  return asText(asRecord(entry.subject)?.name) ?? asText(entry.subjectName);
}

export function subjectCode(entry: EntryRecord): string | undefined {
  return asText(asRecord(entry.subject)?.code) ?? asText(entry.subjectCode);
}

export function entryStatus(entry: EntryRecord): string | undefined {
  return asText(entry.status);
}

export function entryDepartment(entry: EntryRecord): string | undefined {
  return asText(entry.department) ?? asText(entry.departmentCode);
}

export function fieldValue(entry: EntryRecord, key: string): unknown {
  const fields = asRecord(entry.fields);
  if (fields && key in fields) return fields[key];
  return entry[key];
}
