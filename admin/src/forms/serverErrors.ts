/**
 * Maps the API's error details (`details[].path` like `fields.fine`, `subject.code`,
 * `relatedPersons.0.code`, `roles.1.department`) onto antd form field names, so server-side
 * validation shows under the right input. Pure; tested in serverErrors.test.ts.
 */
import { toApiError } from '../providers/errors';

export interface ErrorDetail {
  path?: string;
  code?: string;
  message: string;
  /** INVALID_SUBJECT_CODE: the code may be accepted with an override reason. */
  overridable?: boolean;
  [key: string]: unknown;
}

export type FieldName = (string | number)[];

export interface FieldError {
  name: FieldName;
  errors: string[];
}

export interface MappedErrors {
  /** Errors to set on form fields (`form.setFields`). */
  fields: FieldError[];
  /** Messages that belong to no field of the form, for an alert above it. */
  general: string[];
}

/** The `details` of an API error, whatever was thrown. */
export function errorDetails(error: unknown): ErrorDetail[] {
  const details = toApiError(error).details;
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is ErrorDetail => !!d && typeof d === 'object' && typeof (d as { message?: unknown }).message === 'string',
  );
}

/** `relatedPersons.0.code` → ['relatedPersons', 0, 'code']. */
export function pathToName(path: string): FieldName {
  return path
    .split('.')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

const nameKey = (name: FieldName) => name.join('.');

export interface MapOptions {
  /** Field names the form has; a detail maps onto the longest known prefix of its path. */
  known: FieldName[];
  /** Where a detail without a path goes (e.g. PASSWORD_POLICY details → the password field). */
  pathless?: FieldName;
  /** Redirect an exact path before matching (e.g. a whole document `fields.doc` → its first input `fields.doc.number`). */
  aliases?: Record<string, string>;
}

/**
 * Groups the details by the form field they belong to. A path deeper than any field (e.g.
 * `fields.penalties.2` for a multi-select) lands on the field; a path that matches nothing, and
 * pathless details without a `pathless` target, become general messages.
 */
export function mapErrorDetails(details: ErrorDetail[], options: MapOptions): MappedErrors {
  const known = options.known.map((name) => ({ name, key: nameKey(name) }));
  const byKey = new Map<string, FieldError>();
  const general: string[] = [];

  const add = (name: FieldName, message: string) => {
    const key = nameKey(name);
    const existing = byKey.get(key);
    if (existing) {
      if (!existing.errors.includes(message)) existing.errors.push(message);
    } else {
      byKey.set(key, { name, errors: [message] });
    }
  };

  for (const detail of details) {
    const path = options.aliases?.[detail.path ?? ''] ?? detail.path ?? '';
    if (!path) {
      if (options.pathless) add(options.pathless, detail.message);
      else general.push(detail.message);
      continue;
    }
    const parts = pathToName(path);
    let match: FieldName | undefined;
    for (let n = parts.length; n > 0 && !match; n -= 1) {
      const key = nameKey(parts.slice(0, n));
      match = known.find((k) => k.key === key)?.name;
    }
    if (match) add(match, detail.message);
    else general.push(detail.message);
  }
  return { fields: [...byKey.values()], general: [...new Set(general)] };
}

/** The detail that asks for a subject-code override reason, if any (path `subject.code` or `relatedPersons.N.code`). */
export function overridableCodeDetails(error: unknown): ErrorDetail[] {
  const apiError = toApiError(error);
  if (apiError.code !== 'INVALID_SUBJECT_CODE') return [];
  return errorDetails(error).filter((d) => d.overridable === true && typeof d.path === 'string' && d.path.endsWith('.code'));
}
