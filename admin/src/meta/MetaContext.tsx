/**
 * Loads `/api/meta` once per login (react-query, shared with Refine) and hands it to the whole
 * app. It is only asked for with a session (it carries the user's permissions) and is keyed by
 * the user, so logging in as someone else loads theirs. The shell renders without it; pages that
 * need it show loading and error states via <MetaGate>.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useMemo } from 'react';
import { useSession } from '../auth/session';
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
  const session = useSession();
  const userId = session?.user.id;
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: [...META_QUERY_KEY, userId ?? 'anonymous'],
    queryFn: ({ signal }) => fetchMeta(signal),
    enabled: !!userId,
    // The config changes rarely and carries its own version; no refetch on focus.
    staleTime: 5 * 60 * 1000,
    refetchOnWindowFocus: false,
    retry: shouldRetry,
  });

  const { data, isLoading, error, refetch } = query;

  // Refine caches access-control answers per resource; they depend on this user's meta.
  const metaVersion = data ? `${data.version}:${userId}` : undefined;
  useEffect(() => {
    if (metaVersion) void queryClient.invalidateQueries({ queryKey: ['access'] });
  }, [metaVersion, queryClient]);

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
