/**
 * Authorization benchmarks (issue 3). Run with `pnpm bench` (all benchmark
 * files) or `pnpm --filter ./tests exec tsx bench/authz.bench.ts [part]`.
 *
 * Parts, each in its own process so that one part's heap and JIT state do not
 * colour the next:
 *   decision     5,000 users, 50 departments, 20 list types: Casbin's
 *                enforceSync per decision (the reference), resolvePermissions
 *                per user (cold), can() per decision (warm), and what the
 *                access middleware really does per request.
 *   http         req/s and p99 through a real HTTP server on PostgreSQL, each
 *                route with the access middleware and an otherwise identical
 *                copy without it, in the same run; load from a child process.
 *   propagation  delay until a role change made on instance A reaches
 *                instance B (own pools, own LISTEN connections), PostgreSQL:
 *                timed by a hook on B's event bus, confirmed by B's /api/meta.
 *
 * Every number is compared with a reference measured in the same run.
 * Results go to stdout as Markdown; progress to stderr.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp } from '../../api/src/app.ts';
import { bootstrapUsers } from '../../api/src/auth/bootstrap.ts';
import { setAssignments } from '../../api/src/authz/enforcer.ts';
import { can, canAnywhere, type PermissionSet, resolvePermissions, scopeOf } from '../../api/src/authz/permissions.ts';
import { globalObject, listObject, userSubject } from '../../api/src/authz/policy.ts';
import { createAuthzService } from '../../api/src/authz/service.ts';
import { createSessionService } from '../../api/src/auth/sessions.ts';
import type { Services } from '../../api/src/http/env.ts';
import { loadRuntimeModel } from '../../api/src/config/compile.ts';
import { globalActions, listActions } from '../../api/src/config/schema.ts';
import { type DbHandle, openDatabase } from '../../api/src/db/client.ts';
import { openTestDatabase, testAdminUrl } from '../../api/src/db/testing.ts';
import { accessMiddleware } from '../../api/src/http/access.ts';
import { createEventBus } from '../../api/src/http/events.ts';
import { buildMeta, permissionMatrix } from '../../api/src/meta/build.ts';
import { manualClock, systemClock } from '../../api/src/procedures/clock.ts';
import { demoConfigDir, insertUsers, pick, rng, syntheticModel, syntheticUsers } from './support/synthetic.ts';
import { fmt, median, out, percentile, progress, spread, timeAsync, timeSync } from './support/report.ts';

const env = process.env;
const USERS = Number(env.BENCH_USERS ?? 5000);
const DEPARTMENTS = Number(env.BENCH_DEPARTMENTS ?? 50);
const LISTS = Number(env.BENCH_LISTS ?? 20);
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 32);
const CHANGES = Number(env.BENCH_CHANGES ?? 20);

/** Goals from issue 3. */
const goalUsPerDecision = 10;
const goalRatio = 0.9;

const parts: Record<string, () => Promise<void>> = { decision, http, propagation };

// ---------------------------------------------------------------- (a) decisions

