/**
 * Helpers for the procedure-engine tests, all driven by the config (no list
 * type is named here): request bodies built from a list's declared fields,
 * action inputs per transition, who holds which action (the permission rules
 * of config, re-derived independently of the Casbin code), the due dates a
 * list's clocks should give, cheap sessions that follow a moving clock, and a
 * digest of the tables an action writes.
 */
import { eq, sql } from 'drizzle-orm';
import { demoAccounts } from '../../api/src/auth/bootstrap.ts';
import type { CompiledList, RuntimeModel } from '../../api/src/config/compile.ts';
import type { ClockStart, Field, Period } from '../../api/src/config/schema.ts';
import { type DbHandle, queryRows } from '../../api/src/db/client.ts';
import { users } from '../../api/src/db/schema.ts';
import type { Calendar } from '../../api/src/procedures/calendar.ts';
import type { Transition } from '../../api/src/procedures/graph.ts';
import { intBetween, makeSubject, pick, type Rng } from '../../api/src/subjects/generate.ts';
import type { TestApp } from './app.ts';

export type Headers = Record<string, string>;
export const DAY = 86_400_000;

// ------------------------------------------------------------------ sessions

type Session = { headers: Headers; createdMs: number; usedMs: number };
type SessionBook = { ids: Map<string, string>; sessions: Map<string, Session> };
const books = new WeakMap<TestApp, SessionBook>();

function book(t: TestApp): SessionBook {
  let b = books.get(t);
  if (!b) {
    b = { ids: new Map(), sessions: new Map() };
    books.set(t, b);
  }
  return b;
}

async function renew(t: TestApp, username: string, s: Session): Promise<void> {
  const b = book(t);
  let id = b.ids.get(username);
  if (!id) {
    const [row] = await t.db.db.select({ id: users.id }).from(users).where(eq(users.username, username));
    if (!row) throw new Error(`no user ${username}`);
    id = row.id;
    b.ids.set(username, id);
  }
  const { token } = await t.app.services.sessions.create(id);
  s.headers.authorization = `Bearer ${token}`;
  s.createdMs = t.clock.now().getTime();
  s.usedMs = s.createdMs;
}

/** A session is renewed well before the idle timeout (30 min) or the absolute expiry (12 h) of the demo config. */
const stale = (s: Session, now: number) => now - s.usedMs > 20 * 60_000 || now - s.createdMs > 11 * 3_600_000;

/**
 * Bearer headers of a demo account through the session service (a real
 * session row, without the argon2 cost of a password login). The same object
 * is returned on every call; it is renewed here when the clock has moved past
 * its idle timeout, and by setClock when time moves forward.
 */
export async function as(t: TestApp, username: string): Promise<Headers> {
  const b = book(t);
  const now = t.clock.now().getTime();
  let s = b.sessions.get(username);
  if (!s) {
    s = { headers: {}, createdMs: 0, usedMs: 0 };
    await renew(t, username, s);
    b.sessions.set(username, s);
  } else if (stale(s, now)) await renew(t, username, s);
  else s.usedMs = Math.max(s.usedMs, now);
  return s.headers;
}

/**
 * Sets the manual clock. Moving forward renews every session handed out so
 * far (headers kept by a test stay valid) unless `renew` is false, in which
 * case `as()` renews a session when it is next asked for.
 */
export async function setClock(t: TestApp, at: Date | string, opts: { renew?: boolean } = {}): Promise<void> {
  const to = new Date(at);
  const forward = to.getTime() > t.clock.now().getTime();
  t.clock.set(to);
  if (forward && opts.renew !== false) {
    for (const [username, s] of book(t).sessions) if (stale(s, to.getTime())) await renew(t, username, s);
  }
}

export const advanceClock = (t: TestApp, ms: number, opts: { renew?: boolean } = {}) => setClock(t, new Date(t.clock.now().getTime() + ms), opts);

/** 10:00 Beijing time on a civil date. */
export const morningOf = (date: string) => new Date(`${date}T10:00:00+08:00`);

// ------------------------------------------------------------------ who may do what

export type Account = { username: string; roles: { role: string; department: string }[] };

export function accounts(model: RuntimeModel): Account[] {
  return demoAccounts(model).map((a) => ({ username: a.username, roles: a.roles }));
}

function descendants(model: RuntimeModel, code: string): string[] {
  const out = [code];
  for (let i = 0; i < out.length; i++) for (const d of model.departments) if (d.parent === out[i]) out.push(d.code);
  return out;
}

/**
 * Whether the account holds `action` on the list in `department`, from config
 * alone: a role listed for the action holds it in the list's department and its
 * sub-departments when the role's scope is `own` and the account is assigned
 * there, and everywhere when the role's scope is `all`.
 */
