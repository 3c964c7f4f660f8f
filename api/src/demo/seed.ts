/**
 * Demo data on an empty database: a few hundred fictional entries over the
 * last 18 months on every list type, in every state of each type's procedure
 * graph, with statements, hearings, objections and repair applications.
 *
 * Everything goes through the engine's own services (entry service, request
 * service, performAction) as the demo accounts, so events, due dates, audit
 * chains and outbox rows are what real use would have left. History is made
 * by replaying the planned steps in time order on a manual clock bound to a
 * copy of the engine's dependencies; afterwards the scheduler runs once on the
 * real clock to expire what is due and flag overdue work.
 *
 * All of it runs in one transaction: a crash leaves no half-seeded database,
 * and an advisory lock with a re-check keeps two processes starting at once
 * from both seeding. A step the engine refuses (it refuses before writing) is
 * logged and its entry stays where it got to; any other error rolls it all back.
 */
import { count, eq, max, sql } from 'drizzle-orm';
import type { App } from '../app.ts';
import type { Principal } from '../auth/principal.ts';
import { can, scopeOf } from '../authz/permissions.ts';
import { listObject, userSubject } from '../authz/policy.ts';
import type { AuthzService } from '../authz/service.ts';
import type { CompiledList } from '../config/compile.ts';
import type { Db, DbHandle } from '../db/client.ts';
import { departmentDocPrefix } from '../documents/numbering.ts';
import { entries, entryEvents, users } from '../db/schema.ts';
import { createRequestService } from '../entries/requests.ts';
import { createEntryService } from '../entries/service.ts';
import type { Scope } from '../http/env.ts';
import { AppError } from '../http/errors.ts';
import { runScheduledJobs } from '../jobs/scheduler.ts';
import { civilDate, manualClock } from '../procedures/clock.ts';
import { type EngineDeps, performAction } from '../procedures/engine.ts';
import { createRng, intBetween, type Rng } from '../subjects/generate.ts';
import { DOC_TOKEN, type EntryPlan, type Op, type PlanEnv, planAll } from './plan.ts';

export type SeedOptions = {
  /** Same seed and same `now`, same data. */
  seed?: string;
  /** About how many entries (default 360). */
  count?: number;
  /** The end of the history (default: the app's clock). */
  now?: Date;
  log?: (message: string) => void;
};

export type SeedResult = { entries: number; byList: Record<string, Record<string, number>> };

/** Advisory lock key of the seeding transaction ('demo'). */
const seedLock = 0x64656d6f;
const HISTORY_MONTHS = 18;
const DEFAULT_COUNT = 360;

async function hasEntries(db: Db): Promise<boolean> {
  const rows = await db.select({ id: entries.id }).from(entries).limit(1);
  return rows.length > 0;
}

/** Every user as a principal, the way a logged-in request would see them. */
async function loadPrincipals(db: Db, authz: AuthzService): Promise<Principal[]> {
  const rows = await db.select({ id: users.id, username: users.username, name: users.displayName, disabled: users.disabled }).from(users).orderBy(users.username);
  const out: Principal[] = [];
  for (const u of rows) {
    if (u.disabled) continue;
    const subject = userSubject(u.id);
    out.push({ kind: 'user', id: u.id, subject, name: u.name, username: u.username, assignments: await authz.assignments(subject), perms: await authz.permissions(subject) });
  }
  return out;
}

type Actors = {
  /** The principal to take `action` on the list in the department, preferring one assigned in that department. */
  get(list: CompiledList, department: string, action: string, exclude?: string): Principal | undefined;
};

function actors(principals: Principal[]): Actors {
  const cache = new Map<string, Principal | undefined>();
  return {
    get(list, department, action, exclude) {
      const key = `${list.id}|${department}|${action}|${exclude ?? ''}`;
      if (cache.has(key)) return cache.get(key);
      const obj = listObject(list.id);
      const able = principals.filter((p) => p.id !== exclude && can(p.perms, obj, action, department));
      const own = able.find((p) => p.assignments.some((a) => a.department === department));
      const chosen = own ?? able[0];
      cache.set(key, chosen);
      return chosen;
    },
  };
}

/** Departments where the demo accounts can take every step of the list, its own department first. */
function departmentsFor(model: App['services']['engine']['model'], who: Actors) {
  return (list: CompiledList): string[] => {
    const actions = new Set(list.graph.transitions.filter((t) => t.action !== 'system').map((t) => t.action as string));
    if (list.objection !== false) actions.add('answer-objection');
    const ok = (dept: string) => {
      const creator = who.get(list, dept, 'create');
      if (!creator) return false;
      for (const a of actions) if (!who.get(list, dept, a, a === 'recognise' ? creator.id : undefined)) return false;
      return true;
    };
    const others = model.departments.map((d) => d.code).filter((d) => d !== list.department && ok(d));
    return ok(list.department) ? [list.department, ...others] : others;
  };
}

/** A step that cannot run because an earlier one of its entry did not (thrown before any write). */
class PlanError extends Error {}

