/**
 * Lookup benchmark (issue 6). Run with `pnpm bench lookup` (tests/bench/run.ts
 * picks up every *.bench.ts) or on its own:
 *   pnpm --filter ./tests exec tsx bench/lookup.bench.ts
 *
 * On a throwaway PostgreSQL database holding BENCH_ENTRIES (default 1,000,000)
 * entries of BENCH_SUBJECTS (default 800,000) subjects, generated with
 * `insert … select … from generate_series`, it measures one lookup — read a
 * subject and its visible entries, write the query-use record, commit, answer —
 * three ways in the same run:
 *
 *   api    GET /api/subjects/{code}?purpose=… through the whole application
 *          (authentication, authorization, validation, the query_log record,
 *          the JSON view), @hono/node-server, BENCH_POOL connections to the database;
 *   open   the same lookup (lookupSubject) on the same app and server, without
 *          authentication and request validation (principal resolved once),
 *          to split the API's cost into framework and lookup;
 *   bare   a bare Hono app on postgres.js (same pool size) running the API's
 *          own statement (same text, prepared, each user's visibility resolved
 *          once at start): no authentication, no validation, raw rows as JSON;
 *   pgbench  `pgbench -M prepared` running (a) that same statement and (b) the
 *          textbook form: BEGIN; SELECT; INSERT; COMMIT (two statements, four
 *          round trips), BENCH_POOL clients — what the database itself can do.
 *
 * HTTP load comes from a child process (this file with the argument `client`):
 * node:http with keep-alive, BENCH_CONNECTIONS (default 32) connections, each
 * request for a random existing subject, closed loop. api and bare run
 * A B B A, each half BENCH_SECONDS after BENCH_WARMUP_SECONDS of warm-up.
 * Every lookup is committed (synchronous_commit as configured, normally on)
 * before it is answered, in all variants.
 *
 * Results: Markdown on stdout (copy the section into tests/bench/RESULTS.md
 * under "Lookup (issue 6)"); progress on stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
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

// ---------------------------------------------------------------- the load client (child process)

type ClientOptions = { url: string; prefix: string; query: string; headers: Record<string, string>[]; connections: number; warmupMs: number; durationMs: number; subjects: number };
type ClientResult = { requests: number; errors: number; seconds: number; statuses: Record<string, number>; latenciesUs: string };

async function client(opts: ClientOptions): Promise<void> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections, maxFreeSockets: opts.connections });
  let latencies = new Uint32Array(1 << 16);
  let recorded = 0;
  let errors = 0;
  const statuses: Record<string, number> = {};
  let measuring = false;
  let stopping = false;
  const once = (path: string, headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const req = http.request({ agent, host: target.hostname, port: target.port, path, method: 'GET', headers }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      });
      req.on('error', () => resolve(0));
      req.end();
    });
  const worker = async (i: number) => {
    const headers = opts.headers[i % opts.headers.length]!;
    while (!stopping) {
      const path = `${opts.prefix}${codeOf(1 + Math.floor(Math.random() * opts.subjects))}?${opts.query}`;
      const counting = measuring;
      const t0 = performance.now();
      const status = await once(path, headers);
      const us = Math.round((performance.now() - t0) * 1000);
      if (!counting || !measuring) continue;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== 200) errors++;
      if (recorded === latencies.length) {
        const next = new Uint32Array(latencies.length * 2);
        next.set(latencies);
        latencies = next;
      }
      latencies[recorded++] = us;
    }
  };
  const workers = Array.from({ length: opts.connections }, (_, i) => worker(i));
  await new Promise((r) => setTimeout(r, opts.warmupMs));
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, opts.durationMs));
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  stopping = true;
  await Promise.all(workers);
  agent.destroy();
  const result: ClientResult = { requests: recorded, errors, seconds, statuses, latenciesUs: Buffer.from(latencies.buffer, 0, recorded * 4).toString('base64') };
  process.stdout.write(JSON.stringify(result));
}

if (process.argv[2] === 'client') {
  await client(JSON.parse(process.argv[3]!) as ClientOptions);
  process.exit(0);
}

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
const { fmt, out, percentile, progress } = await import('./support/report.ts');

const thisFile = fileURLToPath(import.meta.url);
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
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, thisFile, 'client', JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  });
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
    await generate(admin, model);
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

    // The bare handler runs the API's own statement text (prepared, as the API does on PostgreSQL)
    // with each user's visibility resolved once at start: no authentication, no validation, raw rows.
    const statement = lookupSql();
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
      const params = lookupParams({ code, visibility: who.v, actorUserId: user, actorApiKeyId: null, department: who.dept, purpose, matter: null, at: new Date(), timeZone });
      const [row] = await bareSql.unsafe(statement, params as never[], { prepare: true });
      return c.json(row ?? null, 200);
    });

    // The same lookup on the same app without authentication and request validation: the caller is
    // named by x-bench-user and its principal resolved once at start (as the authz benchmark's open copies).
    const fixed = new Map<string, Parameters<typeof lookupSubject>[1]>();
    for (const u of users) {
      const subject = userSubject(u.id);
      fixed.set(u.id, { kind: 'user', id: u.id, subject, name: u.username, assignments: await app.services.authz.assignments(subject), perms: await app.services.authz.permissions(subject) });
    }
    const openDeps = { db: apiHandle.db, handle: apiHandle, model, clock };
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
    // Server CPU per request: this process serves every variant (the load runs in a child process).
    type Variant = 'api' | 'open' | 'bare';
    const variants: Record<Variant, { url: string; prefix: string; headers: Record<string, string>[] }> = {
      api: { url: apiServer.url, prefix: '/api/subjects/', headers: apiHeaders },
      open: { url: apiServer.url, prefix: '/bench/open/subjects/', headers: bareHeaders },
      bare: { url: bareServer.url, prefix: '/bare/subjects/', headers: bareHeaders },
    };
    const cpu: Record<Variant, { us: number; requests: number }> = { api: { us: 0, requests: 0 }, open: { us: 0, requests: 0 }, bare: { us: 0, requests: 0 } };
    const runs: Record<Variant, (ClientResult & { latencies: Uint32Array })[]> = { api: [], open: [], bare: [] };
    const run = async (which: Variant) => {
      const before = process.cpuUsage();
      const r = await runClient({ ...variants[which], query, connections: CONNECTIONS, warmupMs: WARMUP_SECONDS * 1000, durationMs: (SECONDS * 1000) / ROUNDS / 2, subjects: SUBJECTS });
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
    const sortedRatios = [...roundRatios].sort((x, y) => x - y);

    // pgbench: the same statement, and the two-statement transaction.
    const user = users[0]!;
    const digits = Array.from({ length: 6 }, (_, j) => `${WEIGHTS[11 + j]} * ((:n / ${10 ** (5 - j)}) % 10)`);
    const fixedSum = [...`${PREFIX}00000`].reduce((s, ch, i) => s + CHARSET.indexOf(ch) * WEIGHTS[i]!, 0);
    const header = `\\set n random(1, ${SUBJECTS})\n\\set s ${fixedSum} + ${digits.join(' + ')}\n\\set c (31 - :s % 31) % 31\n`;
    const codeExpr = `'${PREFIX}' || lpad(:n::text, 11, '0') || substr('${CHARSET}', :c + 1, 1)`;
    const v = seen.get(user.id)!.v;
    const arr = (a: string[]) => `'{${a.map((x) => `"${x}"`).join(',')}}'`;
    // The API's statement with pgbench variables and literals in place of its parameters.
    const literals = lookupParams({
      code: codeExpr,
      visibility: { statuses: [arr(v.statuses)], lists: [arr(v.lists)], pairs: [arr(v.pairs)] },
      actorUserId: `'${user.id}'`,
      actorApiKeyId: 'null',
      department: `'${user.department}'`,
      purpose: `'${PURPOSE}'`,
      matter: 'null',
      at: { toISOString: () => 'now()' } as Date,
      timeZone: `'${timeZone}'`,
    }).map((x) => (Array.isArray(x) ? x[0] : x) as string);
    const scripts = {
      same: `${header}${statement.replace(/\$(\d+)/g, (_, n: string) => literals[Number(n) - 1]!).replace(/\s*\n\s*/g, ' ')};\n`,
      two: `${header}BEGIN;