export function holds(model: RuntimeModel, list: CompiledList, account: Account, action: string, department: string): boolean {
  const roles = (list.permissions as Record<string, string[] | undefined>)[action] ?? [];
  const domains = descendants(model, list.department);
  return account.roles.some((a) => {
    if (!roles.includes(a.role)) return false;
    const scope = model.roles.find((r) => r.id === a.role)?.scope;
    if (scope === 'all') return true;
    const where = a.department === '*' ? domains : domains.includes(a.department) ? [a.department] : [];
    return where.includes(department);
  });
}

export function holdsAnywhere(model: RuntimeModel, list: CompiledList, account: Account, action: string): boolean {
  return model.departments.some((d) => holds(model, list, account, action, d.code));
}

/** A demo account of the department holding the action there, preferring the one that also creates. */
export function actorFor(model: RuntimeModel, list: CompiledList, action: string, department = list.department): string {
  const found = accounts(model).find((a) => a.roles.every((r) => r.department === department) && holds(model, list, a, action, department));
  if (!found) throw new Error(`no demo account holds ${action} on ${list.id} in ${department}`);
  return found.username;
}

/** A demo account of the department that sees the list but lacks the action (403), if there is one. */
export function wrongActorFor(model: RuntimeModel, list: CompiledList, action: string, department = list.department): string | undefined {
  return accounts(model).find(
    (a) => a.roles.every((r) => r.department === department) && holds(model, list, a, 'view', department) && !holdsAnywhere(model, list, a, action),
  )?.username;
}

// ------------------------------------------------------------------ bodies

const sentences = ['经核查，当事人存在上述行为，事实清楚，证据确凿。', '当事人对违法事实无异议。', '相关情况已调查核实，有询问笔录和现场检查记录为证。'];

export function documentValue(date: string, rng: Rng, title = '决定书'): { number: string; date: string; title: string } {
  return { number: `示字〔${date.slice(0, 4)}〕${intBetween(rng, 1, 999)}号`, date, title };
}

/** A valid value of a declared field (dates are on or before `today`). */
export function fieldValue(f: Field, rng: Rng, today: string): unknown {
  switch (f.type) {
    case 'string': {
      const s = `测试${f.label.slice(0, 8)}${intBetween(rng, 1, 99_999)}`;
      return s.slice(0, f.max_length ?? 500);
    }
    case 'text':
      return pick(rng, sentences).slice(0, f.max_length ?? 20_000);
    case 'number': {
      const min = f.min ?? 0;
      const max = f.max ?? min + 1000;
      return intBetween(rng, Math.ceil(min), Math.floor(max));
    }
    case 'money': {
      // whole yuan plus a binary-exact fraction, so that the value has at most two decimals
      const min = Math.ceil(f.min ?? 0);
      const max = Math.floor(f.max ?? min + 1_000_000) - 1;
      return intBetween(rng, min, Math.max(min, max)) + pick(rng, [0, 0.25, 0.5, 0.75]);
    }
    case 'date':
      return today;
    case 'boolean':
      return rng() < 0.5;
    case 'enum':
      return pick(rng, f.options ?? []);
    case 'multi-enum': {
      const options = [...(f.options ?? [])];
      const n = intBetween(rng, 1, Math.min(2, options.length));
      const out: string[] = [];
      while (out.length < n) {
        const o = options.splice(intBetween(rng, 0, options.length - 1), 1)[0];
        if (o !== undefined) out.push(o);
      }
      return out;
    }
    case 'document':
      return documentValue(today, rng, f.label.replace(/[、或].*$/, ''));
  }
}

/** The enum field whose value picks the list's term tier, if any. */
export const tierField = (list: CompiledList) => (list.term !== 'none' ? list.term.by_severity?.field : undefined);

/** Every required field, and each optional one with probability `optional`. */
export function fieldsFor(list: CompiledList, rng: Rng, today: string, overrides: Record<string, unknown> = {}, optional = 0.5): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of list.fields) if (f.required || rng() < optional) out[f.key] = fieldValue(f, rng, today);
  return { ...out, ...overrides };
}

export function subjectFor(list: CompiledList, rng: Rng) {
  const kinds = list.subject_kinds.filter((k) => k !== 'natural_person');
  return makeSubject(rng, pick(rng, kinds.length ? kinds : list.subject_kinds));
}

export function draftBody(list: CompiledList, rng: Rng, today: string, overrides: Record<string, unknown> = {}) {
  return { subject: subjectFor(list, rng), fields: fieldsFor(list, rng, today, overrides) };
}