type EntryState = {
  id?: string;
  version: number;
  status: string;
  createdBy?: string;
  /** The seq of the statement recorded last, for a later answer. */
  lastStatementSeq?: number;
  objections: Map<number, { id: string; version: number }>;
  repair?: { id: string; version: number };
  docs: Map<string, string>;
  failed: boolean;
};

/**
 * Numbers of the documents the engine does not number itself (penalty and
 * licence decisions, revocations), like 示市监罚〔2026〕18号: the department's
 * prefix, per department, kind and year, rising in the order the steps run.
 */
function documentNumbers(model: App['services']['engine']['model'], rng: Rng) {
  const counters = new Map<string, number>();
  return (dept: string, purpose: string, year: string) => {
    const key = `${dept}|${purpose}|${year}`;
    const next = (counters.get(key) ?? intBetween(rng, 3, 40)) + intBetween(rng, 1, 3);
    counters.set(key, next);
    return `${departmentDocPrefix(model, dept)}${purpose}〔${year}〕${next}号`;
  };
}

function resolveTokens<T>(value: T, resolve: (key: string, purpose: string, year: string) => string): T {
  if (typeof value === 'string') return value.replace(DOC_TOKEN, (_m, key: string, purpose: string, year: string) => resolve(key, purpose, year)) as T;
  if (Array.isArray(value)) return value.map((v) => resolveTokens(v, resolve)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveTokens(v, resolve);
    return out as T;
  }
  return value;
}