async function decision(): Promise<void> {
  progress(`decision: ${DEPARTMENTS} departments, ${LISTS} list types, ${USERS} users`);
  const model = await syntheticModel({ departments: DEPARTMENTS, lists: LISTS });
  const people = syntheticUsers(model, USERS);
  // The real authorization service, on a throwaway PostgreSQL database holding
  // the users: its startup reads user_roles exactly as in production. (Not
  // PGlite: its driver wrapper runs an AsyncLocalStorage, which turns on
  // promise hooks and slows every await in the process.)
  const handle = await openTestDatabase('postgres');
  try {
    const ids = await insertUsers(handle.db, people);
    const events = await createEventBus(handle, (err) => console.error(err));
    let t = performance.now();
    const authz = await createAuthzService(model, handle.db, events);
    const startupMs = performance.now() - t;
    const { enforcer } = authz;
    const subjects = ids.map(userSubject);
    const assignmentCount = people.reduce((n, p) => n + p.roles.length, 0);
    const policyCount = (await enforcer.getPolicy()).length;

    // (ii) resolvePermissions per user, cold: each user once, nothing cached.
    const perms: PermissionSet[] = [];
    const coldUs: number[] = [];
    t = performance.now();
    for (const s of subjects) {
      const t0 = performance.now();
      perms.push(await resolvePermissions(enforcer, s));
      coldUs.push((performance.now() - t0) * 1000);
    }
    const coldTotalMs = performance.now() - t;
    coldUs.sort((a, b) => a - b);

    // The request mix: half drawn from what the user holds (mostly allowed, as
    // real traffic is), half fully random (mostly denied).
    const random = rng(7);
    const domains = model.departments.map((d) => d.code);
    const objects: [string, readonly string[]][] = [...model.lists.map((l) => [listObject(l.id), listActions] as [string, readonly string[]]), [globalObject, globalActions]];
    const N = 200_000;
    const rq = { user: new Int32Array(N), sub: new Array<string>(N), dom: new Array<string>(N), obj: new Array<string>(N), act: new Array<string>(N) };
    for (let i = 0; i < N; i++) {
      const u = Math.floor(random() * subjects.length);
      rq.user[i] = u;
      rq.sub[i] = subjects[u]!;
      const granted = [...perms[u]!.grants.entries()];
      if (random() < 0.5 && granted.length) {
        const [k, where] = pick(random, granted);
        const [obj, act] = k.split('|') as [string, string];
        const w = [...where];
        rq.obj[i] = obj;
        rq.act[i] = act;
        rq.dom[i] = w.includes('*') ? pick(random, domains) : pick(random, w);
      } else {
        const [obj, acts] = pick(random, objects);
        rq.obj[i] = obj;
        rq.act[i] = pick(random, acts);
        rq.dom[i] = pick(random, domains);
      }
    }

    // (i) Casbin, the reference: as many decisions as fit in ~5 s.
    let sink = 0;
    progress('decision: Casbin enforceSync');
    const casbin = timeSync(
      (i) => {
        const j = i % N;
        if (enforcer.enforceSync(rq.sub[j]!, rq.dom[j]!, rq.obj[j]!, rq.act[j]!)) sink++;
      },
      { minMs: 2000, batch: 20 },
    );
    // Agreement on the Casbin sample (the exhaustive proof is api/src/authz/agreement.test.ts).
    const sample = Math.min(N, casbin.ops, 20_000);
    let allowed = 0;
    let disagree = 0;
    for (let j = 0; j < sample; j++) {
      const expected = enforcer.enforceSync(rq.sub[j]!, rq.dom[j]!, rq.obj[j]!, rq.act[j]!);
      if (expected) allowed++;
      if (can(perms[rq.user[j]!]!, rq.obj[j]!, rq.act[j]!, rq.dom[j]!) !== expected) disagree++;
    }

    // (iii) can() on the fast path, warm.
    progress('decision: can()');
    const fast = timeSync(
      (i) => {
        const j = i % N;
        if (can(perms[rq.user[j]!]!, rq.obj[j]!, rq.act[j]!, rq.dom[j]!)) sink++;
      },
      { minMs: 1000, batch: 10_000 },
    );

    // (iv) What the access middleware does per request once the session is
    // resolved: authz.assignments() and authz.permissions() (cached after the
    // first call), then canAnywhere() and scopeOf().
    progress('decision: request path');
    for (const s of subjects) await authz.permissions(s);
    const requestPath = await timeAsync(
      async (i) => {
        const j = i % N;
        const s = rq.sub[j]!;
        const assignments = await authz.assignments(s);
        const p = await authz.permissions(s);
        if (canAnywhere(p, rq.obj[j]!, rq.act[j]!)) sink += scopeOf(p, rq.obj[j]!, rq.act[j]!).length + assignments.length;
      },
      { minMs: 1000 },
    );
    const assignmentsOnly = await timeAsync(
      async (i) => {
        sink += (await authz.assignments(rq.sub[i % N]!)).length;
      },
      { minMs: 1000 },
    );
    const permissionsOnly = await timeAsync(
      async (i) => {
        sink += (await authz.permissions(rq.sub[i % N]!)).domains.length;
      },
      { minMs: 1000 },
    );

    // A role change in one process: the enforcer update alone, and reload() as
    // the event handler runs it (one user_roles query on the in-memory PGlite).
    progress('decision: role change cost');
    const changeUs: number[] = [];
    for (let k = 0; k < 200; k++) {
      const u = (k * 97) % subjects.length;
      const t0 = performance.now();
      await setAssignments(enforcer, subjects[u]!, people[u]!.roles);
      changeUs.push((performance.now() - t0) * 1000);
    }
    const reloadUs: number[] = [];
    for (let k = 0; k < 200; k++) {
      const u = (k * 89) % subjects.length;
      const t0 = performance.now();
      await authz.reload(subjects[u]!);
      reloadUs.push((performance.now() - t0) * 1000);
    }
    // (v) The access middleware itself, as a route runs it: authentication
    // (bearer format, token hash, cached session) and the global action check,
    // for sessions of 500 users in turn.
    progress('decision: access middleware');
    // A clock that stands still: the 5 s session cache never expires, so no
    // call waits for the database and the loop measures the in-memory path.
    const clock = manualClock(model.platform.timezone, new Date());
    const sessions = createSessionService(handle.db, model.platform.security, clock, events);
    const services = { sessions, authz } as unknown as Services;
    const tokens: string[] = [];
    for (let u = 0; tokens.length < 500 && u < subjects.length; u++) {
      if (people[u]!.roles.some((r) => r.department !== '*')) tokens.push(`Bearer ${(await sessions.create(ids[u]!)).token}`);
    }
    const middleware = accessMiddleware({ kind: 'global', action: 'lookup' });
    const next = async () => {};
    const context = (authorization: string) => {
      const vars: Record<string, unknown> = { services, model };
      return {
        get: (k: string) => vars[k],
        set: (k: string, v: unknown) => {
          vars[k] = v;
        },
        req: { header: (name: string) => (name === 'authorization' ? authorization : undefined), param: () => undefined },
      } as unknown as Parameters<typeof middleware>[0];
    };
    for (const t of tokens) await middleware(context(t), next);
    const fullMiddleware = await timeAsync(
      async (i) => {
        const c = context(tokens[i % tokens.length]!);
        await middleware(c, next);
        if (c.get('scope')) sink++;
      },
      { minMs: 1000 },
    );
    await events.close();
    if (sink === -1) out('unreachable');

    const ratio = casbin.usPerOp / fast.usPerOp;
    out('### Decisions');
    out();
    out(`${model.departments.length} departments, ${model.lists.length} list types, ${policyCount} policy rules; ${subjects.length} users with ${assignmentCount} role assignments (${people.filter((p) => p.roles.length > 1).length} with several roles, ${people.filter((p) => p.roles.some((r) => r.department === '*')).length} office-wide, ${people.filter((p) => !p.roles.length).length} with none).`);
    out(`Request mix: ${N.toLocaleString('en-US')} random (user, department, object, action), half from the user's grants; ${fmt((allowed / sample) * 100, 1)} % allowed; fast path and Casbin disagree on ${disagree} of ${sample.toLocaleString('en-US')}.`);
    out();
    out('Timed loops: median of 3 runs after a warm-up, (min–max) of the runs.');
    out();
    out('| measure | per call | calls timed | vs Casbin |');
    out('|---|---:|---:|---:|');
    out(`| (i) Casbin \`enforceSync\` per decision (reference) | ${spread(casbin)} | ${casbin.ops.toLocaleString('en-US')} | 1× |`);
    out(`| (ii) \`resolvePermissions\` per user, cold (median / p99) | ${fmt(median(coldUs))} / ${fmt(percentile(coldUs, 99))} µs | ${subjects.length.toLocaleString('en-US')} | |`);
    out(`| (iii) \`can()\` per decision, warm | ${spread(fast, 3)} | ${fast.ops.toLocaleString('en-US')} | ${fmt(ratio, 0)}× faster |`);
    out(`| (iv) request path per request: \`authz.assignments\` + \`authz.permissions\` + \`canAnywhere\` + \`scopeOf\` | ${spread(requestPath)} | ${requestPath.ops.toLocaleString('en-US')} | ${fmt(casbin.usPerOp / requestPath.usPerOp, 0)}× faster |`);
    out(`| (v) the access middleware per request (global action): \`authenticate\` with a cached session, then \`canAnywhere\` + \`scopeOf\` | ${spread(fullMiddleware)} | ${fullMiddleware.ops.toLocaleString('en-US')} | |`);
    out(`| — of which \`authz.assignments\` (Casbin \`getFilteredGroupingPolicy\`) | ${spread(assignmentsOnly)} | ${assignmentsOnly.ops.toLocaleString('en-US')} | |`);
    out(`| — of which \`authz.permissions\` (cached promise) | ${spread(permissionsOnly, 3)} | ${permissionsOnly.ops.toLocaleString('en-US')} | |`);
    out(`| role change: \`setAssignments\` on the enforcer (median / max) | ${fmt(median(changeUs))} / ${fmt(Math.max(...changeUs))} µs | 200 | |`);
    out(`| role change: \`authz.reload\` incl. user_roles query on PostgreSQL (median / max) | ${fmt(median(reloadUs))} / ${fmt(Math.max(...reloadUs))} µs | 200 | |`);
    out(`| startup: \`createAuthzService\` (read user_roles, build enforcer) | ${fmt(startupMs)} ms | 1 | |`);
    out(`| all ${subjects.length} users resolved cold, in total | ${fmt(coldTotalMs)} ms | 1 | |`);
    out();
    const met = requestPath.usPerOp < goalUsPerDecision;
    out(`Goal < ${goalUsPerDecision} µs per decision on the request path: **${met ? 'met' : 'not met'}** (${fmt(requestPath.usPerOp)} µs for the authorization calls the middleware makes, ${fmt(fullMiddleware.usPerOp)} µs with authentication; \`can()\` alone ${fmt(fast.usPerOp, 3)} µs).`);
    out();
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------- (b) HTTP

type LoadResult = { requests: number; errors: number; seconds: number; statuses: Record<string, number>; latencies: Uint32Array };

const loadClient = fileURLToPath(new URL('./support/load-client.mjs', import.meta.url));

function runLoad(input: { url: string; paths: string[]; headers: Record<string, string>[]; connections: number; warmupMs: number; durationMs: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [loadClient, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (text += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load client exited with ${code}`));
      const r = JSON.parse(text) as Omit<LoadResult, 'latencies'> & { latenciesUs: string };
      const buf = Buffer.from(r.latenciesUs, 'base64');
      const latencies = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      resolve({ requests: r.requests, errors: r.errors, seconds: r.seconds, statuses: r.statuses, latencies });
    });
  });
}

function merge(results: LoadResult[]) {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const all = new Uint32Array(requests);
  let at = 0;
  for (const r of results) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  all.sort();
  return { rps: requests / seconds, requests, errors, p50: percentile(all, 50) / 1000, p99: percentile(all, 99) / 1000, seconds };
}

type Serve = (options: { fetch: (req: Request) => Response | Promise<Response>; port: number; hostname: string }, listening?: (info: AddressInfo) => void) => import('node:http').Server;

async function loadServe(): Promise<Serve> {
  // @hono/node-server is a dependency of api/, not of tests/: resolve it from there.
  const require = createRequire(new URL('../../api/package.json', import.meta.url));
  const mod = (await import(pathToFileURL(require.resolve('@hono/node-server')).href)) as { serve: Serve };
  return mod.serve;
}

async function http(): Promise<void> {
  progress(`http: demo config + ${USERS} users on PostgreSQL, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per variant`);
  const model = await loadRuntimeModel(demoConfigDir);
  const handle = await openTestDatabase('postgres');
  const servers: import('node:http').Server[] = [];
  try {
    const clock = systemClock(model.platform.timezone);
    await bootstrapUsers(handle.db, model, clock, {});
    const people = syntheticUsers(model, USERS);
    const ids = await insertUsers(handle.db, people);
    const app = await createApp(model, handle, { clock });

    // The copies without the access middleware. They are added to the same app
    // (so the context middleware, router, error handler and server are shared)
    // and answer with exactly the same body: the caller named by x-bench-user,
    // whose PermissionSet was resolved once at start.
    const fixed = new Map<string, PermissionSet>();
    app.get('/bench/meta-open', (c) => {
      const perms = fixed.get(c.req.header('x-bench-user') ?? '');
      if (!perms) return c.json({ error: 'unknown bench user' }, 400);
      return c.json({ ...buildMeta(model), permissions: permissionMatrix(model, perms) }, 200);
    });
    app.get('/bench/me-open', async (c) => {
      const user = await c.get('services').users.get(c.req.header('x-bench-user') ?? '');
      return c.json({ id: user.id, username: user.username, displayName: user.displayName, mustChangePassword: user.mustChangePassword, roles: user.roles }, 200);
    });
    // The smallest route: only the middleware differs (a global action check: authentication, assignments, permissions, canAnywhere, scopeOf).
    app.get('/bench/ping-guarded', accessMiddleware({ kind: 'global', action: 'lookup' }), (c) => c.json({ ok: true, scope: c.get('scope') }, 200));
    app.get('/bench/ping-open', (c) => {
      const perms = fixed.get(c.req.header('x-bench-user') ?? '');
      if (!perms) return c.json({ error: 'unknown bench user' }, 400);
      return c.json({ ok: true, scope: scopeOf(perms, globalObject, 'lookup') }, 200);
    });

    // One session per connection, for users who hold a per-department role (so `lookup` is allowed).
    const headers: Record<string, string>[] = [];
    for (let i = 0; headers.length < CONNECTIONS && i < people.length; i++) {
      const p = people[i]!;
      if (p.roles.length !== 1 || p.roles[0]!.department === '*') continue;
      const id = ids[i]!;
      const { token } = await app.services.sessions.create(id);
      fixed.set(id, await app.services.authz.permissions(userSubject(id)));
      headers.push({ authorization: `Bearer ${token}`, 'x-bench-user': id });
    }

    const serve = await loadServe();
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const pairs = [
      {
        name: 'GET /api/meta — config + permission matrix, no database',
        with: '/api/meta',
        without: '/bench/meta-open',
      },
      {
        name: 'GET /api/auth/me — two indexed queries on PostgreSQL',
        with: '/api/auth/me',
        without: '/bench/me-open',
      },
      {
        name: 'GET ping — tiny JSON, nothing else (worst case for the ratio)',
        with: '/bench/ping-guarded',
        without: '/bench/ping-open',
      },
    ];

    // Fairness: each copy answers exactly as the guarded route, for every connection's user.
    for (const pair of pairs) {
      for (const h of headers) {
        const [a, b] = await Promise.all([pair.with, pair.without].map((p) => fetch(url + p, { headers: h }).then(async (r) => ({ status: r.status, body: await r.text() }))));
        if (a!.status !== 200 || b!.status !== 200 || a!.body !== b!.body) {
          throw new Error(`${pair.with} and ${pair.without} differ: ${a!.status} ${a!.body.slice(0, 200)} / ${b!.status} ${b!.body.slice(0, 200)}`);
        }
      }
    }

    out('### Request throughput, with and without the access middleware');
    out();
    out(`Demo config (${model.departments.length} departments, ${model.lists.length} list types) with ${ids.length} extra users (${people.reduce((n, p) => n + p.roles.length, 0)} role assignments) on PostgreSQL; @hono/node-server in the benchmark process; load from a child process (node:http, keep-alive), ${CONNECTIONS} connections, each with its own session; per variant ${SECONDS} s measured in two halves run A B B A, each after ${WARMUP_SECONDS} s warm-up. The copy without authorization is registered on the same app and answers with a byte-identical body (checked before the run).`);
    out();
    out('| route | with auth req/s | without req/s | ratio | p50 with / without | p99 with / without | middleware cost per request |');
    out('|---|---:|---:|---:|---:|---:|---:|');
    const ratios: number[] = [];
    for (const pair of pairs) {
      const run = (path: string) =>
        runLoad({ url, paths: [path], headers, connections: CONNECTIONS, warmupMs: WARMUP_SECONDS * 1000, durationMs: (SECONDS * 1000) / 2 });
      progress(`http: ${pair.with} vs ${pair.without}`);
      const w1 = await run(pair.with);
      const o1 = await run(pair.without);
      const o2 = await run(pair.without);
      const w2 = await run(pair.with);
      const w = merge([w1, w2]);
      const o = merge([o1, o2]);
      if (w.errors || o.errors) throw new Error(`non-200 answers during the run: ${JSON.stringify([w1.statuses, w2.statuses, o1.statuses, o2.statuses])}`);
      const ratio = w.rps / o.rps;
      ratios.push(ratio);
      // Server time per request is about 1/throughput when the server is the bottleneck.
      const costUs = (1 / w.rps - 1 / o.rps) * 1e6;
      out(`| ${pair.name} | ${fmt(w.rps, 0)} | ${fmt(o.rps, 0)} | ${fmt(ratio, 3)} | ${fmt(w.p50)} / ${fmt(o.p50)} ms | ${fmt(w.p99)} / ${fmt(o.p99)} ms | ${fmt(costUs)} µs |`);
    }
    out();
    out(`Goal with/without ≥ ${goalRatio}: **${ratios[0]! >= goalRatio && ratios[1]! >= goalRatio ? 'met' : 'not met'}** on the real routes (${ratios.slice(0, 2).map((r) => fmt(r, 3)).join(', ')}); ping, the worst case, ${fmt(ratios[2]!, 3)}.`);
    out();
    await app.close();
  } finally {
    for (const s of servers) await new Promise((r) => s.close(r));
    await handle.close();
  }
}

// ---------------------------------------------------------------- (c) propagation

async function propagation(): Promise<void> {
  progress(`propagation: two app instances on PostgreSQL, demo config + ${USERS} users, ${CHANGES} role changes`);
  const model = await loadRuntimeModel(demoConfigDir);
  const handleA = await openTestDatabase('postgres');
  let handleB: DbHandle | undefined;
  try {
    if (handleA.kind !== 'postgres') throw new Error('unreachable');
    const url = new URL(testAdminUrl());
    url.pathname = `/${handleA.client.options.database}`;
    handleB = await openDatabase({ databaseUrl: url.toString(), maxConnections: 4 });
    const clock = systemClock(model.platform.timezone);
    await bootstrapUsers(handleA.db, model, clock, {});
    await insertUsers(handleA.db, syntheticUsers(model, USERS));
    const a = await createApp(model, handleA, { clock });
    const b = await createApp(model, handleB, { clock });

    const login = await a.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Demo@123456' }) });
    const admin = { authorization: `Bearer ${((await login.json()) as { token: string }).token}`, 'content-type': 'application/json' };
    const found = (await (await a.request('/api/users?q=scjg-operator', { headers: admin })).json()) as { id: string; username: string }[];
    const target = found.find((u) => u.username === 'scjg-operator')!;
    const { token } = await b.services.sessions.create(target.id);
    const user = { authorization: `Bearer ${token}` };

    // When A sends the NOTIFY (after applying the change itself), and when B's
    // event bus has run the authorization handler (handlers run in order; this one is last).
    let notifiedAt = 0;
    const notify = handleA.notify.bind(handleA);
    handleA.notify = (channel, payload) => {
      notifiedAt = performance.now();
      return notify(channel, payload);
    };
    let heardAt = 0;
    let onHeard: (() => void) | undefined;
    b.services.events.on((event) => {
      if (event.type === 'subject-changed' && event.subject === userSubject(target.id)) {
        heardAt = performance.now();
        onHeard?.();
      }
    });

    type Matrix = { lists: Record<string, Record<string, unknown>> };
    const variants = [
      { roles: [{ role: 'reviewer', department: 'scjg' }], marker: (p: Matrix) => !!p.lists['market-serious-illegal']?.recognise },
      { roles: [{ role: 'operator', department: 'scjg' }], marker: (p: Matrix) => !!p.lists['market-serious-illegal']?.create },
    ];
    const meta = async () => {
      const res = await b.request('/api/meta', { headers: user });
      return ((await res.json()) as { permissions: Matrix }).permissions;
    };
    if (!variants[1]!.marker(await meta())) throw new Error('unexpected starting permissions');

    // B is not polled while a change travels: polling /api/meta (73 kB of JSON)
    // in this process would slow A's PATCH and B's handler. B's own event hook
    // gives the time; one GET /api/meta on B right after confirms what a client sees.
    const fromSent: number[] = [];
    const fromAnswered: number[] = [];
    const wire: number[] = [];
    const roundTrip: number[] = [];
    let beforeAnswer = 0;
    for (let k = 0; k < CHANGES; k++) {
      const v = variants[k % 2]!;
      heardAt = 0;
      notifiedAt = 0;
      const heard = new Promise<void>((resolve) => {
        onHeard = resolve;
      });
      const sent = performance.now();
      const res = await a.request(`/api/users/${target.id}`, { method: 'PATCH', headers: admin, body: JSON.stringify({ roles: v.roles }) });
      const answered = performance.now();
      if (res.status !== 200) throw new Error(`PATCH answered ${res.status}`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([heard, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (!heardAt) throw new Error(`change ${k + 1} did not reach B within 5 s`);
      if (!v.marker(await meta())) throw new Error(`change ${k + 1}: B heard it but still answers the old matrix`);
      roundTrip.push(answered - sent);
      wire.push(heardAt - notifiedAt);
      fromSent.push(heardAt - sent);
      fromAnswered.push(Math.max(0, heardAt - answered));
      if (heardAt <= answered) beforeAnswer++;
      await new Promise((r) => setTimeout(r, 50));
    }
    await b.close();
    await a.close();

    out('### Role-change propagation between two instances');
    out();
    out(`Two createApp instances in one process, each on its own postgres.js pool (own LISTEN connection) to one PostgreSQL database; demo config with ${USERS} extra users. ${CHANGES} role changes of one user via PATCH /api/users/:id on A, one at a time, 50 ms apart. "B updated" is when B's event bus has run its handlers (the enforcer reload included); after each change one GET /api/meta on B confirmed the new permission matrix (${CHANGES} of ${CHANGES}).`);
    out();
    out('| delay | median | max |');
    out('|---|---:|---:|');
    out(`| NOTIFY sent by A → B updated (the propagation itself) | ${fmt(median(wire))} ms | ${fmt(Math.max(...wire))} ms |`);
    out(`| PATCH sent on A → B updated | ${fmt(median(fromSent))} ms | ${fmt(Math.max(...fromSent))} ms |`);
    out(`| PATCH answered on A → B updated (0 when B was first) | ${fmt(median(fromAnswered))} ms | ${fmt(Math.max(...fromAnswered))} ms |`);
    out(`| for comparison: PATCH round trip on A | ${fmt(median(roundTrip))} ms | ${fmt(Math.max(...roundTrip))} ms |`);
    out();
    out(`B was updated before A answered the PATCH in ${beforeAnswer} of ${CHANGES} changes.`);
    out();
  } finally {
    await handleB?.close();
    await handleA.close();
  }
}

// ---------------------------------------------------------------- main

const requested = process.argv[2];
if (requested) {
  const part = parts[requested];
  if (!part) throw new Error(`unknown part "${requested}"; parts: ${Object.keys(parts).join(', ')}`);
  await part();
} else {
  // Each part in a fresh process (same runtime flags, so tsx stays loaded).
  for (const name of Object.keys(parts)) {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`part ${name} exited with ${code}`);
  }
}
