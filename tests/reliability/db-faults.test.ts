/**
 * Database faults under load: the real server (api/src/server.ts) on a
 * private PostgreSQL (support/private-pg.ts), with workers creating entries
 * and serving their prior notice, while the database is restarted cleanly,
 * then killed (SIGKILL of every PostgreSQL process, a crash) twice.
 *
 * - While it is down every request fails cleanly: 503 DATABASE_UNAVAILABLE in
 *   the one error shape, answered promptly, never another 5xx or a hang.
 * - After it is back the same API process (never restarted) serves writes again.
 * - Every write the API acknowledged (201, 200) is in the database afterwards,
 *   with its event, and the audit chains verify.
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../api/src/audit/verify.ts';
import { type CompiledList, loadRuntimeModel } from '../../api/src/config/compile.ts';
import { openDatabase, queryRows } from '../../api/src/db/client.ts';
import { systemClock } from '../../api/src/procedures/clock.ts';
import { createRng } from '../../api/src/subjects/generate.ts';
import { demoConfig } from '../support/app.ts';
import { actorFor, draftBody, inputsFor } from '../support/procedure.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { type PrivatePostgres, startPrivatePostgres } from './support/private-pg.ts';

const model = await loadRuntimeModel(demoConfig);
const list = (model.list('market-serious-illegal') ?? model.lists[0]) as CompiledList;
const clock = systemClock(model.platform.timezone);
const rng = createRng('db-faults');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let pg: PrivatePostgres;
let server: RunningServer;
let operator: string;
beforeAll(async () => {
  pg = await startPrivatePostgres();
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  await admin`create database credit`;
  await admin.end();
  server = await startServer({ DATABASE_URL: pg.urlOf('credit'), DEMO_DATA: 'off', SCHEDULER_INTERVAL_MS: '3600000' }, 120_000);
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: actorFor(model, list, 'create'), password: 'Demo@123456' }),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  operator = `Bearer ${((await res.json()) as { token: string }).token}`;
});
afterAll(async () => {
  await server?.stop();
  await pg?.destroy();
});

type Outcome = { status: number; code?: string; ms: number; phase: string };
type Acked = { id: string; version: number; status: string };

describe('PostgreSQL restarted and killed under a load of writes', () => {
  it('fails cleanly while down, recovers without an API restart, loses no acknowledged write', async () => {
    const outcomes: Outcome[] = [];
    const acked = new Map<string, Acked>();
    let phase = 'up';
    let running = true;
    const problems: string[] = [];

    async function call(method: string, path: string, body: unknown): Promise<{ status: number; body: { id?: string; version?: number; status?: string; error?: { code: string; message: string; details: unknown[] } } }> {
      const started = Date.now();
      const at = phase;
      let res: Response;
      try {
        res = await fetch(`${server.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', authorization: operator },
          body: JSON.stringify(body),
          // only to turn a hang into a reported problem; far above any honest answer
          signal: AbortSignal.timeout(90_000),
        });
      } catch (err) {
        problems.push(`${method} ${path} during ${at}: no answer (${String(err)})`);
        return { status: 0, body: {} };
      }
      const text = await res.text();
      let parsed: ReturnType<typeof JSON.parse> = {};
      try {
        parsed = JSON.parse(text);
      } catch {
        problems.push(`${method} ${path} during ${at}: ${res.status} not JSON: ${text.slice(0, 200)}`);
      }
      outcomes.push({ status: res.status, code: parsed?.error?.code, ms: Date.now() - started, phase: at });
      if (res.status >= 300) {
        const e = parsed?.error;
        const shaped = e && typeof e.code === 'string' && typeof e.message === 'string' && Array.isArray(e.details) && Object.keys(parsed).length === 1;
        if (res.status !== 503 || e?.code !== 'DATABASE_UNAVAILABLE' || !shaped) problems.push(`${method} ${path} during ${at}: ${res.status} ${text.slice(0, 300)}`);
      }
      return { status: res.status, body: parsed };
    }

    async function worker() {
      while (running) {
        const created = await call('POST', `/api/lists/${list.id}/entries`, draftBody(list, rng, clock.today()));
        if (created.status === 201 && created.body.id) {
          const id = created.body.id;
          acked.set(id, { id, version: 1, status: 'draft' });
          const notified = await call('POST', `/api/lists/${list.id}/entries/${id}/actions/notify`, { version: 1, ...inputsFor(list, 'notify', clock.today(), rng) });
          if (notified.status === 200) acked.set(id, { id, version: notified.body.version ?? 2, status: notified.body.status ?? 'notified' });
        } else if (created.status === 503) await sleep(100);
      }
    }

    /** Polls with writes until one is acknowledged again; the API process must be the same one. */
    async function recovered(): Promise<number> {
      const started = Date.now();
      while (Date.now() - started < 60_000) {
        const res = await call('POST', `/api/lists/${list.id}/entries`, draftBody(list, rng, clock.today()));
        if (res.status === 201 && res.body.id) {
          acked.set(res.body.id, { id: res.body.id, version: 1, status: 'draft' });
          return Date.now() - started;
        }
        await sleep(200);
      }
      throw new Error(`no write acknowledged within 60 s of the restart:\n${server.output().slice(-2000)}`);
    }

    const pid = server.process.pid;
    const workers = Array.from({ length: 6 }, () => worker());
    const faults: { kind: string; unavailable: number; recoveredMs: number }[] = [];
    await sleep(2000);
    for (const kind of ['restart', 'kill', 'kill'] as const) {
      phase = `${kind} ${faults.length + 1}`;
      const before = outcomes.length;
      if (kind === 'restart') await pg.stop();
      else await pg.kill();
      await sleep(1500);
      phase = `${kind} ${faults.length + 1}: starting`;
      await pg.start();
      phase = `after ${kind} ${faults.length + 1}`;
      const recoveredMs = await recovered();
      faults.push({ kind, unavailable: outcomes.slice(before).filter((o) => o.status === 503).length, recoveredMs });
      phase = 'up';
      await sleep(1500);
    }
    running = false;
    await Promise.all(workers);

    expect(problems, problems.slice(0, 10).join('\n')).toEqual([]);
    expect(server.process.exitCode, 'the API process exited').toBeNull();
    expect(server.process.pid).toBe(pid);
    for (const f of faults) expect(f.unavailable, `${f.kind}: no request saw the outage`).toBeGreaterThan(0);
    // how long a refusal took is reported, not asserted (timing belongs to benchmarks)
    const slowest503 = Math.max(...outcomes.filter((o) => o.status === 503).map((o) => o.ms));

    // every acknowledged write is there, at least as far as it was acknowledged
    const handle = await openDatabase({ databaseUrl: pg.urlOf('credit'), maxConnections: 2 });
    try {
      const ids = [...acked.keys()];
      const rows = await queryRows<{ id: string; version: number; status: string; events: number }>(
        handle.db,
        sql`select e.id, e.version, e.status, (select count(*)::int from entry_events v where v.entry_id = e.id) as events
            from entries e where e.id = any(${sql.raw(`array[${ids.map((id) => `'${id.replace(/[^0-9a-f-]/g, '')}'`).join(',')}]::uuid[]`)})`,
      );
      const found = new Map(rows.map((r) => [r.id, r]));
      const lost = [...acked.values()].filter((a) => {
        const row = found.get(a.id);
        return !row || row.version < a.version || row.events < a.version;
      });
      const audit = await verifyAudit(handle.db);
      const ok = outcomes.filter((o) => o.status < 300).length;
      process.stdout.write(
        `db faults: ${faults.length} injected (${faults.map((f) => `${f.kind}: ${f.unavailable}×503, recovered in ${f.recoveredMs} ms`).join('; ')}); ` +
          `${outcomes.length} requests, ${ok} acknowledged; ${acked.size} acknowledged writes checked (${[...acked.values()].filter((a) => a.version > 1).length} with their notice), ${lost.length} lost; audit ${audit.records} records ${audit.ok ? 'intact' : 'BROKEN'}; slowest 503 ${slowest503} ms\n`,
      );
      expect(lost, JSON.stringify(lost.slice(0, 5))).toEqual([]);
      expect(acked.size).toBeGreaterThan(faults.length);
      expect(audit.ok, JSON.stringify(audit.firstBroken)).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
