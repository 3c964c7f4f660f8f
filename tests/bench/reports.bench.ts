/**
 * Reports benchmark (issue 7). Run with `pnpm bench reports` or
 * `pnpm --filter ./tests exec tsx bench/reports.bench.ts`.
 *
 * On a throwaway PostgreSQL database (TEST_DATABASE_URL, as the tests):
 * 1,000,000 entries and 5,000,000 entry events over three years
 * (2023-10 … 2026-09) in 50 departments and 20 list types (the demo config
 * grown by support/synthetic.ts), plus objections, repair applications, API
 * keys, checks with feedback and subjects, all generated in SQL with
 * generate_series (deterministic: setseed). Then, warm:
 *
 *   service   the quarterly assessment (2026-Q3) of all 50 departments through
 *             reports/assessment.ts: nine GROUP BY queries run together on
 *             the pool, adjustments, scoring and ranking in JavaScript
 *   raw SQL   a hand-written single statement computing the same nine
 *             numerators and denominators per department (UNION ALL), sent
 *             with postgres.js directly; its numbers are checked against the
 *             service's before anything is timed
 *
 * and, for reference, the 12-month statistics and one drill-down. Knobs:
 * BENCH_ENTRIES (1e6), BENCH_EVENTS_PER_ENTRY (5), BENCH_RUNS (10);
 * BENCH_KEEP=1 keeps the generated database (its URL is printed) and
 * BENCH_DATABASE_URL=<that URL> times it again without generating (drop it
 * yourself afterwards).
 * Results go to stdout as Markdown; progress to stderr.
 */
import { performance } from 'node:perf_hooks';
import type { RuntimeModel } from '../../api/src/config/compile.ts';
import { openDatabase, type PostgresHandle } from '../../api/src/db/client.ts';
import { openTestDatabase, testAdminUrl } from '../../api/src/db/testing.ts';
import { createCalendar } from '../../api/src/procedures/calendar.ts';
import { manualClock } from '../../api/src/procedures/clock.ts';
import { assessmentItems, assessmentReport, indicatorCounts, type ReportDeps } from '../../api/src/reports/assessment.ts';
import { DEFAULT_GRACE_DAYS, indicatorLists, numberParam, planTasksOf } from '../../api/src/reports/indicators.ts';
import { parsePeriod } from '../../api/src/reports/period.ts';
import { statisticsReport } from '../../api/src/reports/statistics.ts';
import { syntheticModel } from './support/synthetic.ts';
import { fmt, machine, median, out, progress } from './support/report.ts';

