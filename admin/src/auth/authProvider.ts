/**
 * Refine's auth provider over the session store: login stores the token, check asks
 * /api/auth/me (and refreshes the user), logout revokes the token on the server, and a 401 from
 * any data hook logs out to /login.
 */
import type { AuthProvider } from '@refinedev/core';
import { toApiError } from '../providers/errors';
import { fetchMe, loginRequest, logoutRequest } from './api';
import { sessionStore } from './session';

export interface AuthProviderOptions {
  /** Called after logout, e.g. to drop every cached query of the previous user. */
  onLogout?: () => void;
}

export function createAuthProvider(options: AuthProviderOptions = {}): AuthProvider {
  return {
    login: async ({ username, password }: { username: string; password: string }) => {
      try {
        sessionStore.set(await loginRequest(username, password));
        return { success: true, redirectTo: '/' };
      } catch (error) {
        return { success: false, error: toApiError(error) };
      }
    },
    logout: async () => {
      if (sessionStore.get()) {
        // Revoke on the server; the local session ends whatever the answer.
        await logoutRequest().catch(() => undefined);
      }
      sessionStore.clear('logout');
      options.onLogout?.();
      return { success: true, redirectTo: '/login' };
    },
    check: async () => {
      if (!sessionStore.get()) return { authenticated: false, logout: true, redirectTo: '/login' };
      try {
        sessionStore.updateUser(await fetchMe());
        return { authenticated: true };
      } catch (error) {
        const e = toApiError(error);
        if (e.statusCode === 401) return { authenticated: false, logout: true, redirectTo: '/login', error: e };
        // The API is unreachable or failing: keep the session; the pages explain the failure.
        return { authenticated: true };
      }
    },
    onError: async (error) => {
      if (toApiError(error).statusCode === 401) {
        sessionStore.clear('expired');
        return { logout: true, redirectTo: '/login' };
      }
      return {};
    },
    getIdentity: async () => sessionStore.get()?.user ?? null,
    getPermissions: async () => sessionStore.get()?.user.roles ?? null,
  };
}
