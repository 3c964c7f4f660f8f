/**
 * Lookup benchmark (issue 6). Run with `pnpm bench lookup` (tests/bench/run.ts
 * picks up every *.bench.ts) or on its own:
 *   pnpm --filter ./tests exec tsx bench/lookup.bench.ts
 *
 * On a throwaway PostgreSQL database holding BENCH_ENTRIES (default 1,000,000)
 * entries of BENCH_SUBJECTS (default 800,000) subjects, generated with
 * `insert … select … from generate_series` (set-based, no row-by-row loop), it
 * measures one lookup — read a subject and its visible entries, write the
 * query-use record, commit, answer — in the same run:
 *
 *   api    GET /api/subjects/{code}?purpose=… through the whole application
 *          (authentication, authorization, validation, the query_log record
 *          through the group commit, committed before the answer, the JSON
 *          view), @hono/node-server, BENCH_POOL connections to the database;
 *   open   the same lookup (lookupSubject, same group commit) on the same app
 *          and server, without authentication and request validation
 *          (principal resolved once), to split the API's cost;
 *   bare   a bare Hono app on postgres.js (same pool size) running the API's
 *          own read statement and then a one-row INSERT into query_log, both
 *          prepared, each user's visibility resolved once at start: no
 *          authentication, no validation, no batching, raw rows as JSON;
 *   pgbench  `pgbench -M prepared` running the same two statements (the read,
 *          its entry count kept with \gset, then the INSERT), BENCH_CONNECTIONS
 *          and BENCH_POOL clients — what the database itself can do.
 *
 * HTTP load comes from a child process (support/load-client.mjs): node:http
 * with keep-alive, BENCH_CONNECTIONS (default 32) connections, each request
 * for a random existing subject, closed loop. Variants run in rounds
 * (api open bare bare open api). Every lookup is committed (synchronous_commit
 * as configured, normally on) before it is answered, in all variants.
 *
 * Run it under `nice -n 10` on a shared machine.
 *
 * Results: Markdown on stdout (copy the section into tests/bench/RESULTS.md
 * under "Lookup (issue 6)"); progress on stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import postgres from 'postgres';

const env = process.env;
const ENTRIES = Number(env.BENCH_ENTRIES ?? 1_000_000);
const SUBJECTS = Number(env.BENCH_SUBJECTS ?? 800_000);
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 32);
const POOL = Number(env.BENCH_POOL ?? 10);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 5);
const PGBENCH_SECONDS = Number(env.BENCH_PGBENCH_SECONDS ?? 15);
const PURPOSE = '基准测试：招标投标资格审查';
const goalRatio = 0.8;

// ---------------------------------------------------------------- the codes: subject n has a valid USCC computable anywhere

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});
const PREFIX = '911101';
if (SUBJECTS >= 1_000_000) throw new Error('BENCH_SUBJECTS must be below 1,000,000 (6-digit serials)');

/** 911101 + the serial in 11 digits + the GB 32100 check character. */
function codeOf(n: number): string {
  const first17 = PREFIX + String(n).padStart(11, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return first17 + CHARSET[(31 - (sum % 31)) % 31];
}

type ClientOptions = { url: string; paths: string[]; headers: Record<string, string>[]; connections: number; warmupMs: number; durationMs: number; cycle: boolean };
type ClientResult = { requests: number; errors: number; seconds: number; statuses: Record<string, number>; latenciesUs: string };

// ---------------------------------------------------------------- the benchmark (parent)

const { createApp } = await import('../../api/src/app.ts');
const { bootstrapUsers } = await import('../../api/src/auth/bootstrap.ts');
const { loadRuntimeModel } = await import('../../api/src/config/compile.ts');
const { openDatabase } = await import('../../api/src/db/client.ts');
const { openTestDatabase, testAdminUrl } = await import('../../api/src/db/testing.ts');
const { systemClock } = await import('../../api/src/procedures/clock.ts');
const { lookupParams, lookupSql, lookupSubject } = await import('../../api/src/lookup/service.ts');
const { visibility } = await import('../../api/src/lookup/scope.ts');
const { userSubject } = await import('../../api/src/authz/policy.ts');
const { fmt, machine, out, percentile, progress } = await import('./support/report.ts');

const loadClient = fileURLToPath(new URL('./support/load-client.mjs', import.meta.url));
/** Random subjects for the load client: each connection walks its own part of this list. */
const PATHS = 50_000;
const demoConfigDir = fileURLToPath(new URL('../../config/', import.meta.url));
const apiRequire = createRequire(new URL('../../api/package.json', import.meta.url));
type Serve = (o: { fetch: (r: Request) => Response | Promise<Response>; port: number; hostname: string }, cb?: (info: AddressInfo) => void) => http.Server;
const { serve } = (await import(pathToFileURL(apiRequire.resolve('@hono/node-server')).href)) as { serve: Serve };
/** The little of Hono the bare handler uses (hono is a dependency of api/, not of tests/). */
type MiniContext = { req: { param(k: string): string; header(k: string): string | undefined; query(k: string): string | undefined }; json(body: unknown, status?: number): Response };
type MiniHono = { get(path: string, handler: (c: MiniContext) => Response | Promise<Response>): unknown; fetch: (r: Request) => Response | Promise<Response> };
const { Hono } = (await import(pathToFileURL(apiRequire.resolve('hono')).href)) as { Hono: new () => MiniHono };

type Load = { rps: number; p50: number; p99: number; requests: number; errors: number; statuses: Record<string, number> };

function runClient(opts: ClientOptions): Promise<ClientResult & { latencies: Uint32Array }> {
  // The paths are too many for one argument: the options go through a file.
  const dir = mkdtempSync(join(tmpdir(), 'lookup-load-'));
  const file = join(dir, 'options.json');
  writeFileSync(file, JSON.stringify(opts));
  return new Promise<ClientResult & { latencies: Uint32Array }>((resolve, reject) => {
    const child = spawn(process.execPath, [loadClient, `@${file}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (text += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load client exited with ${code}`));
      const r = JSON.parse(text) as ClientResult;
      const buf = Buffer.from(r.latenciesUs, 'base64');
      resolve({ ...r, latencies: new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)) });
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function merge(results: (ClientResult & { latencies: Uint32Array })[]): Load {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const all = new Uint32Array(requests);
  let at = 0;
  for (const r of results) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  all.sort();
  return { rps: requests / seconds, requests, errors, statuses, p50: percentile(all, 50) / 1000, p99: percentile(all, 99) / 1000 };
}

function listen(fetch: (r: Request) => Response | Promise<Response>): Promise<{ server: http.Server; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

async function generate(sql: postgres.Sql, model: Awaited<ReturnType<typeof loadRuntimeModel>>): Promise<void> {
  const lists = model.lists.filter((l) => l.category === 'list').map((l) => ({ id: l.id, department: l.department }));
  const t0 = performance.now();
  await sql.unsafe(`
    create or replace function bench_uscc(n int) returns text language sql immutable as $$
      select b || substr('${CHARSET}', ((31 - (sum((strpos('${CHARSET}', substr(b, i, 1)) - 1) * (array[${WEIGHTS.join(',')}])[i])) % 31) % 31)::int + 1, 1)
        from (select '${PREFIX}' || lpad(n::text, 11, '0') as b) x, generate_series(1, 17) i group by b
    $$`);
  const check = (await sql`select bench_uscc(12345) as c`)[0]!.c as string;
  if (check !== codeOf(12345)) throw new Error(`SQL and JS codes differ: ${check} / ${codeOf(12345)}`);
  await sql.unsafe('set synchronous_commit = off');
  progress(`generating ${SUBJECTS.toLocaleString('en-US')} subjects`);
  await sql.unsafe(`
    insert into subjects (id, kind, code, name, code_valid, created_at)
    select lpad(to_hex(n), 32, '0')::uuid, 'legal_person', bench_uscc(n), '示例市基准测试企业' || n || '有限公司', true, now()
      from generate_series(1, ${SUBJECTS}) n`);
  progress(`generating ${ENTRIES.toLocaleString('en-US')} entries (${lists.length} list types; 80 % published, 10 % drafts, 10 % exited)`);
  const listIds = `array[${lists.map((l) => `'${l.id}'`).join(',')}]`;
  const depts = `array[${lists.map((l) => `'${l.department}'`).join(',')}]`;
  await sql.unsafe(`
    insert into entries (id, list_id, department, subject_id, status, fields, related_persons, decision_no, decision_date,
                         published_at, exited_at, term_end, config_version_created, created_at, updated_at)
    select gen_random_uuid(),
           (${listIds})[1 + g % ${lists.length}],
           (${depts})[1 + g % ${lists.length}],
           lpad(to_hex(1 + (g - 1) % ${SUBJECTS}), 32, '0')::uuid,
           case when g % 10 < 8 then 'published' when g % 10 = 8 then 'draft' else 'exited' end,
           jsonb_build_object('violation', '基准测试失信事实，第' || g || '号。', 'category', '食品安全', 'fine_amount', g % 100000),
           '[]'::jsonb,
           case when g % 10 <> 8 then '示基准〔2026〕' || g || '号' end,
           case when g % 10 <> 8 then current_date - (g % 300) end,
           case when g % 10 <> 8 then now() - (g % 300) * interval '1 day' end,
           case when g % 10 = 9 then now() end,
           case when g % 10 <> 8 then current_date + (g % 700) end,
           '${model.version}', now(), now()
      from generate_series(1, ${ENTRIES}) g`);
  await sql.unsafe('set synchronous_commit = on');
  progress('vacuum analyze');
  await sql.unsafe('vacuum analyze subjects');
  await sql.unsafe('vacuum analyze entries');
  progress(`data ready in ${Math.round((performance.now() - t0) / 1000)} s`);
}

type Pgbench = { tps: number; p50: number; p99: number; transactions: number };

function pgbench(dbUrl: URL, script: string, clients: number, seconds: number): Pgbench {
  const dir = mkdtempSync(join(tmpdir(), 'lookup-pgbench-'));
  try {
    const file = join(dir, 'script.sql');
    writeFileSync(file, script);
    const args = ['-n', '-M', 'prepared', '-f', file, '-c', String(clients), '-j', '2', '-T', String(seconds), '-l', `--log-prefix=${join(dir, 'log')}`];
    args.push('-h', dbUrl.hostname, '-p', dbUrl.port || '5432', '-U', decodeURIComponent(dbUrl.username || 'postgres'), dbUrl.pathname.slice(1));
    const text = execFileSync('pgbench', args, { encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(dbUrl.password) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(text)?.[1] ?? /tps = ([\d.]+)/.exec(text)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(text)?.[1] ?? 0);
    if (failed) throw new Error(`pgbench: ${failed} failed transactions\n${text}`);
    const lat: number[] = [];
    for (const f of readdirSync(dir).filter((x) => x.startsWith('log'))) {
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line && Number.isFinite(us)) lat.push(us);
      }
    }
    const sorted = Float64Array.from(lat).sort();
    return { tps, transactions: lat.length, p50: percentile(sorted, 50) / 1000, p99: percentile(sorted, 99) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const model = await loadRuntimeModel(demoConfigDir);
  progress(`lookup: ${ENTRIES.toLocaleString('en-US')} entries on PostgreSQL, ${CONNECTIONS} HTTP connections, pool ${POOL}, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per variant`);
  // The throwaway database (created, migrated, dropped at the end), and pools of the benchmark's size on it.
  const owner = await openTestDatabase('postgres');
  if (owner.kind !== 'postgres') throw new Error('unreachable');
  const dbUrl = new URL(testAdminUrl());
  dbUrl.pathname = `/${owner.client.options.database}`;
  const servers: http.Server[] = [];
  const admin = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
  let apiHandle: Awaited<ReturnType<typeof openDatabase>> | undefined;
  let bare: postgres.Sql | undefined;
  try {
    const clock = systemClock(model.platform.timezone);
    await bootstrapUsers(owner.db, model, clock, {});
    const loadBefore = machine().load;
    const g0 = performance.now();
    await generate(admin, model);
    const generateSeconds = (performance.now() - g0) / 1000;
    const pgVersion = (await admin`show server_version`)[0]!.server_version as string;
    const sync = (await admin`show synchronous_commit`)[0]!.synchronous_commit as string;
    const sizes = (await admin`select pg_size_pretty(pg_total_relation_size('entries')) as e, pg_size_pretty(pg_total_relation_size('subjects')) as s`)[0]!;

    apiHandle = await openDatabase({ databaseUrl: dbUrl.toString(), maxConnections: POOL });
    const app = await createApp(model, apiHandle, { clock });
    // One session per connection: operators of 32 departments (own-department scope, the common case).
    const users = await admin<{ id: string; username: string; department: string }[]>`
      select u.id, u.username, r.department from users u join user_roles r on r.user_id = u.id
       where r.role = 'operator' order by u.username limit ${CONNECTIONS}`;
    const apiHeaders: Record<string, string>[] = [];
    const bareHeaders: Record<string, string>[] = [];
    for (const u of users) {
      const { token } = await app.services.sessions.create(u.id);
      apiHeaders.push({ authorization: `Bearer ${token}` });
      bareHeaders.push({ 'x-bench-user': u.id });
    }

    // The bare handler runs the API's own read statement (prepared, as the API does on PostgreSQL) and
    // then a one-row INSERT (prepared), with each user's visibility resolved once at start: no
    // authentication, no validation, no group commit, raw rows.
    const statement = lookupSql();
    const insertText = `insert into query_log (actor_user_id, actor_api_key_id, department, subject_code, purpose, matter, result_count, at)
      values ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8::timestamptz) returning id`;
    const timeZone = model.platform.timezone;
    const seen = new Map<string, { dept: string; v: ReturnType<typeof visibility> }>();
    for (const u of users) {
      const perms = await app.services.authz.permissions(userSubject(u.id));
      seen.set(u.id, { dept: u.department, v: visibility(model, { perms } as Parameters<typeof visibility>[1]) });
    }
    bare = postgres(dbUrl.toString(), { max: POOL, onnotice: () => {} });
    const bareSql = bare;
    const bareApp = new Hono();
    bareApp.get('/bare/subjects/:code', async (c) => {
      const code = c.req.param('code');
      const user = c.req.header('x-bench-user') ?? '';
      const who = seen.get(user);
      if (!who) return c.json({ error: 'unknown bench user' }, 400);
      const purpose = c.req.query('purpose') ?? '';
      const [row] = await bareSql.unsafe(statement, lookupParams({ code, visibility: who.v, timeZone }) as never[], { prepare: true });
      const entries = (row?.entries ?? []) as unknown[];
      const [log] = await bareSql.unsafe(insertText, [user, null, who.dept, code, purpose, null, entries.length, new Date().toISOString()] as never[], { prepare: true });
      return c.json({ queryId: Number(log!.id), subject: row?.subject ?? null, entries }, 200);
    });

    // The same lookup on the same app without authentication and request validation: the caller is
    // named by x-bench-user and its principal resolved once at start (as the authz benchmark's open copies).
    const fixed = new Map<string, Parameters<typeof lookupSubject>[1]>();
    for (const u of users) {
      const subject = userSubject(u.id);
      fixed.set(u.id, { kind: 'user', id: u.id, subject, name: u.username, assignments: await app.services.authz.assignments(subject), perms: await app.services.authz.permissions(subject) });
    }
    const openDeps = { db: apiHandle.db, handle: apiHandle, model, clock, recorder: app.services.queryLog };
    app.get('/bench/open/subjects/:code', async (c) => {
      const who = fixed.get(c.req.header('x-bench-user') ?? '');
      if (!who) return c.json({ error: 'unknown bench user' }, 400);
      return c.json(await lookupSubject(openDeps, who, { code: c.req.param('code'), purpose: c.req.query('purpose') ?? '' }), 200);
    });
    const apiServer = await listen(app.fetch);
    const bareServer = await listen(bareApp.fetch);
    servers.push(apiServer.server, bareServer.server);
    const query = `purpose=${encodeURIComponent(PURPOSE)}`;

    // Both answer the same subject with the same entries (checked before the run).
    for (const n of [1, 2, Math.floor(SUBJECTS / 4) + 1, SUBJECTS]) {
      const code = codeOf(n);
      const a = (await (await fetch(`${apiServer.url}/api/subjects/${code}?${query}`, { headers: apiHeaders[0] })).json()) as { entries: { id: string }[] };
      const b = (await (await fetch(`${bareServer.url}/bare/subjects/${code}?${query}`, { headers: bareHeaders[0] })).json()) as { entries: { id: string }[] };
      const ids = (x: { entries: { id: string }[] }) => x.entries.map((e) => e.id).sort().join();
      if (!a.entries?.length || ids(a) !== ids(b)) throw new Error(`api and bare differ for ${code}: ${JSON.stringify(a).slice(0, 300)} / ${JSON.stringify(b).slice(0, 300)}`);
    }

    const logBefore = Number((await admin`select count(*) as n from query_log`)[0]!.n);
    const gcBefore = app.services.queryLog.stats();
    // Server CPU per request: this process serves every variant (the load runs in a child process).
    type Variant = 'api' | 'open' | 'bare';
    const random = () => codeOf(1 + Math.floor(Math.random() * SUBJECTS));
    const codes = Array.from({ length: PATHS }, random);
    const variants: Record<Variant, { url: string; paths: string[]; headers: Record<string, string>[] }> = {
      api: { url: apiServer.url, paths: codes.map((c) => `/api/subjects/${c}?${query}`), headers: apiHeaders },
      open: { url: apiServer.url, paths: codes.map((c) => `/bench/open/subjects/${c}?${query}`), headers: bareHeaders },
      bare: { url: bareServer.url, paths: codes.map((c) => `/bare/subjects/${c}?${query}`), headers: bareHeaders },
    };
    const cpu: Record<Variant, { us: number; requests: number }> = { api: { us: 0, requests: 0 }, open: { us: 0, requests: 0 }, bare: { us: 0, requests: 0 } };
    const runs: Record<Variant, (ClientResult & { latencies: Uint32Array })[]> = { api: [], open: [], bare: [] };
    const run = async (which: Variant) => {
      const before = process.cpuUsage();
      const r = await runClient({ ...variants[which], connections: CONNECTIONS, warmupMs: WARMUP_SECONDS * 1000, durationMs: (SECONDS * 1000) / ROUNDS / 2, cycle: true });
      const used = process.cpuUsage(before);
      // Warm-up requests used CPU too: count them at the measured rate.
      cpu[which].us += used.user + used.system;
      cpu[which].requests += r.requests * (1 + WARMUP_SECONDS / r.seconds);
      runs[which].push(r);
      return r;
    };
    progress(`http: ${ROUNDS} × (api, open, bare, bare, open, api)`);
    const roundRatios: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const a1 = await run('api');
      await run('open');
      const b1 = await run('bare');
      const b2 = await run('bare');
      await run('open');
      const a2 = await run('api');
      roundRatios.push((a1.requests / a1.seconds + a2.requests / a2.seconds) / (b1.requests / b1.seconds + b2.requests / b2.seconds));
    }
    const api = merge(runs.api);
    const open = merge(runs.open);
    const bareLoad = merge(runs.bare);
    if (api.errors || open.errors || bareLoad.errors) throw new Error(`non-200 answers: api ${JSON.stringify(api.statuses)} open ${JSON.stringify(open.statuses)} bare ${JSON.stringify(bareLoad.statuses)}`);
    const logged = Number((await admin`select count(*) as n from query_log`)[0]!.n) - logBefore;
    const gcAfter = app.services.queryLog.stats();
    const gc = { records: gcAfter.submitted - gcBefore.submitted, flushes: gcAfter.flushes - gcBefore.flushes, failed: gcAfter.failedFlushes - gcBefore.failedFlushes, largest: gcAfter.largestBatch };
    const sortedRatios = [...roundRatios].sort((x, y) => x - y);

    // pgbench: the same two statements (the read, its entry count kept with \gset, the one-row INSERT).
    const user = users[0]!;
    const digits = Array.from({ length: 6 }, (_, j) => `${WEIGHTS[11 + j]} * ((:n / ${10 ** (5 - j)}) % 10)`);
    const fixedSum = [...`${PREFIX}00000`].reduce((s, ch, i) => s + CHARSET.indexOf(ch) * WEIGHTS[i]!, 0);
    const header = `\\set n random(1, ${SUBJECTS})\n\\set s ${fixedSum} + ${digits.join(' + ')}\n\\set c (31 - :s % 31) % 31\n`;
    const codeExpr = `'${PREFIX}' || lpad(:n::text, 11, '0') || substr('${CHARSET}', :c + 1, 1)`;
    const v = seen.get(user.id)!.v;
    const arr = (a: string[]) => `'{${a.map((x) => `"${x}"`).join(',')}}'`;
    // The API's read with pgbench variables and literals in place of its parameters.
    const literals = lookupParams({ code: codeExpr, visibility: { statuses: [arr(v.statuses)], lists: [arr(v.lists)], pairs: [arr(v.pairs)] }, timeZone: `'${timeZone}'` }).map(
      (x) => (Array.isArray(x) ? x[0] : x) as string,
    );
    const read = statement.replace(/\$(\d+)/g, (_, n: string) => literals[Number(n) - 1]!).replace(/\s*\n\s*/g, ' ');
    const script = `${header}select json_array_length(r.entries) as cnt from (${read}) r \\gset
insert into query_log (actor_user_id, actor_api_key_id, department, subject_code, purpose, matter, result_count, at) values ('${user.id}', null, '${user.department}', ${codeExpr}, '${PURPOSE}', null, :cnt, now()) returning id;
`;
    progress(`pgbench -M prepared: read + INSERT, ${CONNECTIONS} clients`);
    const pg32 = pgbench(dbUrl, script, CONNECTIONS, PGBENCH_SECONDS);
    progress(`pgbench -M prepared: read + INSERT, ${POOL} clients`);
    const pgPool = pgbench(dbUrl, script, POOL, PGBENCH_SECONDS);

    // The public portal on the same data, one request at a time (informational: no goal in issue 6).
    progress('portal: search and detail, one request at a time');
    let address = 0;
    const timed = async (path: string, times: number) => {
      const ms: number[] = [];
      for (let i = 0; i < times; i++) {
        const t0 = performance.now();
        const res = await fetch(`${apiServer.url}${path}`, { headers: { 'x-forwarded-for': `10.1.${Math.floor(++address / 250)}.${address % 250}` } });
        await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        ms.push(performance.now() - t0);
      }
      return percentile(ms.sort((x, y) => x - y), 50);
    };
    const someEntry = (await admin`select id from entries where status = 'published' and list_id = 'market-serious-illegal' limit 1`)[0]!.id as string;
    const portalTimes = async () => ({
      landing: await timed('/api/public/entries?_start=0&_end=20', 5),
      deepPage: await timed('/api/public/entries?_start=9980&_end=10000', 5),
      byCode: await timed(`/api/public/entries?q=${codeOf(Math.floor(SUBJECTS / 3))}`, 20),
      byName: await timed(`/api/public/entries?q=${encodeURIComponent(`基准测试企业${Math.floor(SUBJECTS / 3)}有限`)}`, 5),
      detail: await timed(`/api/public/entries/${someEntry}`, 20),
    });
    const indexed = await portalTimes();
    // The same without the portal indexes of migration 0005 (dropped here: the database is thrown away after the run).
    progress('portal: again without the portal indexes');
    await admin.unsafe('drop index entries_published_idx, entries_published_subject_idx, subjects_name_trgm_idx');
    await admin.unsafe('analyze entries');
    await admin.unsafe('analyze subjects');
    const portal = await portalTimes();

    // ---------------------------------------------------------------- report
    const m = machine();
    const ratio = api.rps / bareLoad.rps;
    out(`Run ${m.date} · ${m.cpu}, ${m.cores} cores (nproc), ${m.memory} · Node ${m.node} · load average before ${loadBefore}, after ${m.load}.`);
    out();
    out(`PostgreSQL ${pgVersion} (synchronous_commit = ${sync}), ${ENTRIES.toLocaleString('en-US')} entries of ${SUBJECTS.toLocaleString('en-US')} subjects (entries ${sizes.e}, subjects ${sizes.s}), generated with generate_series in ${fmt(generateSeconds, 0)} s, demo config (${model.lists.length} list types). Each lookup reads one random existing subject and its visible entries and writes its query_log record, committed before the answer. HTTP: load from a child process (support/load-client.mjs, node:http keep-alive), ${CONNECTIONS} connections, closed loop; ${ROUNDS} × (api open bare bare open api), ${fmt(SECONDS / ROUNDS / 2)} s each after ${WARMUP_SECONDS} s warm-up (${SECONDS} s measured per variant); database pool ${POOL} connections in api and bare. pgbench: -M prepared, ${PGBENCH_SECONDS} s, -j 2.`);
    out();
    const cpuPer = (x: { us: number; requests: number }) => `${fmt(x.us / x.requests, 0)} µs`;
    out('| variant | lookups/s | p50 | p99 | ratio to bare | Node CPU per lookup |');
    out('|---|---:|---:|---:|---:|---:|');
    out(`| api — GET /api/subjects/{code} (session auth, authorization, validation, query_log via group commit, JSON view), ${CONNECTIONS} conns | ${fmt(api.rps, 0)} | ${fmt(api.p50)} ms | ${fmt(api.p99)} ms | **${fmt(ratio, 3)}** | ${cpuPer(cpu.api)} |`);
    out(`| open — the same lookup and group commit on the same app, without authentication and request validation, ${CONNECTIONS} conns | ${fmt(open.rps, 0)} | ${fmt(open.p50)} ms | ${fmt(open.p99)} ms | ${fmt(open.rps / bareLoad.rps, 3)} | ${cpuPer(cpu.open)} |`);
    out(`| bare — Hono + postgres.js, same read + one-row INSERT (prepared), no auth, ${CONNECTIONS} conns | ${fmt(bareLoad.rps, 0)} | ${fmt(bareLoad.p50)} ms | ${fmt(bareLoad.p99)} ms | 1 | ${cpuPer(cpu.bare)} |`);
    out(`| pgbench -M prepared — same read + INSERT, ${CONNECTIONS} clients | ${fmt(pg32.tps, 0)} | ${fmt(pg32.p50)} ms | ${fmt(pg32.p99)} ms | ${fmt(pg32.tps / bareLoad.rps, 3)} | — |`);
    out(`| pgbench -M prepared — same read + INSERT, ${POOL} clients | ${fmt(pgPool.tps, 0)} | ${fmt(pgPool.p50)} ms | ${fmt(pgPool.p99)} ms | ${fmt(pgPool.tps / bareLoad.rps, 3)} | — |`);
    out();
    out(`api / bare = ${fmt(ratio, 3)} over the whole run (goal ≥ ${goalRatio}: **${ratio >= goalRatio ? 'met' : 'not met'}**); per round (api pair / bare pair): ${roundRatios.map((r) => fmt(r, 2)).join(', ')}, median ${fmt(percentile(sortedRatios, 50), 3)}. api / pgbench (${CONNECTIONS} clients) = ${fmt(api.rps / pg32.tps, 3)}; api / pgbench (${POOL} clients) = ${fmt(api.rps / pgPool.tps, 3)} (the goal beyond: 0.5). Group commit during the HTTP runs (api and open, warm-ups included): ${gc.records.toLocaleString('en-US')} records in ${gc.flushes.toLocaleString('en-US')} INSERTs (${fmt(gc.records / Math.max(1, gc.flushes), 1)} per INSERT on average, largest ${gc.largest}), ${gc.failed} failed; query_log rows written during the HTTP runs: ${logged.toLocaleString('en-US')}.`);
    out();
    out('Public portal on the same data: median of sequential requests, with the indexes of migration 0005 (`entries_published_idx` on `(published_at desc nulls last, id desc) where status = \'published\'`, `entries_published_subject_idx`, pg_trgm GIN `subjects_name_trgm_idx`) and after dropping them.');
    out();
    out('| portal request | with the indexes (as migrated) | without them |');
    out('|---|---:|---:|');
    out(`| first page of all published entries, x-total-count (counted up to 10,000) | ${fmt(indexed.landing)} ms | ${fmt(portal.landing)} ms |`);
    out(`| last page (offset 9,980) | ${fmt(indexed.deepPage)} ms | ${fmt(portal.deepPage)} ms |`);
    out(`| search by exact code | ${fmt(indexed.byCode)} ms | ${fmt(portal.byCode)} ms |`);
    out(`| search by part of a name (…企业${Math.floor(SUBJECTS / 3)}有限) | ${fmt(indexed.byName)} ms | ${fmt(portal.byName)} ms |`);
    out(`| one entry's detail | ${fmt(indexed.detail)} ms | ${fmt(portal.detail)} ms |`);
    await app.close();
  } finally {
    for (const s of servers) await new Promise((r) => s.close(r));
    await bare?.end({ timeout: 5 });
    await apiHandle?.close();
    await admin.end({ timeout: 5 });
    await owner.close();
  }
}

await main();