const env = process.env;
const ENTRIES = Number(env.BENCH_ENTRIES ?? 1_000_000);
const EVENTS_PER_ENTRY = Number(env.BENCH_EVENTS_PER_ENTRY ?? 5);
const RUNS = Number(env.BENCH_RUNS ?? 10);
const SUBJECTS = Math.round(ENTRIES * 0.6);
const OBJECTIONS = Math.round(ENTRIES * 0.06);
const REPAIRS = Math.round(ENTRIES * 0.03);
const CHECKS = Math.round(ENTRIES * 0.5);
const PERIOD = '2026-Q3';
/** Pool size: what openTestDatabase gives a PostgreSQL handle. */
const POOL = 4;
const TZ = 'Asia/Shanghai';
/** Goal from issue 7. */
const goalMs = 1000;

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: readonly string[]) => (xs.length ? `array[${xs.map(lit).join(', ')}]::text[]` : 'array[]::text[]');
const inList = (col: string, xs: readonly string[]) => (xs.length ? `${col} in (${xs.map(lit).join(', ')})` : 'false');

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function generate(h: PostgresHandle, model: RuntimeModel): Promise<Record<string, number>> {
  const depts = model.departments.map((d) => d.code);
  const lists = model.lists.map((l) => l.id);
  const matters = model.platform.matters.map((m) => m.id);
  const conn = await h.client.reserve();
  const counts: Record<string, number> = {};
  const step = async (name: string, sql: string) => {
    const t = await timed(() => conn.unsafe(sql));
    progress(`${name}: ${fmt(t.ms / 1000)} s`);
  };
  try {
    // Bulk load: no foreign-key triggers (every reference is generated consistent), deterministic random().
    await conn.unsafe('set session_replication_role = replica');
    await conn.unsafe("set timezone = 'UTC'");
    await conn.unsafe('select setseed(0.42)');
    await step(
      `${fmt(SUBJECTS, 0)} subjects`,
      `insert into subjects (id, kind, code, name, code_valid)
       select md5('s' || i)::uuid, 'legal_person', 'B' || lpad(i::text, 17, '0'), '基准企业' || i, (i % 2000) <> 0
         from generate_series(1, ${SUBJECTS}) i`,
    );
    // Rows are inserted in time order, as a live system writes them, so that one period's
    // rows sit together on disk. Entries: created over three years; decision 0–4 days later; publish due 9 days after the
    // decision, published 0–11 days after it (about one in five late) or, 5 %, not yet; terms of
    // 1–3 years; most expired entries exit 0–3 days after term_end, some early, some never.
    await step(
      `${fmt(ENTRIES, 0)} entries`,
      `insert into entries (id, list_id, department, subject_id, status, fields, decision_no, decision_date, recognised_at, published_at,
                            publish_due, term_end, exited_at, exit_reason, due, config_version_created, created_at, updated_at)
       select id, list_id, department, subject_id,
              case when published_at is null then 'recognised' when exited_at is not null then 'exited' else 'published' end,
              '{}'::jsonb, '基准' || j, decision, recognised_at, published_at, publish_due, term_end, exited_at,
              case when exited_at is null then null when early then 'early:corrected' else 'expired' end,
              jsonb_build_object('publish_due', publish_due, 'term_end', term_end), ${lit(model.version)}, created, created
         from (select *,
                      case when published_at is null then null
                           when early then ((decision + 400)::timestamp at time zone ${lit(TZ)}) + interval '10 hours'
                           when term_end < date '2026-10-15' and r4 < 0.9 then ((term_end + (r4 * 3.3)::int)::timestamp at time zone ${lit(TZ)}) + interval '9 hours'
                      end as exited_at
                 from (select *,
                              ((decision)::timestamp at time zone ${lit(TZ)}) + interval '10 hours' as recognised_at,
                              case when r2 < 0.95 then ((decision + (r3 * 11.5)::int)::timestamp at time zone ${lit(TZ)}) + interval '11 hours' end as published_at,
                              decision + 9 as publish_due,
                              (decision + (1 + j % 3) * interval '1 year')::date as term_end,
                              (r4 >= 0.9 and r4 < 0.95 and decision + 400 < date '2026-10-15') as early
                         from (select j, md5('e' || j)::uuid as id,
                                      (${arr(lists)})[1 + j % ${lists.length}] as list_id,
                                      (${arr(depts)})[1 + (j / ${lists.length}) % ${depts.length}] as department,
                                      md5('s' || (1 + (j::bigint * 7919) % ${SUBJECTS}))::uuid as subject_id,
                                      created, ((created at time zone ${lit(TZ)})::date + (random() * 4)::int) as decision,
                                      random() as r2, random() as r3, random() as r4
                                 from (select j, timestamptz '2023-10-01 09:00+08' + random() * interval '1095 days' as created
                                         from generate_series(1, ${ENTRIES}) j) g) a) b) c
        order by created`,
    );
    await step(
      `${fmt(ENTRIES * EVENTS_PER_ENTRY, 0)} entry events`,
      `insert into entry_events (entry_id, seq, action, from_status, to_status, data, at)
       select e.id, k, (array['create', 'notify', 'record-statement', 'recognise', 'publish', 'correct', 'expire'])[1 + (k - 1) % 7],
              null, null, '{}'::jsonb, e.created_at + (k - 1) * interval '2 days'
         from entries e cross join generate_series(1, ${EVENTS_PER_ENTRY}) k`,
    );
    await step(
      `${fmt(OBJECTIONS, 0)} objections`,
      `insert into objections (entry_id, status, source, content, received_at, due_at, answered_at, result)
       select entry_id, case when answered then 'answered' else 'received' end, 'public', '异议', received,
              (received at time zone ${lit(TZ)})::date + 7,
              case when answered then received + r * interval '10 days' end, case when answered then 'rejected' end
         from (select md5('e' || (1 + (i::bigint * 13) % ${ENTRIES}))::uuid as entry_id,
                      timestamptz '2023-10-01 09:00+08' + random() * interval '1095 days' as received, random() < 0.9 as answered, random() as r
                 from generate_series(1, ${OBJECTIONS}) i) o
        order by received`,
    );
    await step(
      `${fmt(REPAIRS, 0)} repair applications`,
      `insert into repairs (entry_id, status, source, applied_at, accept_due, decide_due, decided_at, result)
       select entry_id, case when decided then 'approved' else 'accepted' end, 'public', applied,
              (applied at time zone ${lit(TZ)})::date + 5, (applied at time zone ${lit(TZ)})::date + 14,
              case when decided then applied + r * interval '16 days' end, case when decided then 'approved' end
         from (select md5('e' || (1 + (i::bigint * 17) % ${ENTRIES}))::uuid as entry_id,
                      timestamptz '2023-10-01 09:00+08' + random() * interval '1095 days' as applied, random() < 0.85 as decided, random() as r
                 from generate_series(1, ${REPAIRS}) i) r
        order by applied`,
    );
    await step(
      `${depts.length} API keys and ${fmt(CHECKS, 0)} checks with feedback`,
      `insert into api_keys (id, name, department, key_hash, prefix)
       select md5('k' || d)::uuid, d || ' 业务系统', d, 'bench-' || d, 'clk_bench' from unnest(${arr(depts)}) d;
       insert into checks (id, api_key_id, subject_code, matter, result, at)
       select md5('c' || i)::uuid, md5('k' || (${arr(depts)})[1 + i % ${depts.length}])::uuid, 'B' || lpad((1 + i % ${SUBJECTS})::text, 17, '0'),
              (${arr(matters)})[1 + (i / 7) % ${matters.length}], '{}'::jsonb,
              timestamptz '2023-10-01 09:00+08' + random() * interval '1095 days'
         from generate_series(1, ${CHECKS}) i
        order by 6;
       insert into measures_applied (check_id, measures, outcome, at)
       select id, array['M-GOV-PROCUREMENT-BAN'], '已限制', at + interval '1 hour' from checks where random() < 0.7 order by at`,
    );
    await conn.unsafe('set session_replication_role = origin');
    // The steady state autovacuum keeps (visibility map set, statistics fresh).
    await step('vacuum analyze', 'vacuum analyze');
    for (const table of tables) {
      const [row] = await conn.unsafe(`select count(*)::int as n from ${table}`);
      counts[table] = Number(row?.n ?? 0);
    }
  } finally {
    conn.release();
  }
  return counts;
}

