import { ApiError } from '../providers/errors';
import { fetchJson } from '../providers/http';
import type { Health, Meta } from './types';

export const META_URL = '/api/meta';
export const HEALTH_URL = '/api/health';

export function fetchMeta(signal?: AbortSignal): Promise<Meta> {
  return fetchJson<Meta>(META_URL, { signal });
}

/** Health; a 503 with a health body (database down) is an answer, not a failure. */
export async function fetchHealth(signal?: AbortSignal): Promise<Health> {
  try {
    return await fetchJson<Health>(HEALTH_URL, { signal });
  } catch (error) {
    const details = error instanceof ApiError ? error.body : undefined;
    if (error instanceof ApiError && error.statusCode === 503 && isHealth(details)) return details;
    throw error;
  }
}

function isHealth(value: unknown): value is Health {
  return !!value && typeof value === 'object' && 'status' in value && 'database' in value;
}