/** A patch that changes one field (never the tier field) to another valid value. */
export function correctionFor(list: CompiledList, current: Record<string, unknown>, rng: Rng, today: string): Record<string, unknown> {
  const tier = tierField(list);
  const candidates = list.fields.filter((f) => f.key !== tier && f.type !== 'boolean');
  for (let tries = 0; tries < 50; tries++) {
    const f = pick(rng, candidates);
    const v = f.type === 'date' ? '2020-01-01' : fieldValue(f, rng, today);
    if (JSON.stringify(v) !== JSON.stringify(current[f.key])) return { [f.key]: v };
  }
  throw new Error(`no correction found for ${list.id}`);
}

/** A field body with a wrong value for the field's type. */
export function wrongValueFor(f: Field): unknown {
  switch (f.type) {
    case 'number':
    case 'money':
      return 'not a number';
    case 'boolean':
      return 'yes';
    case 'enum':
      return '不存在的选项';
    case 'multi-enum':
      return ['不存在的选项'];
    case 'date':
      return '2026-13-45';
    case 'document':
      return { number: 'x' };
    default:
      return 12345;
  }
}

export const materials = (types: readonly string[]) => types.map((type) => ({ type, note: `${type} 已提交` }));

/** Valid inputs of a transition for an entry of the list, on `today`. */
export function inputsFor(list: CompiledList, id: string, today: string, rng: Rng, extra: Record<string, unknown> = {}): Record<string, unknown> {
  switch (id) {
    case 'notify':
      return { serviceMethod: '直接送达', ...extra };
    case 'record-statement':
      return { content: '当事人提出陈述申辩，称已整改。', receivedOn: today, ...extra };
    case 'request-hearing':
      return { requestedOn: today, ...extra };
    case 'close-hearing':
      return { heldOn: today, summary: '听证会已举行，当事人到场陈述。', ...extra };
    case 'recognise':
      return { decisionNo: `认字〔${today.slice(0, 4)}〕${intBetween(rng, 1, 999)}号`, decisionDate: today, ...extra };
    case 'publish':
      return list.procedure.recognise === false ? { decisionNo: `决字〔${today.slice(0, 4)}〕${intBetween(rng, 1, 999)}号`, decisionDate: today, ...extra } : { ...extra };
    case 'withdraw':
      return { reason: '经复核不符合列入条件。', ...extra };
    case 'correct':
      return { reason: '更正录入错误。', ...extra };
    case 'record-correction':
      return { correctedOn: today, materials: [], ...extra };
    case 'reinstate':
      return { reason: '发现以欺骗手段取得，依法恢复。', document: documentValue(today, rng, '恢复决定书'), ...extra };
    case 'exit': {
      const early = list.exit.early[0];
      return { condition: early?.id ?? 'term-end', materials: materials(early?.requires ?? []), reason: '符合提前移出条件。', ...extra };
    }
    case 'revoke':
      return { reason: '据以列入的行政处罚决定已被撤销。', document: documentValue(today, rng, '行政复议决定书'), ...extra };
    default:
      return { ...extra };
  }
}

// ------------------------------------------------------------------ clocks

export type Starts = Partial<Record<ClockStart, string>>;

export function tierOf(model: RuntimeModel, list: CompiledList, fields: Record<string, unknown>) {
  if (list.term === 'none' || !list.term.by_severity) return undefined;
  const { regime, field } = list.term.by_severity;
  return model.platform.publication_regimes.find((r) => r.id === regime)?.tiers.find((t) => t.name === fields[field]);
}

/**
 * The due dates an entry should carry, from the starts it has reached (the
 * notice served, the decision, publication, correction): each clock of the
 * list's config counted from its start, the term and minimum period of the
 * severity tier, or the term given at recognition. The clocks of objections
 * and repair applications ('received', 'applied') live on those rows.
 */
export function expectedDue(calendar: Calendar, model: RuntimeModel, list: CompiledList, starts: Starts, fields: Record<string, unknown>, termOverride?: Period): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of list.clocks) {
    if (c.from === 'received' || c.from === 'applied') continue;
    const start = starts[c.from as ClockStart];
    if (start) out[c.id] = calendar.addPeriod(start, c.period);
  }
  if (list.term !== 'none') {
    const start = starts[list.term.from];
    const tier = tierOf(model, list, fields);
    const term = termOverride ?? tier?.max ?? list.term.default ?? list.term.max;
    if (start && term) out.term_end = calendar.addPeriod(start, term);
    if (start && tier?.min && list.repair !== false && !list.repair.min_published) out.min_period_end = calendar.addPeriod(start, tier.min);
  }
  return out;
}

/** The start date each due date is counted from, for the "due ≥ start" invariant. */
export function startOfClock(list: CompiledList, clockId: string): ClockStart | undefined {
  if (clockId === 'term_end' && list.term !== 'none') return list.term.from;
  if (clockId === 'min_period_end' && list.repair !== false) {
    if (list.repair.min_published) return list.repair.from;
    if (list.term !== 'none') return list.term.from;
  }
  return list.clocks.find((c) => c.id === clockId)?.from as ClockStart | undefined;
}