/** The nine aggregates written by hand (the reference for the service). */
function rawAssessmentParts(model: RuntimeModel, today: string): string[] {
  const p = parsePeriod(PERIOD);
  const lo = `(${lit(p.start)}::timestamp at time zone ${lit(TZ)})`;
  const hi = `(${lit(p.end)}::timestamp at time zone ${lit(TZ)})`;
  const civil = (col: string) => `(${col} at time zone ${lit(TZ)})::date`;
  const parts = model.assessment.indicators.map((ind) => {
    const id = lit(ind.id);
    switch (ind.kind) {
      case 'double-publicity-on-time':
      case 'entries-published-on-time':
        return `select ${id} as indicator, department, count(*) filter (where published_at is not null and ${civil('published_at')} <= publish_due) as num, count(*) as den
                  from entries where ${inList('list_id', indicatorLists(model, ind))}
                   and publish_due >= ${lit(p.start)} and publish_due < ${lit(p.end)}
                   and (published_at is not null or (status not in ('withdrawn', 'revoked') and publish_due < ${lit(today)}))
                 group by department`;
      case 'catalogue-coverage': {
        const pairs = model.assessment.catalogue.flatMap((c) => c.record_types.map((t) => [c.department, t] as const));
        return `select ${id}, c.department, count(*) filter (where exists (select 1 from entries e where e.list_id = c.t and e.department = c.department
                          and e.published_at >= ${lo} and e.published_at < ${hi})), count(*)
                  from unnest(${arr(pairs.map((x) => x[0]))}, ${arr(pairs.map((x) => x[1]))}) c(department, t) group by c.department`;
      }
      case 'objections-answered-on-time':
        return `select ${id}, e.department, count(*) filter (where o.answered_at is not null and ${civil('o.answered_at')} <= o.due_at), count(*)
                  from objections o join entries e on e.id = o.entry_id
                 where o.due_at >= ${lit(p.start)} and o.due_at < ${lit(p.end)} and (o.answered_at is not null or o.due_at < ${lit(today)})
                 group by e.department`;
      case 'repairs-decided-on-time':
        return `select ${id}, e.department, count(*) filter (where r.decided_at is not null and ${civil('r.decided_at')} <= r.decide_due), count(*)
                  from repairs r join entries e on e.id = r.entry_id
                 where r.decide_due >= ${lit(p.start)} and r.decide_due < ${lit(p.end)} and (r.decided_at is not null or r.decide_due < ${lit(today)})
                 group by e.department`;
      case 'expired-exited-on-time': {
        const g = numberParam(ind, 'grace_days', DEFAULT_GRACE_DAYS);
        return `select ${id}, department, count(*) filter (where exited_at is not null and ${civil('exited_at')} <= term_end + ${g}), count(*)
                  from entries
                 where term_end >= date ${lit(p.start)} - ${g} and term_end < date ${lit(p.end)} - ${g} and published_at is not null
                   and ((exited_at is not null and ${civil('exited_at')} > term_end) or (exited_at is null and status = 'published' and term_end + ${g} < ${lit(today)}))
                 group by department`;
      }
      case 'code-validity':
        return `select ${id}, x.department, count(*) filter (where bad.id is null), count(*)
                  from (select distinct department, subject_id from entries where created_at >= ${lo} and created_at < ${hi}) x
                  left join subjects bad on bad.id = x.subject_id and not bad.code_valid group by x.department`;
      case 'lookups-before-action': {
        const m = ind.params.matters;
        return `select ${id}, k.department, count(*) filter (where exists (select 1 from measures_applied m where m.check_id = c.id)), count(*)
                  from checks c join api_keys k on k.id = c.api_key_id
                 where c.at >= ${lo} and c.at < ${hi} ${Array.isArray(m) ? `and ${inList('c.matter', m)}` : ''}
                 group by k.department`;
      }
      case 'plan-tasks-on-time': {
        const tasks = planTasksOf(model, ind);
        const end = `((${lit(today)}::date + 1)::timestamp at time zone ${lit(TZ)})`;
        const done = (cond: string) =>
          `exists (select 1 from task_reports r where r.plan_id = t.p and r.task_no = t.n and r.department = t.d and r.status = 'done' and r.reported_at < ${end} and ${cond})`;
        return `select ${id}, t.d, count(*) filter (where ${done(`${civil('r.reported_at')} <= t.dl`)}), count(*)
                  from (select p, n, d, dl::date as dl from unnest(${arr(tasks.map((x) => x.planId))}, ${arr(tasks.map((x) => x.no))}, ${arr(tasks.map((x) => x.department))},
                               ${arr(tasks.map((x) => x.deadline))}) u(p, n, d, dl)) t
                 where t.dl >= ${lit(p.start)} and t.dl < ${lit(p.end)} and (t.dl < ${lit(today)} or ${done('true')})
                 group by t.d`;
      }
    }
  });
  return parts;
}

