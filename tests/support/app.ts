/** An app on a throwaway database with the demo accounts of its config, and a manual clock. */
import { fileURLToPath } from 'node:url';
import { type App, createApp } from '../../api/src/app.ts';
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
  /** Logs in and returns the bearer header for the account. */
  login(username: string, password?: string): Promise<Record<string, string>>;
  json(method: string, path: string, headers?: Record<string, string>, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
};

export async function startTestApp(configDir = fixtureConfig, db?: DbHandle): Promise<TestApp> {
  const model = await loadRuntimeModel(configDir);
  const handle = db ?? (await openTestDatabase());
  const clock = manualClock(model.platform.timezone, new Date('2026-11-02T02:00:00Z'));
  await bootstrapUsers(handle.db, model, clock, {});
  const app = await createApp(model, handle, { clock });
  const json: TestApp['json'] = async (method, path, headers = {}, body) => {
    const res = await app.request(path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  return {
    app,
    db: handle,
    model,
    clock,
    json,
    async login(username, password = defaultDemoPassword) {
      const res = await json('POST', '/api/auth/login', {}, { username, password });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return { authorization: `Bearer ${res.body.token}` };
    },
    async close() {
      await app.close();
      if (!db) await handle.close();
    },
  };
}