// ------------------------------------------------------------------ database digest

/** Tables an entry action may write; a refused request must leave all of them unchanged. */
export const writtenTables = ['subjects', 'entries', 'entry_events', 'audit_log', 'objections', 'repairs', 'outbox', 'idempotency_keys'] as const;

export type Digest = Record<string, { rows: number; md5: string }>;

export async function dbDigest(db: DbHandle): Promise<Digest> {
  const out: Digest = {};
  for (const table of writtenTables) {
    const [row] = await queryRows<{ rows: number; md5: string | null }>(
      db.db,
      sql.raw(`select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5 from ${table} t`),
    );
    out[table] = { rows: row?.rows ?? 0, md5: row?.md5 ?? '' };
  }
  return out;
}

/** Seq numbers of an entry's events, in order. */
export async function eventSeqs(db: DbHandle, entryId: string): Promise<number[]> {
  const rows = await queryRows<{ seq: number }>(db.db, sql`select seq from entry_events where entry_id = ${entryId} order by seq`);
  return rows.map((r) => Number(r.seq));
}

export const isGapFree = (seqs: readonly number[]) => seqs.every((s, i) => s === i + 1);

// ------------------------------------------------------------------ walking an entry

/** The transitions from draft to published, shortest first, without self-loops, withdrawals, revocations or hearings. */
export function routeToPublished(list: CompiledList): Transition[] {
  const skip = new Set(['withdraw', 'revoke', 'request-hearing', 'close-hearing']);
  const prev = new Map<string, Transition>();
  const queue = ['draft'];
  const seen = new Set(queue);
  while (queue.length) {
    const s = queue.shift() as string;
    for (const tr of list.graph.transitions) {
      if (tr.from !== s || tr.to === s || skip.has(tr.id) || seen.has(tr.to) || tr.action === 'system') continue;
      seen.add(tr.to);
      prev.set(tr.to, tr);
      queue.push(tr.to);
    }
  }
  const route: Transition[] = [];
  for (let s = 'published'; s !== 'draft'; ) {
    const tr = prev.get(s);
    if (!tr) throw new Error(`${list.id}: published is not reachable`);
    route.unshift(tr);
    s = tr.from;
  }
  return route;
}

export type Walked = { id: string; url: string; version: number; body: Record<string, unknown> & { status: string; version: number; due: Record<string, string> } };

/**
 * Creates an entry of the list and walks it over HTTP along the route to
 * published until it is in `state` ('draft', a state on the route, or
 * 'published'), moving the clock past the notice period when the route needs
 * it. Fields get the first publishable tier where the list has tiers;
 * `extra` adds inputs per transition id (e.g. a term at recognition).
 */
export async function entryIn(t: TestApp, list: CompiledList, state: string, rng: Rng, extra: Record<string, Record<string, unknown>> = {}): Promise<Walked> {
  const model = t.model;
  const tier = tierField(list);
  const overrides: Record<string, unknown> = {};
  if (tier) overrides[tier] = model.platform.publication_regimes.flatMap((r) => r.tiers).find((x) => x.publish && list.fields.find((f) => f.key === tier)?.options?.includes(x.name))?.name;
  const created = await t.json('POST', `/api/lists/${list.id}/entries`, await as(t, actorFor(model, list, 'create')), draftBody(list, rng, t.clock.today(), overrides));
  if (created.status !== 201) throw new Error(`create ${list.id}: ${created.status} ${JSON.stringify(created.body)}`);
  const w: Walked = { id: created.body.id, url: `/api/lists/${list.id}/entries/${created.body.id}`, version: 1, body: created.body };
  for (const tr of routeToPublished(list)) {
    if (w.body.status === state) break;
    const noticeEnd = (w.body as { due?: Record<string, string> }).due?.notice_end;
    if (tr.id === 'recognise' && noticeEnd && t.clock.today() <= noticeEnd) await setClock(t, morningOf(t.app.services.engine.calendar.addDays(noticeEnd, 1)));
    const res = await t.json('POST', `${w.url}/actions/${tr.id}`, await as(t, actorFor(model, list, tr.action)), { version: w.version, ...inputsFor(list, tr.id, t.clock.today(), rng, extra[tr.id] ?? {}) });
    if (res.status !== 200) throw new Error(`${list.id} ${tr.id}: ${res.status} ${JSON.stringify(res.body)}`);
    w.body = res.body;
    w.version = res.body.version;
  }
  if (w.body.status !== state) throw new Error(`${list.id}: ${state} is not on the route to published`);
  return w;
}
