import { describe, expect, it, vi } from 'vitest';
import { createSessionStore, parseSession, SESSION_STORAGE_KEY, type Session } from './session';

const user = { id: 'u1', username: 'scjg-operator', displayName: '经办人', mustChangePassword: false, roles: [{ role: 'operator', department: 'scjg' }] };

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe('parseSession', () => {
  it('accepts a stored session and refuses malformed or expired ones', () => {
    const session: Session = { token: 't', expiresAt: '2030-01-01T00:00:00Z', user };
    expect(parseSession(JSON.stringify(session), new Date('2026-01-01'))).toEqual(session);
    expect(parseSession(JSON.stringify(session), new Date('2031-01-01'))).toBeNull();
    expect(parseSession('{"token":1}')).toBeNull();
    expect(parseSession('not json')).toBeNull();
    expect(parseSession(null)).toBeNull();
  });
});

describe('session store', () => {
  it('persists, notifies and remembers why it ended', () => {
    const storage = memoryStorage();
    const store = createSessionStore(storage);
    const listener = vi.fn();
    store.subscribe(listener);
    store.set({ token: 'abc', user });
    expect(JSON.parse(storage.map.get(SESSION_STORAGE_KEY) ?? '{}').token).toBe('abc');
    store.updateUser({ ...user, mustChangePassword: true });
    expect(store.get()?.user.mustChangePassword).toBe(true);
    store.clear('expired');
    expect(store.get()).toBeNull();
    expect(store.endReason()).toBe('expired');
    expect(storage.map.has(SESSION_STORAGE_KEY)).toBe(false);
    expect(listener).toHaveBeenCalledTimes(3);
    // A second identical clear does not notify again.
    store.clear('expired');
    expect(listener).toHaveBeenCalledTimes(3);
    // Updating the user after logout does nothing.
    store.updateUser(user);
    expect(store.get()).toBeNull();
  });

  it('restores a session from storage and drops it once it expires', () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ token: 'x', expiresAt: '2026-06-01T00:00:00Z', user }));
    let now = new Date('2026-05-31T00:00:00Z');
    const store = createSessionStore(storage, () => now);
    expect(store.get()?.token).toBe('x');
    now = new Date('2026-06-02T00:00:00Z');
    expect(store.get()).toBeNull();
    expect(store.endReason()).toBe('expired');
  });
});
