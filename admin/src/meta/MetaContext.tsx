/**
 * Loads `/api/meta` once (react-query, shared with Refine) and hands it to the whole app.
 * The shell renders without it; pages that need it show loading and error states via <MetaGate>.
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { shouldRetry } from '../providers/errors';
import { fetchMeta } from './api';
import type { Meta, MetaDepartment, MetaList, MetaMeasure, MetaRole } from './types';

export const META_QUERY_KEY = ['credit-lists', 'meta'] as const;

/** Lookups built once per meta version. */
export interface MetaIndex {
  lists: Map<string, MetaList>;
  departments: Map<string, MetaDepartment>;
  measures: Map<string, MetaMeasure>;
  roles: Map<string, MetaRole>;
}

export interface MetaState {
  meta: Meta | undefined;
  index: MetaIndex | undefined;
  isLoading: boolean;
  error: unknown;
  refetch: () => void;
}

const MetaContext = createContext<MetaState | undefined>(undefined);

export function indexMeta(meta: Meta): MetaIndex {
  return {
    lists: new Map(meta.lists.map((l) => [l.id, l])),
    departments: new Map(meta.departments.map((d) => [d.code, d])),
    measures: new Map(meta.measures.map((m) => [m.id, m])),
    roles: new Map(meta.roles.map((r) => [r.id, r])),
  };
}

export function MetaProvider({ children }: { children: ReactNode }) {
  const query = useQuery({
    queryKey: META_QUERY_KEY,
    queryFn: ({ signal }) => fetchMeta(signal),
    // The config changes rarely and carries its own version; no refetch on focus.
    staleTime: 5 * 60 * 1000,
    refetchOnWindowFocus: false,
    retry: shouldRetry,
  });

  const { data, isLoading, error, refetch } = query;
  const value = useMemo<MetaState>(
    () => ({
      meta: data,
      index: data ? indexMeta(data) : undefined,
      isLoading,
      error: data ? null : error,
      refetch: () => void refetch(),
    }),
    [data, isLoading, error, refetch],
  );

  return <MetaContext.Provider value={value}>{children}</MetaContext.Provider>;
}

export function useMeta(): MetaState {
  const value = useContext(MetaContext);
  if (!value) throw new Error('useMeta must be used inside <MetaProvider>');
  return value;
}
