/**
 * A config saved through one API process is served by the others without a
 * restart (issue 10 item 4).
 *
 * On PostgreSQL two real server processes run on one throwaway database, each
 * on its own temp copy of the config dir (they need not share one: the content
 * travels in config_versions). A saves a new list type; B hears of it over
 * LISTEN/NOTIFY, loads the active version and serves it: /api/health reports
 * the new version, /api/meta lists the new type, and B's Casbin policy lets
 * the department's operator create an entry in it. The delay from A's answer
 * to B serving the new version is printed (recorded in tests/bench/RESULTS.md),
 * not asserted: the wait is a bounded poll.
 *
 * PGlite is one process's embedded database, so there the second process is a
 * second app instance on the same handle, as in authz-sync.test.ts.
 *
 * The second test covers the bound when a notification is lost: an active
 * version switched in the database without NOTIFY is picked up by the poll.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileConfig, loadRuntimeModel } from '../../api/src/config/compile.ts';
import { readConfigDir } from '../../api/src/config/load.ts';
import { recordConfigVersion, startupModel } from '../../api/src/config/store.ts';
import { type DbHandle, queryRows } from '../../api/src/db/client.ts';
import { openTestDatabase, testDbKind } from '../../api/src/db/testing.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { fixtureConfig, startTestApp, type TestApp } from '../support/app.ts';
import { type ServerDatabase, serverDatabase } from '../support/db.ts';
import { type RunningServer, startServer } from '../support/server.ts';

const kind = testDbKind();
const rng = createRng('config-reload');
const PASSWORD = 'Demo@123456';

const newList = (id: string) => ({
  id,
  name: '新增重点关注名单（热加载）',
  kind: 'watch',
  department: 'scjg',
  legal_basis: ['《测试市社会信用条例》第二十条'],
  subject_kinds: ['legal_person'],
  portal: false,
  fields: [{ key: 'reason', label: '关注原因', type: 'text', required: true }],
  procedure: { publish: { within: { working_days: 5 } } },
  term: { default: { years: 1 } },
  permissions: { create: ['operator'], view: ['operator', 'reviewer'] },
});

/** Bounded wait: asks every `everyMs` until `done` holds or `timeoutMs` passes. */
async function pollUntil<T>(ask: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 10_000, everyMs = 5): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  for (;;) {
    const value = await ask();
    const ms = performance.now() - started;
    if (done(value) || ms >= timeoutMs) return { value, ms };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

type Http = {
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  json(method: string, path: string, headers?: Record<string, string>, body?: unknown): Promise<{ status: number; body: any }>;
  login(username: string): Promise<Record<string, string>>;
};

function overHttp(url: string): Http {
  const json: Http['json'] = async (method, path, headers = {}, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    json,
    async login(username) {
      const res = await json('POST', '/api/auth/login', {}, { username, password: PASSWORD });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
      return { authorization: `Bearer ${res.body.token}` };
    },
  };
}

const inProcess = (t: TestApp): Http => ({ json: t.json, login: (u) => t.login(u) });

let dirs: string[] = [];
let servers: RunningServer[] = [];
let database: ServerDatabase | undefined;
let apps: TestApp[] = [];
let shared: DbHandle | undefined;

async function configCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'credit-reload-'));
  await cp(fixtureConfig, dir, { recursive: true });
  dirs.push(dir);
  return dir;
}

/** Two API processes (or, on PGlite, two app instances on one handle); A mirrors saves into its config dir. */
async function twoProcesses(pollMs: number): Promise<{ a: Http; b: Http; aDir: string }> {
  const aDir = await configCopy();
  const bDir = await configCopy();
  if (kind === 'postgres') {
    database = await serverDatabase();
    const env = { ...database.env, DEMO_DATA: 'off', CONFIG_POLL_MS: String(pollMs) };
    servers.push(await startServer({ ...env, CONFIG_DIR: aDir }, 90_000));
    servers.push(await startServer({ ...env, CONFIG_DIR: bDir }, 90_000));
    return { a: overHttp(servers[0]?.url ?? ''), b: overHttp(servers[1]?.url ?? ''), aDir };
  }
  shared = await openTestDatabase(kind);
  const a = await startTestApp(aDir, shared, { configDir: aDir, configPollMs: pollMs });
  const b = await startTestApp(bDir, shared, { configDir: bDir, configPollMs: pollMs });
  apps = [a, b];
  await recordConfigVersion(shared.db, a.model, 'startup', 'test');
  return { a: inProcess(a), b: inProcess(b), aDir };
}

async function cleanup() {
  for (const s of servers) await s.stop();
  for (const t of apps) await t.close();
  await shared?.close();
  await database?.drop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  servers = [];
  apps = [];
  dirs = [];
  shared = undefined;
  database = undefined;
}

