/** An app on a throwaway database with the demo accounts of its config, and a manual clock. */
import { fileURLToPath } from 'node:url';
import { type App, type AppOptions, createApp } from '../../api/src/app.ts';
import { bootstrapUsers, defaultDemoPassword } from '../../api/src/auth/bootstrap.ts';
import { loadRuntimeModel, type RuntimeModel } from '../../api/src/config/compile.ts';
import type { DbHandle } from '../../api/src/db/client.ts';
import { openTestDatabase } from '../../api/src/db/testing.ts';
import { type ManualClock, manualClock } from '../../api/src/procedures/clock.ts';

export const fixtureConfig = fileURLToPath(new URL('../../api/src/config/fixture/', import.meta.url));
export const demoConfig = fileURLToPath(new URL('../../config/', import.meta.url));

export type TestApp = {
  app: App;
  db: DbHandle;
  model: RuntimeModel;
  clock: ManualClock;
  /** Logs in and returns the bearer header for the account (the same object on every call, kept valid by travel()). */
  login(username: string, password?: string): Promise<Record<string, string>>;
  /** A new session every call, for tests of sessions themselves. */
  freshLogin(username: string, password?: string): Promise<Record<string, string>>;
  /** Moves the manual clock forward, logging every account in again (sessions expire when months pass). */
  travel(ms: number): Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests
  json(method: string, path: string, headers?: Record<string, string>, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
};

export async function startTestApp(configDir = fixtureConfig, db?: DbHandle, options: Omit<AppOptions, 'clock'> = {}): Promise<TestApp> {
  const model = await loadRuntimeModel(configDir);
  const handle = db ?? (await openTestDatabase());
  const clock = manualClock(model.platform.timezone, new Date('2026-11-02T02:00:00Z'));
  await bootstrapUsers(handle.db, model, clock, {});
  const app = await createApp(model, handle, { ...options, clock });
  const json: TestApp['json'] = async (method, path, headers = {}, body) => {
    const res = await app.request(path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  const sessions = new Map<string, { password: string; headers: Record<string, string> }>();
  const signIn = async (username: string, password: string, headers: Record<string, string>) => {
    const res = await json('POST', '/api/auth/login', {}, { username, password });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    headers.authorization = `Bearer ${res.body.token}`;
    return headers;
  };
  return {
    app,
    db: handle,
    model,
    clock,
    json,
    async login(username, password = defaultDemoPassword) {
      const known = sessions.get(username);
      if (known && known.password === password) return known.headers;
      const headers = await signIn(username, password, {});
      sessions.set(username, { password, headers });
      return headers;
    },
    freshLogin: (username, password = defaultDemoPassword) => signIn(username, password, {}),
    async travel(ms) {
      clock.advance(ms);
      for (const [username, s] of sessions) await signIn(username, s.password, s.headers);
    },
    async close() {
      await app.close();
      if (!db) await handle.close();
    },
  };
}