export async function seedDemoData(app: App, handle: DbHandle, opts: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const engine = app.services.engine;
  const { model, calendar } = engine;
  // Only ever on an empty database: quietly nothing once there are entries.
  if (await hasEntries(handle.db)) return { entries: 0, byList: {} };
  const principals = await loadPrincipals(handle.db, app.services.authz);
  const who = actors(principals);
  const timeZone = model.platform.timezone;
  const now = opts.now ?? app.services.clock.now();
  const today = civilDate(now, timeZone);
  const env: PlanEnv = {
    model,
    calendar,
    timeZone,
    now: now.getTime(),
    today,
    windowStart: calendar.addMonths(today, -HISTORY_MONTHS),
    departments: departmentsFor(model, who),
  };
  const seed = opts.seed ?? 'credit-lists-demo';
  const planned = planAll(env, createRng(seed), opts.count ?? DEFAULT_COUNT);
  for (const [list, states] of Object.entries(planned.unreachable)) log(`demo data: ${list}: no entry can reach ${states.join(', ')} (see the engine notes in api/src/demo/plan.ts)`);
  for (const s of planned.skipped) log(`demo data: skipped ${s}`);
  if (!planned.plans.length) {
    log('demo data: no list type can be worked by the demo accounts; nothing added');
    return { entries: 0, byList: {} };
  }

  log(`demo data: generating ${planned.plans.length} fictional entries over the last ${HISTORY_MONTHS} months on ${new Set(planned.plans.map((p) => p.list.id)).size} list types (DEMO_DATA=off skips this)`);
  const queue = planned.plans
    .flatMap((plan) => plan.steps.map((step, i) => ({ plan, step, i })))
    .sort((a, b) => a.step.at - b.step.at || a.plan.index - b.plan.index || a.i - b.i);
  const clock = manualClock(timeZone, new Date(queue[0]?.step.at ?? now.getTime()));
  const deps: EngineDeps = { ...engine, clock };
  const requests = createRequestService(deps);
  const docNo = documentNumbers(model, createRng(`${seed}:documents`));
  let failures = 0;
  let steps = 0;

  const seeded = await handle.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${seedLock})`);
    if (await hasEntries(tx)) return false;
    const states = new Map<number, EntryState>();
    for (const { plan, step } of queue) {
      let st = states.get(plan.index);
      if (!st) {
        st = { version: 0, status: 'none', objections: new Map(), docs: new Map(), failed: false };
        states.set(plan.index, st);
      }
      if (st.failed) continue;
      clock.set(new Date(step.at));
      const entry = st;
      const op = resolveTokens(step.op, (key, purpose, year) => {
        let n = entry.docs.get(key);
        if (!n) {
          n = docNo(plan.department, purpose, year);
          entry.docs.set(key, n);
        }
        return n;
      });
      try {
        await runStep(tx, deps, requests, who, plan, op, entry);
        steps++;
      } catch (err) {
        // The engine and the request service refuse with an AppError before they write anything, so
        // the transaction stays usable and only this entry stops. Anything else (a database error
        // aborts the transaction) ends the whole seeding: nothing is committed.
        if (!(err instanceof AppError) && !(err instanceof PlanError)) throw err;
        st.failed = true;
        failures++;
        log(`demo data: ${plan.list.id} entry ${plan.index} (${plan.target}) stopped at ${describe(op)} on ${civilDate(new Date(step.at), timeZone)}: ${err instanceof AppError ? `${err.code} ` : ''}${err.message}`);
      }
    }
    return true;
  });
  if (!seeded) {
    log('demo data: another process seeded the database; nothing added');
    return { entries: 0, byList: {} };
  }
  // What is due by now on the real clock: expiries since the last planned step, overdue flags.
  const jobs = await runScheduledJobs(engine, handle);

  const rows = await handle.db.select({ listId: entries.listId, status: entries.status, n: count() }).from(entries).groupBy(entries.listId, entries.status);
  const byList: Record<string, Record<string, number>> = {};
  let total = 0;
  for (const r of rows) {
    byList[r.listId] ??= {};
    (byList[r.listId] as Record<string, number>)[r.status] = r.n;
    total += r.n;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`demo data: ${total} entries, ${steps} steps${failures ? `, ${failures} refused by the engine` : ''}; scheduler expired ${jobs.expired}, flagged ${jobs.overdueFlagged} overdue; ${seconds} s`);
  return { entries: total, byList };
}

function describe(op: Op): string {
  return op.kind === 'action' ? op.transition : op.kind;
}

async function runStep(tx: Db, deps: EngineDeps, requests: ReturnType<typeof createRequestService>, who: Actors, plan: EntryPlan, op: Op, st: EntryState): Promise<void> {
  const { list, department } = plan;
  const actor = (action: string, exclude?: string) => {
    const p = who.get(list, department, action, exclude);
    if (!p) throw new PlanError(`no demo account may ${action} on ${list.id} in ${department}`);
    return p;
  };
  const visible = (p: Principal): Scope => scopeOf(p.perms, listObject(list.id), 'view');
  const entryId = () => {
    if (!st.id) throw new PlanError('entry not created');
    return st.id;
  };

  switch (op.kind) {
    case 'create': {
      const p = actor('create');
      const { subject, relatedPersons, fields } = op.body;
      const view = await createEntryService(deps, tx).create(
        list,
        {
          subject: { kind: subject.kind, code: subject.code, name: subject.name },
          relatedPersons: relatedPersons.map((r) => ({ kind: 'natural_person', code: r.code, name: r.name, role: r.role })),
          fields,
          department,
        },
        p,
      );
      st.id = view.id;
      st.version = view.version;
      st.status = view.status;
      st.createdBy = p.id;
      return;
    }
    case 'action': {
      if (op.system) {
        const updated = await performAction(tx, deps, { list, entryId: entryId(), transitionId: op.transition, body: {}, actor: { system: true }, visible: 'all' });
        st.version = updated.version;
        st.status = updated.status;
        return;
      }
      const tr = list.graph.transitions.find((t) => t.id === op.transition && t.from === st.status);
      if (!tr) throw new PlanError(`no transition ${op.transition} from ${st.status}`);
      const p = actor(tr.action, op.transition === 'recognise' ? st.createdBy : undefined);
      const inputs: Record<string, unknown> = { ...op.inputs };
      if (op.approvesRepair) inputs.repairId = st.repair?.id;
      if (op.answersLastStatement) inputs.answersSeq = st.lastStatementSeq;
      const updated = await performAction(tx, deps, {
        list,
        entryId: entryId(),
        transitionId: op.transition,
        body: { version: st.version, ...inputs, ...(op.comment ? { comment: op.comment } : {}) },
        actor: { principal: p },
        visible: visible(p),
      });
      st.version = updated.version;
      st.status = updated.status;
      if (op.transition === 'record-statement' && inputs.content) {
        const [row] = await tx.select({ seq: max(entryEvents.seq) }).from(entryEvents).where(eq(entryEvents.entryId, entryId()));
        st.lastStatementSeq = row?.seq ?? undefined;
      }
      if (op.approvesRepair) st.repair = undefined;
      return;
    }
    case 'file-objection': {
      const p = actor('answer-objection');
      const row = await requests.fileObjection(tx, list, entryId(), op.body, { principal: p }, visible(p));
      st.objections.set(op.key, { id: row.id, version: row.version });
      return;
    }
    case 'answer-objection': {
      const p = actor('answer-objection');
      const o = st.objections.get(op.key);
      if (!o) throw new PlanError('objection not filed');
      const body = { version: o.version, result: op.result, answer: op.answer, ...(op.fields ? { fields: op.fields, entryVersion: st.version } : {}) };
      await requests.answerObjection(tx, list, entryId(), o.id, body, { principal: p }, visible(p));
      if (op.fields) st.version++;
      st.objections.delete(op.key);
      return;
    }
    case 'apply-repair': {
      const p = actor('repair');
      const row = await requests.applyRepair(tx, list, entryId(), op.body, { principal: p }, visible(p));
      st.repair = { id: row.id, version: row.version };
      return;
    }
    case 'decide-repair': {
      const p = actor('repair');
      if (!st.repair) throw new PlanError('no repair application');
      await requests.decideRepair(tx, list, entryId(), st.repair.id, op.decision, { version: st.repair.version, ...(op.reason ? { reason: op.reason } : {}) }, { principal: p }, visible(p));
      st.repair = op.decision === 'accept' ? { id: st.repair.id, version: st.repair.version + 1 } : undefined;
      return;
    }
  }
}