describe('config reload across API processes', () => {
  afterAll(cleanup, 60_000);
  let a: Http;
  let b: Http;
  let aDir: string;
  // Poll far apart (60 s), so that only the notification can explain a fast pick-up.
  beforeAll(async () => ({ a, b, aDir } = await twoProcesses(60_000)), 200_000);

  it('serves a list type saved on A from B without a restart', { timeout: 120_000 }, async () => {
    const adminA = await a.login('admin');
    const opB = await b.login('scjg-operator');
    const before = await b.json('GET', '/api/health');
    expect((await b.json('POST', '/api/lists/hot-watch/entries', opB, { subject: {}, fields: {} })).status).toBe(404);

    const base = (await a.json('GET', '/api/config/lists', adminA)).body.version;
    const saved = await a.json('POST', '/api/config/save', adminA, { listId: 'hot-watch', list: newList('hot-watch'), reason: '热加载测试', baseVersion: base });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const { value, ms } = await pollUntil(
      () => b.json('GET', '/api/health'),
      (h) => h.body.version === saved.body.version,
    );
    process.stdout.write(`config reload delay (${kind}, notification): ${ms.toFixed(1)} ms from A's answer to B serving version ${saved.body.version}\n`);
    expect(value.body.version).toBe(saved.body.version);
    expect(value.body.version).not.toBe(before.body.version);

    const meta = await b.json('GET', '/api/meta', opB);
    expect(meta.body.lists.map((l: { id: string }) => l.id)).toContain('hot-watch');
    const created = await b.json('POST', '/api/lists/hot-watch/entries', opB, {
      subject: { kind: 'legal_person', code: makeUscc(rng), name: makeCompanyName(rng) },
      fields: { reason: '热加载后新增。' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.configVersionCreated).toBe(saved.body.version);
    // A wrote the file; B's own config dir is untouched (B reads the version from the database).
    expect(await readFile(join(aDir, 'lists', 'hot-watch.yaml'), 'utf8')).toContain('id: hot-watch');
  });
});

describe('config reload without a notification', () => {
  it('picks up a version made active in the database by the poll', { timeout: 120_000 }, async () => {
    const dir = await configCopy();
    const handle = await openTestDatabase(kind);
    const t = await startTestApp(dir, handle, { configPollMs: 50 });
    try {
      await recordConfigVersion(handle.db, t.model, 'startup', 'test');
      const files = await readConfigDir(dir);
      files.push({ path: 'lists/polled-watch.yaml', content: JSON.stringify(newList('polled-watch')) });
      const compiled = compileConfig(files);
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
      // Written straight into the table: no event bus, no NOTIFY.
      await recordConfigVersion(handle.db, compiled.model, 'elsewhere', 'poll test');
      const { value } = await pollUntil(async () => t.app.model.version, (v) => v === compiled.model.version);
      expect(value).toBe(compiled.model.version);
      const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from config_versions where active`);
      expect(row?.n).toBe(1);
      const meta = await t.json('GET', '/api/meta', await t.login('admin'));
      expect(meta.body.lists.map((l: { id: string }) => l.id)).toContain('polled-watch');
    } finally {
      await t.close();
      await handle.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('config dir at start', () => {
  it('a stale dir (an older recorded version) follows the active version; a hand edit becomes a new one', { timeout: 120_000 }, async () => {
    const dir = await configCopy();
    const handle = await openTestDatabase(kind);
    try {
      const log: string[] = [];
      const opts = { production: false, log: (m: string) => log.push(m) };
      const v1 = await loadRuntimeModel(dir);
      await recordConfigVersion(handle.db, v1, 'startup', 'first start');
      // Another process saved v2 through the studio; this dir still holds v1.
      const compiled = compileConfig([...(await readConfigDir(dir)), { path: 'lists/saved-elsewhere.yaml', content: JSON.stringify(newList('saved-elsewhere')) }]);
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
      await recordConfigVersion(handle.db, compiled.model, 'admin', 'saved on another process');
      const started = await startupModel(handle.db, v1, dir, opts);
      expect(started.version).toBe(compiled.model.version);
      expect(await readFile(join(dir, 'lists', 'saved-elsewhere.yaml'), 'utf8')).toContain('saved-elsewhere');
      expect((await loadRuntimeModel(dir)).version).toBe(compiled.model.version);
      expect(log.join('\n')).toContain('older version');
      // A hand edit is content no version has: it starts as it is (and is recorded as a new version by the server).
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'lists', 'saved-elsewhere.yaml'), JSON.stringify({ ...newList('saved-elsewhere'), name: '手工修改的名称' }));
      const edited = await loadRuntimeModel(dir);
      expect((await startupModel(handle.db, edited, dir, opts)).version).toBe(edited.version);
    } finally {
      await handle.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
