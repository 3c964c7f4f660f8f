/**
 * The login session: bearer token and the user it belongs to, kept in localStorage so a reload
 * stays logged in, shared by every tab (storage events) and observable by React
 * (useSyncExternalStore). No React here, so it is unit-tested in node.
 */
import { useSyncExternalStore } from 'react';

export interface RoleAssignment {
  role: string;
  /** Department code, or `*` for office-wide roles. */
  department: string;
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  mustChangePassword: boolean;
  roles: RoleAssignment[];
}

export interface Session {
  token: string;
  /** ISO instant after which the server no longer accepts the token. */
  expiresAt?: string;
  user: SessionUser;
}

/** Why the last session ended: the login page explains an expiry, not a deliberate logout. */
export type EndReason = 'logout' | 'expired';

export const SESSION_STORAGE_KEY = 'credit-lists.session';

export interface SessionStore {
  get(): Session | null;
  /** Why the session was last cleared (undefined until it is). */
  endReason(): EndReason | undefined;
  set(session: Session): void;
  /** Replaces the user (after /api/auth/me or a password change); ignored when logged out. */
  updateUser(user: SessionUser): void;
  clear(reason: EndReason): void;
  subscribe(listener: () => void): () => void;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

function isSession(value: unknown): value is Session {
  if (!value || typeof value !== 'object') return false;
  const s = value as Partial<Session>;
  return typeof s.token === 'string' && s.token.length > 0 && !!s.user && typeof s.user.id === 'string';
}

/** Parses a stored session; a malformed or expired one counts as none. */
export function parseSession(raw: string | null, now: Date = new Date()): Session | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (!isSession(value)) return null;
    if (value.expiresAt && Date.parse(value.expiresAt) <= now.getTime()) return null;
    return { ...value, user: { ...value.user, roles: Array.isArray(value.user.roles) ? value.user.roles : [] } };
  } catch {
    return null;
  }
}

export function createSessionStore(storage: Storage | undefined, now: () => Date = () => new Date()): SessionStore {
  const listeners = new Set<() => void>();
  let current: Session | null = null;
  let reason: EndReason | undefined;
  try {
    current = parseSession(storage?.getItem(SESSION_STORAGE_KEY) ?? null, now());
  } catch {
    current = null;
  }

  const emit = () => {
    for (const listener of [...listeners]) listener();
  };
  const persist = () => {
    try {
      if (current) storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(current));
      else storage?.removeItem(SESSION_STORAGE_KEY);
    } catch {
      // Storage disabled: the session lasts for this page only.
    }
  };

  const store: SessionStore = {
    get: () => {
      // A token past its absolute expiry is dropped on read.
      if (current?.expiresAt && Date.parse(current.expiresAt) <= now().getTime()) {
        current = null;
        reason = 'expired';
        persist();
      }
      return current;
    },
    endReason: () => reason,
    set: (session) => {
      current = session;
      reason = undefined;
      persist();
      emit();
    },
    updateUser: (user) => {
      if (!current) return;
      current = { ...current, user };
      persist();
      emit();
    },
    clear: (why) => {
      if (!current && reason === why) return;
      current = null;
      reason = why;
      persist();
      emit();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return store;
}

function browserStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

export const sessionStore: SessionStore = createSessionStore(browserStorage());

// Another tab logged in or out: follow it.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== SESSION_STORAGE_KEY) return;
    const next = parseSession(event.newValue);
    if (next) sessionStore.set(next);
    else sessionStore.clear('logout');
  });
}

export function getToken(): string | undefined {
  return sessionStore.get()?.token;
}

/** The current session, re-rendering on login, logout and expiry. */
export function useSession(): Session | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get, sessionStore.get);
}
