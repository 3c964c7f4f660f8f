/** Login, logout, the current user, password change and the public platform name. */
import { apiRequest, requestJson } from '../providers/http';
import type { Session, SessionUser } from './session';

export interface PublicPlatform {
  name: string;
  nameEn?: string;
  city?: string;
  version?: string;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

export async function loginRequest(username: string, password: string): Promise<Session> {
  const body = await requestJson<LoginResponse>('/api/auth/login', { method: 'POST', body: { username, password }, auth: false });
  return { token: body.token, expiresAt: body.expiresAt, user: body.user };
}

export function fetchMe(signal?: AbortSignal): Promise<SessionUser> {
  return requestJson<SessionUser>('/api/auth/me', { signal });
}

export async function logoutRequest(): Promise<void> {
  await apiRequest('/api/auth/logout', { method: 'POST' });
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await apiRequest('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
}

export function fetchPlatform(signal?: AbortSignal): Promise<PublicPlatform> {
  return requestJson<PublicPlatform>('/api/public/platform', { signal, auth: false });
}