select count(e.id) as cnt, json_agg(e) as rows
  from subjects s left join entries e on e.subject_id = s.id
   and (e.status = any(${arr(v.statuses)}::text[]) or e.list_id = any(${arr(v.lists)}::text[]) or (e.list_id || '|' || e.department) = any(${arr(v.pairs)}::text[]))
 where s.code = ${codeExpr} \\gset
insert into query_log (actor_user_id, department, subject_code, purpose, result_count, at)
  values ('${user.id}', '${user.department}', ${codeExpr}, '${PURPOSE}', :cnt, now());
END;
`,
    };
    progress(`pgbench -M prepared: the same statement, ${POOL} clients`);
    const pgSame = pgbench(dbUrl, scripts.same, POOL, SECONDS);
    progress(`pgbench -M prepared: BEGIN; SELECT; INSERT; COMMIT, ${POOL} clients`);
    const pgTwo = pgbench(dbUrl, scripts.two, POOL, SECONDS);
    progress(`pgbench -M prepared: the same statement, ${CONNECTIONS} clients`);
    const pgSame32 = pgbench(dbUrl, scripts.same, CONNECTIONS, SECONDS);

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
    const portal = await portalTimes();
    // The indexes a migration would add for the portal (not in migrations/ yet): newest published first, and trigrams of names.
    progress('portal: again with the recommended indexes');
    await admin.unsafe(`create index bench_entries_public_idx on entries (published_at desc nulls last, id desc) where status = 'published'`);
    await admin.unsafe('create extension if not exists pg_trgm');
    await admin.unsafe('create index bench_subjects_name_trgm_idx on subjects using gin (name gin_trgm_ops)');
    await admin.unsafe('analyze entries');
    await admin.unsafe('analyze subjects');
    const indexed = await portalTimes();

    // ---------------------------------------------------------------- report
    out(`PostgreSQL ${pgVersion} (synchronous_commit = ${sync}), ${ENTRIES.toLocaleString('en-US')} entries of ${SUBJECTS.toLocaleString('en-US')} subjects (entries ${sizes.e}, subjects ${sizes.s}), demo config (${model.lists.length} list types). Each lookup reads one random existing subject and its visible entries (1–2 each) and writes its query_log record in the same statement, committed before the answer. HTTP: load from a child process (node:http keep-alive), ${CONNECTIONS} connections, closed loop; api, open and bare run ${ROUNDS} × (api open bare bare open api), ${fmt(SECONDS / ROUNDS / 2)} s each after ${WARMUP_SECONDS} s warm-up (${SECONDS} s measured per variant); database pool ${POOL} connections in both. pgbench: -M prepared, ${SECONDS} s, -j 2.`);
    out();
    const cpuPer = (x: { us: number; requests: number }) => `${fmt(x.us / x.requests, 0)} µs`;
    out('| variant | lookups/s | p50 | p99 | ratio to bare | Node CPU per lookup |');
    out('|---|---:|---:|---:|---:|---:|');
    out(`| api — GET /api/subjects/{code} (session auth, authorization, validation, query_log, JSON view), ${CONNECTIONS} conns | ${fmt(api.rps, 0)} | ${fmt(api.p50)} ms | ${fmt(api.p99)} ms | **${fmt(api.rps / bareLoad.rps, 3)}** | ${cpuPer(cpu.api)} |`);
    out(`| open — the same lookup on the same app, without authentication and request validation, ${CONNECTIONS} conns | ${fmt(open.rps, 0)} | ${fmt(open.p50)} ms | ${fmt(open.p99)} ms | ${fmt(open.rps / bareLoad.rps, 3)} | ${cpuPer(cpu.open)} |`);
    out(`| bare — Hono + postgres.js, same statement, no auth, ${CONNECTIONS} conns | ${fmt(bareLoad.rps, 0)} | ${fmt(bareLoad.p50)} ms | ${fmt(bareLoad.p99)} ms | 1 | ${cpuPer(cpu.bare)} |`);
    out(`| pgbench — same statement, ${POOL} clients | ${fmt(pgSame.tps, 0)} | ${fmt(pgSame.p50)} ms | ${fmt(pgSame.p99)} ms | ${fmt(pgSame.tps / bareLoad.rps, 3)} | — |`);
    out(`| pgbench — same statement, ${CONNECTIONS} clients | ${fmt(pgSame32.tps, 0)} | ${fmt(pgSame32.p50)} ms | ${fmt(pgSame32.p99)} ms | ${fmt(pgSame32.tps / bareLoad.rps, 3)} | — |`);
    out(`| pgbench — BEGIN; SELECT; INSERT; COMMIT, ${POOL} clients | ${fmt(pgTwo.tps, 0)} | ${fmt(pgTwo.p50)} ms | ${fmt(pgTwo.p99)} ms | ${fmt(pgTwo.tps / bareLoad.rps, 3)} | — |`);
    out();
    out('Public portal on the same data (informational, no goal in issue 6): median of sequential requests, without and with the indexes a migration would add (`entries (published_at desc nulls last, id desc) where status = \'published\'`; pg_trgm GIN on `subjects.name`).');
    out();
    out('| portal request | as migrated now | with the two indexes |');
    out('|---|---:|---:|');
    out(`| first page of all published entries, x-total-count (counted up to 10,000) | ${fmt(portal.landing)} ms | ${fmt(indexed.landing)} ms |`);
    out(`| last page (offset 9,980) | ${fmt(portal.deepPage)} ms | ${fmt(indexed.deepPage)} ms |`);
    out(`| search by exact code | ${fmt(portal.byCode)} ms | ${fmt(indexed.byCode)} ms |`);
    out(`| search by part of a name (…企业${Math.floor(SUBJECTS / 3)}有限) | ${fmt(portal.byName)} ms | ${fmt(indexed.byName)} ms |`);
    out(`| one entry's detail | ${fmt(portal.detail)} ms | ${fmt(indexed.detail)} ms |`);
    out();
    out(`api / bare = ${fmt(api.rps / bareLoad.rps, 3)} over the whole run; per round (api pair / bare pair): ${roundRatios.map((r) => fmt(r, 2)).join(', ')}, median ${fmt(percentile(sortedRatios, 50), 3)} (goal ≥ ${goalRatio}: **${api.rps / bareLoad.rps >= goalRatio ? 'met' : 'not met'}** on the whole run). api / pgbench (same statement, ${POOL} clients) = ${fmt(api.rps / pgSame.tps, 3)}. query_log rows written during the HTTP runs (warm-ups included): ${logged.toLocaleString('en-US')}.`);
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