async function main() {
  const m = machine();
  progress(`PostgreSQL, ${fmt(ENTRIES, 0)} entries, ${EVENTS_PER_ENTRY} events each`);
  const model = await syntheticModel({ departments: 50, lists: 20 });
  const reuse = env.BENCH_DATABASE_URL;
  const handle = reuse ? await openDatabase({ databaseUrl: reuse, maxConnections: POOL }) : await openTestDatabase('postgres');
  if (handle.kind !== 'postgres') throw new Error('expected PostgreSQL');
  try {
    const genStart = performance.now();
    const counts = reuse ? await countRows(handle) : await generate(handle, model);
    const genSeconds = (performance.now() - genStart) / 1000;
    if (env.BENCH_KEEP && !reuse) {
      const [db] = await handle.client.unsafe('select current_database() as name');
      const url = new URL(testAdminUrl());
      url.pathname = `/${db?.name}`;
      progress(`kept: BENCH_DATABASE_URL=${url}`);
    }
    const [version] = await handle.client.unsafe('select version() as v');

    const clock = manualClock(TZ, new Date('2026-10-15T02:00:00Z'));
    const deps: ReportDeps = { db: handle.db, model, clock, calendar: createCalendar(model.platform.calendar) };
    const today = clock.today();
    const rawParts = rawAssessmentParts(model, today);
    const raw = rawParts.join('\nunion all\n');

    // Same numbers first.
    const service = await indicatorCounts(deps, parsePeriod(PERIOD));
    const rawRows = await handle.client.unsafe<{ indicator: string; department: string; num: string; den: string }[]>(raw);
    let items = 0;
    for (const r of rawRows) {
      const s = service.get(r.indicator)?.get(r.department);
      if (!s || s.num !== Number(r.num) || s.den !== Number(r.den)) throw new Error(`mismatch ${r.indicator}/${r.department}: raw ${r.num}/${r.den}, service ${JSON.stringify(s)}`);
      items += Number(r.den);
    }
    const serviceRows = [...service.values()].reduce((n, x) => n + x.size, 0);
    if (serviceRows !== rawRows.length) throw new Error(`row count mismatch: service ${serviceRows}, raw ${rawRows.length}`);
    progress(`service and raw SQL agree on ${rawRows.length} (indicator, department) figures over ${fmt(items, 0)} items`);

    const runs = async (fn: () => Promise<unknown>) => {
      for (let i = 0; i < 2; i++) await fn();
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) ms.push((await timed(fn)).ms);
      const sorted = [...ms].sort((a, b) => a - b);
      return { median: median(ms), min: sorted[0]!, max: sorted[sorted.length - 1]! };
    };
    const loadBefore = machine().load;
    const report = await assessmentReport(deps, PERIOD, 'all');
    const svc = await runs(() => assessmentReport(deps, PERIOD, 'all'));
    progress(`service: ${fmt(svc.median)} ms`);
    const rawT = await runs(() => handle.client.unsafe(raw));
    progress(`raw SQL: ${fmt(rawT.median)} ms`);
    const rawParallel = await runs(() => Promise.all(rawParts.map((q) => handle.client.unsafe(q))));
    progress(`raw SQL, parallel: ${fmt(rawParallel.median)} ms`);
    const stats = await runs(() => statisticsReport(deps, { from: '2025-10', to: '2026-09' }, 'all'));
    progress(`statistics: ${fmt(stats.median)} ms`);
    const worst = report.departments[report.departments.length - 1]!.department;
    const drill = await runs(() => assessmentItems(deps, PERIOD, worst, 'double-publicity'));
    progress(`drill-down: ${fmt(drill.median)} ms`);

    const span = (t: { median: number; min: number; max: number }) => `${fmt(t.median)} ms (${fmt(t.min)}–${fmt(t.max)})`;
    out(`Run ${m.date} · ${m.cpu}, ${m.cores} cores (nproc), ${m.memory} · Node ${m.node} · ${String(version?.v ?? '').split(',')[0]} (default settings: shared_buffers 128MB, work_mem 4MB)`);
    out();
    out(`Data, ${reuse ? 'reused' : `generated in SQL in ${fmt(genSeconds, 0)} s`}: ${Object.entries(counts).map(([k, v]) => `${k} ${fmt(v, 0)}`).join(', ')}; ${model.departments.length} departments, ${model.lists.length} list types (demo config grown by support/synthetic.ts), 2023-10 … 2026-09.`);
    out();
    out(`Quarterly assessment ${PERIOD} of all ${model.departments.length} departments × ${model.assessment.indicators.length} indicators (${fmt(items, 0)} items assessed), warm, median of ${RUNS} runs (min–max):`);
    out();
    out('| what | time | goal |');
    out('|---|---|---|');
    out(`| service: assessmentReport (9 GROUP BY queries in parallel on the pool + scoring, ranking, adjustments) | ${span(svc)} | < ${goalMs} ms: ${svc.median < goalMs ? 'met' : 'NOT met'} |`);
    out(`| raw SQL: the same nine aggregates by hand, one UNION ALL statement, postgres.js | ${span(rawT)} | reference |`);
    out(`| raw SQL: the nine statements sent together on the same pool (${POOL} connections) | ${span(rawParallel)} | reference |`);
    out(`| ratio service ÷ raw (one statement) | ${fmt(svc.median / rawT.median)} | |`);
    out(`| ratio service ÷ raw (nine together): the service's own overhead | ${fmt(svc.median / rawParallel.median)} | |`);
    out(`| statistics, 12 months × ${model.departments.length} departments | ${span(stats)} | |`);
    out(`| drill-down: late items of one department, one indicator | ${span(drill)} | |`);
    out();
    out(`Load average (1, 5, 15 min) before timing ${loadBefore}, after ${machine().load}: the host is shared, so read the medians with that in mind.`);
    out();
    out('The service and the raw statement returned the same numerator and denominator for every (indicator, department) before timing.');
  } finally {
    // A reused or kept database stays; a generated one is dropped.
    if (reuse || env.BENCH_KEEP) await handle.client.end({ timeout: 5 });
    else await handle.close();
  }
}

const tables = ['subjects', 'entries', 'entry_events', 'objections', 'repairs', 'checks', 'measures_applied'];

async function countRows(h: PostgresHandle): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await h.client.unsafe(`select count(*)::int as n from ${table}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

await main();
