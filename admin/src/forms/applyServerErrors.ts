/** Puts an API error's details onto an antd form; returns the messages no field took. */
import type { FormInstance } from 'antd';
import { toApiError } from '../providers/errors';
import { errorDetails, type MapOptions, mapErrorDetails } from './serverErrors';

export function applyServerErrors(
  form: FormInstance,
  error: unknown,
  options: MapOptions & {
    /** Explanation of an error that has no details (network failure, 403, 409 …). */
    explain?: (error: unknown) => string;
  },
): string[] {
  const { fields, general } = mapErrorDetails(errorDetails(error), options);
  if (fields.length) {
    form.setFields(fields.map((f) => ({ name: f.name, errors: f.errors })));
    const first = fields[0];
    if (first) form.scrollToField(first.name, { block: 'center', focus: true });
  }
  if (!fields.length && !general.length) {
    const e = toApiError(error);
    if (options.explain) return [options.explain(error)];
    return [e.message || e.code || String(e.statusCode)];
  }
  return general;
}

/** "Server message" when there is one, else the friendly explanation of the status. */
export function explainError(t: (key: string, options?: Record<string, unknown>) => string) {
  return (error: unknown): string => {
    const e = toApiError(error);
    if (e.statusCode === 0) return t('errors.network');
    return e.message || t('errors.http', { status: e.statusCode });
  };
}
