/**
 * The demo scenario planner: which entries to create on which list, the state
 * each should end in, and the dated steps that take it there. Everything is
 * derived from the compiled list types (graph, clocks, term, repair, exit,
 * fields), so every list type and every state of its graph gets entries
 * without code of its own.
 *
 * Steps are planned against the same calendar and clocks the engine uses, so
 * that when they are replayed in time order every guard holds (notice period
 * over before recognition, minimum period before repair, early-exit dates,
 * term ended before expiry). The engine still checks everything: the plan only
 * aims right.
 *
 * Engine notes (what the plan works around):
 * - Clocks start on entering notice_served, decision and published, and on
 *   `record-correction` for lists with clocks counted from `corrected`
 *   (clockStarts). An early exit counted from a start the engine never sets is
 *   not planned; a correction is recorded before an exit or repair that counts
 *   from it.
 * - A record's decision (number and date) is given with `publish`: given at
 *   creation, publish skips the clocks counted from the decision
 *   (publish_due, term_end, min_period_end).
 * - A term longer than the history window can only have ended for an entry
 *   older than the window: when a list has no other way into `exited`, two
 *   entries are back-dated just far enough for their term to end.
 */
import type { CompiledList, RuntimeModel } from '../config/compile.ts';
import type { ClockStart, Period } from '../config/schema.ts';
import type { Calendar } from '../procedures/calendar.ts';
import { tierOf } from '../procedures/engine.ts';
import { serviceMethods, type TransitionId } from '../procedures/inputs.ts';
import type { SubjectKind } from '../subjects/codes.ts';
import { type GeneratedSubject, intBetween, makeSubject, pick, type Rng } from '../subjects/generate.ts';
import { correctionPatch, documentPurpose, documentTitle, makeFields } from './fields.ts';
import { daysBetween, maxDate, minDate, Timeline } from './time.ts';
import * as words from './vocabulary.ts';

export type Target =
  | 'draft'
  | 'notified'
  | 'hearing'
  | 'recognised'
  | 'published'
  | 'withdrawn'
  | 'exited-expired'
  | 'exited-early'
  | 'exited-term-end'
  | 'repaired'
  | 'revoked';

export type Op =
  | { kind: 'create'; body: { subject: GeneratedSubject; relatedPersons: (GeneratedSubject & { role: string })[]; fields: Record<string, unknown>; department: string } }
  | {
      kind: 'action';
      transition: TransitionId;
      inputs: Record<string, unknown>;
      comment?: string;
      /** Run by the scheduler (actor system). */
      system?: boolean;
      /** repair: approves the application filed last. */
      approvesRepair?: boolean;
      /** record-statement: answers the statement recorded last (its seq is known only when it runs). */
      answersLastStatement?: boolean;
    }
  | { kind: 'file-objection'; key: number; body: { content: string; contact: { name: string; phone: string } } }
  | { kind: 'answer-objection'; key: number; result: 'corrected' | 'upheld' | 'rejected'; answer: string; fields?: Record<string, unknown> }
  | { kind: 'apply-repair'; body: { application: { reason: string; contact: { name: string; phone: string } }; materials: { type: string; note?: string }[] } }
  | { kind: 'decide-repair'; decision: 'accept' | 'refuse' | 'reject'; reason?: string };

export type Step = { at: number; op: Op };

export type EntryPlan = { index: number; list: CompiledList; department: string; target: Target; flavours: string[]; steps: Step[] };

export type PlanEnv = {
  model: RuntimeModel;
  calendar: Calendar;
  timeZone: string;
  /** Steps are planned strictly before this instant. */
  now: number;
  today: string;
  /** The first day of the demo history (18 months back). */
  windowStart: string;
  /** Departments of a list type where demo accounts can take every step, main department first. */
  departments(list: CompiledList): string[];
};

/** The starts of clocks the engine sets for the list: on entering states, and by recording the subject's correction. */
export function clockStarts(list: CompiledList): ClockStart[] {
  const out: ClockStart[] = ['notice_served', 'decision', 'published'];
  if (has(list, 'record-correction')) out.push('corrected');
  return out;
}

/** A document number placeholder, numbered per department, kind and year when the step runs (in time order). */
export const docToken = (key: string, purpose: string, date: string) => `⟦${key}|${purpose}|${date.slice(0, 4)}⟧`;
export const DOC_TOKEN = /⟦([^|⟧]+)\|([^|⟧]+)\|(\d{4})⟧/g;

const has = (list: CompiledList, id: string, from?: string) => list.graph.transitions.some((t) => t.id === id && (from === undefined || t.from === from));
const hasState = (list: CompiledList, s: string) => list.graph.states.some((x) => x.id === s);

function usableEarlyExits(list: CompiledList) {
  const starts = clockStarts(list);
  return list.exit.early.filter((e) => starts.includes(e.from));
}

/** The publishable tiers of a list whose term follows a severity regime (undefined for other lists). */
function regimeTiers(model: RuntimeModel, list: CompiledList) {
  if (list.term === 'none' || !list.term.by_severity) return undefined;
  const { regime, field } = list.term.by_severity;
  const tiers = model.platform.publication_regimes.find((r) => r.id === regime)?.tiers ?? [];
  return { field, tiers };
}

/** Days a period spans from `from` (calendar periods vary with the month). */
function periodDays(cal: Calendar, from: string, p: Period) {
  return daysBetween(from, cal.addPeriod(from, p));
}

/** The shortest term the list can give a published entry, in days (undefined without a term). */
function shortestTermDays(env: PlanEnv, list: CompiledList): number | undefined {
  if (list.term === 'none') return undefined;
  const rt = regimeTiers(env.model, list);
  const periods: Period[] = rt ? rt.tiers.filter((t) => t.publish && t.max).map((t) => t.max as Period) : [];
  const fallback = list.term.default ?? list.term.max;
  if (!periods.length && fallback) periods.push(fallback);
  if (!periods.length) return undefined;
  return Math.min(...periods.map((p) => periodDays(env.calendar, env.windowStart, p)));
}

export type TargetInfo = { target: Target; backdated: boolean };

/** The targets a list type can reach, and whether reaching one needs history older than the window. */
export function targetsOf(env: PlanEnv, list: CompiledList): { targets: TargetInfo[]; unreachable: string[] } {
  const out: TargetInfo[] = [{ target: 'draft', backdated: false }];
  const window = daysBetween(env.windowStart, env.today);
  for (const s of ['notified', 'hearing', 'recognised', 'published', 'withdrawn', 'revoked'] as const) {
    if (hasState(list, s)) out.push({ target: s, backdated: false });
  }
  if (has(list, 'repair')) out.push({ target: 'repaired', backdated: false });
  const early = has(list, 'exit', 'published') && usableEarlyExits(list).length > 0;
  if (early) out.push({ target: 'exited-early', backdated: false });
  if (has(list, 'exit', 'published') && list.term !== 'none' && list.exit.on_term_end === 'manual') out.push({ target: 'exited-term-end', backdated: false });
  if (has(list, 'expire')) {
    const term = shortestTermDays(env, list);
    // term + time to publish + the term counted from publication must fit in the window
    const fits = term !== undefined && term + 60 < window;
    if (fits) out.push({ target: 'exited-expired', backdated: false });
    else if (term !== undefined && !out.some((t) => t.target.startsWith('exited'))) out.push({ target: 'exited-expired', backdated: true });
  }
  const unreachable: string[] = [];
  for (const s of list.graph.states) {
    const reached = out.some((t) => t.target === s.id || (s.id === 'exited' && t.target.startsWith('exited')));
    if (!reached) unreachable.push(s.id);
  }
  return { targets: out, unreachable };
}

const WEIGHTS: Record<Target, number> = {
  draft: 1.2,
  notified: 1.2,
  hearing: 1,
  recognised: 1.3,
  withdrawn: 1,
  published: 11,
  'exited-expired': 2.5,
  'exited-early': 2.5,
  'exited-term-end': 2,
  repaired: 2.5,
  revoked: 1.5,
};

/** How many entries of each target a list gets: every target at least twice, the rest published. */
export function allocate(targets: TargetInfo[], n: number): Map<Target, number> {
  const out = new Map<Target, number>();
  const active = targets.filter((t) => !t.backdated);
  const total = active.reduce((s, t) => s + WEIGHTS[t.target], 0);
  let used = 0;
  for (const t of targets) {
    if (t.target === 'published') continue;
    const c = t.backdated ? 2 : Math.max(2, Math.round((n * WEIGHTS[t.target]) / total));
    out.set(t.target, c);
    used += c;
  }
  if (targets.some((t) => t.target === 'published')) out.set('published', Math.max(3, n - used));
  return out;
}

type Attempt = { steps: Step[]; ok: true } | { ok: false; why: string };

type EntrySpec = {
  index: number;
  list: CompiledList;
  department: string;
  target: Target;
  backdated: boolean;
  subject: GeneratedSubject;
  related: (GeneratedSubject & { role: string })[];
  topic: words.Topic;
};

/**
 * Plans one entry: draws the start day in the target's range and lays out the
 * steps; retries with another start day when a step would fall after now or
 * after the end of the term.
 */
export function planEntry(env: PlanEnv, spec: EntrySpec, rng: Rng): { steps: Step[]; flavours: string[] } | { error: string } {
  const window = daysBetween(env.windowStart, env.today);
  const range = startRange(env, spec, window);
  let why = '';
  for (let attempt = 0; attempt < 60; attempt++) {
    const before = intBetween(rng, range[0], range[1]);
    const t0 = env.calendar.addDays(env.today, -before);
    const flavours: string[] = [];
    const r = attemptPlan(env, spec, rng, t0, flavours);
    if (r.ok) return { steps: r.steps, flavours };
    why = r.why;
  }
  return { error: why };
}

function startRange(env: PlanEnv, spec: EntrySpec, window: number): [number, number] {
  if (spec.backdated) {
    const term = shortestTermDays(env, spec.list) ?? 365;
    return [term + 40, term + 200];
  }
  switch (spec.target) {
    case 'draft':
      return [1, 30];
    case 'notified':
      return [2, 25];
    case 'hearing':
      return [4, 30];
    case 'recognised':
      return [4, 45];
    case 'withdrawn':
      return [10, window];
    case 'repaired':
      return [60, window];
    case 'revoked':
      return [15, window];
    case 'published':
      return [5, window];
    default:
      return [30, window];
  }
}

function attemptPlan(env: PlanEnv, spec: EntrySpec, rng: Rng, t0: string, flavours: string[]): Attempt {
  const { list, target } = spec;
  const cal = env.calendar;
  const W = (d: string) => cal.nextWorkingDayOnOrAfter(d);
  const add = (d: string, n: number) => cal.addDays(d, n);
  const r = (a: number, b: number) => intBetween(rng, a, b);
  const tl = new Timeline(rng, env.timeZone);
  const steps: Step[] = [];
  const push = (date: string, op: Op, when: 'office' | 'night' = 'office') => steps.push({ at: tl.at(date, when), op });
  const done = (): Attempt => {
    const last = steps[steps.length - 1];
    if (last && last.at >= env.now) return { ok: false, why: `${list.id}/${target}: the last step would be after now` };
    return { ok: true, steps };
  };

  // ---------------------------------------------------------------- the basis and the fields
  const recognises = has(list, 'recognise');
  const createDay = W(t0);
  // A record's decision comes days before it is registered; a listing rests on a penalty decided weeks before.
  const basisDate = recognises ? add(createDay, -r(5, 60)) : add(createDay, -r(0, 4));
  const docField = list.fields.find((f) => f.type === 'document');
  const basisTitle = docField ? documentTitle(docField.label) : (list.fields.find((f) => /文号/.test(f.label))?.label.replace(/文号$/, '') ?? '决定书');
  const basis = { number: docToken('basis', documentPurpose(basisTitle), basisDate), date: basisDate };
  const fixed: Record<string, unknown> = {};
  const rt = regimeTiers(env.model, list);
  if (rt) {
    const needsPublication = !['draft', 'withdrawn'].includes(target);
    let tiers = needsPublication ? rt.tiers.filter((t) => t.publish) : rt.tiers;
    if (target === 'exited-expired' && !spec.backdated) {
      const short = tiers.filter((t) => t.max && periodDays(cal, t0, t.max) + 60 < daysBetween(t0, env.today));
      if (short.length) tiers = short;
    }
    if (target === 'repaired') {
      const early = tiers.filter((t) => !t.min || periodDays(cal, t0, t.min) + 40 < daysBetween(t0, env.today));
      if (early.length) tiers = early;
    }
    if (!tiers.length) return { ok: false, why: `${list.id}: no tier fits` };
    fixed[rt.field] = pick(rng, tiers).name;
  }
  let fields: Record<string, unknown>;
  try {
    fields = makeFields({ rng, list, calendar: cal, topic: spec.topic, city: env.model.platform.city, subject: spec.subject, date: createDay, basis, fixed });
  } catch (err) {
    return { ok: false, why: String(err) };
  }
  push(createDay, { kind: 'create', body: { subject: spec.subject, relatedPersons: spec.related, fields, department: spec.department } });
  if (target === 'draft') return done();

  let withdrawFrom: 'draft' | 'notified' | 'hearing' | undefined;
  if (target === 'withdrawn') {
    const from = (['notified', 'hearing', 'draft'] as const).filter((s) => has(list, 'withdraw', s));
    withdrawFrom = from.includes('notified') ? (rng() < 0.6 ? 'notified' : from.includes('hearing') && rng() < 0.4 ? 'hearing' : 'draft') : 'draft';
    if (!from.includes(withdrawFrom)) withdrawFrom = 'draft';
  }
  const withdraw = (day: string): Attempt => {
    push(day, { kind: 'action', transition: 'withdraw', inputs: { reason: pick(rng, words.withdrawReasons) } });
    return done();
  };
  if (withdrawFrom === 'draft') return withdraw(W(add(createDay, r(1, 15))));

  // ---------------------------------------------------------------- notice, statements, hearing
  let day = createDay;
  const starts: Partial<Record<ClockStart, string>> = {};
  if (has(list, 'notify')) {
    day = W(add(day, r(0, 5)));
    const method = rng() < 0.55 ? '直接送达' : pick(rng, serviceMethods);
    starts.notice_served = day;
    // The notice number is left to the engine (gap-free per department and year, in the order the steps run).
    push(day, { kind: 'action', transition: 'notify', inputs: { serviceMethod: method, noticeServedAt: day } });
    const noticeEnd = list.clocks.find((c) => c.id === 'notice_end' && c.from === 'notice_served');
    const noticeEndDate = noticeEnd ? cal.addPeriod(day, noticeEnd.period) : undefined;
    let last = day;
    const later = !['notified', 'hearing', 'withdrawn'].includes(target);
    if (target === 'notified' ? rng() < 0.6 : rng() < 0.35) {
      const sd = W(add(day, r(1, 4)));
      const content = pick(rng, words.statements);
      if (target === 'notified' && rng() < 0.5) {
        push(sd, { kind: 'action', transition: 'record-statement', inputs: { content, receivedOn: sd } });
        last = sd;
        flavours.push('statement-open');
      } else {
        // Answered later in a record of its own, or recorded together with its answer.
        const ad = W(add(sd, r(1, 3)));
        const { adopted, reason } = pick(rng, words.statementAnswers);
        if (rng() < 0.5) {
          push(sd, { kind: 'action', transition: 'record-statement', inputs: { content, receivedOn: sd } });
          push(ad, { kind: 'action', transition: 'record-statement', inputs: { adopted, answer: reason }, answersLastStatement: true });
        } else push(ad, { kind: 'action', transition: 'record-statement', inputs: { content, receivedOn: sd, adopted, answer: reason } });
        last = ad;
        flavours.push('statement-answered');
      }
    }
    const hearing = has(list, 'request-hearing') && (target === 'hearing' || withdrawFrom === 'hearing' || (later && rng() < 0.35));
    if (hearing) {
      const rd = W(add(last, r(0, 3)));
      push(rd, { kind: 'action', transition: 'request-hearing', inputs: { requestedOn: rd } });
      if (target === 'hearing') return done();
      if (withdrawFrom === 'hearing') return withdraw(W(add(rd, r(3, 15))));
      const held = W(add(rd, r(10, 25)));
      push(held, { kind: 'action', transition: 'close-hearing', inputs: { heldOn: held, summary: pick(rng, words.hearingSummaries) } });
      last = held;
      flavours.push('hearing-held');
    }
    if (target === 'notified') return done();
    if (withdrawFrom === 'notified') return withdraw(W(add(last, r(2, 20))));
    day = W(add(maxDate(noticeEndDate ? add(noticeEndDate, 1) : day, add(last, 1)), r(0, 12)));
  } else if (recognises) {
    day = W(add(day, r(0, 6)));
  }

  // ---------------------------------------------------------------- recognition and publication
  let decisionDate: string;
  if (recognises) {
    decisionDate = day;
    starts.decision = day;
    // The engine numbers the decision document; a list without one needs the number of its own decision.
    const numbered = list.procedure.recognise !== false && list.procedure.recognise.decision_document;
    push(day, { kind: 'action', transition: 'recognise', inputs: { decisionDate: day, ...(numbered ? {} : { decisionNo: docToken('recognise', '决', day) }) } });
    if (target === 'recognised') return done();
    if (target === 'revoked' && has(list, 'revoke', 'recognised') && rng() < 0.3) {
      flavours.push('revoked-before-publication');
      return revoke(W(add(day, r(3, 20))));
    }
  } else {
    decisionDate = basisDate;
    starts.decision = basisDate;
  }
  const publishClock = list.clocks.find((c) => c.id === 'publish_due');
  const publishDue = publishClock && starts[publishClock.from as ClockStart] ? cal.addPeriod(starts[publishClock.from as ClockStart] as string, publishClock.period) : undefined;
  let pubDay = W(add(day, r(0, 4)));
  if (publishDue && rng() < 0.08) {
    pubDay = W(add(maxDate(publishDue, day), r(1, 10)));
    flavours.push('published-late');
  } else if (publishDue && pubDay > publishDue && day <= publishDue) pubDay = W(day) <= publishDue ? W(day) : day;
  starts.published = pubDay;
  push(pubDay, { kind: 'action', transition: 'publish', inputs: recognises ? {} : { decisionNo: basis.number, decisionDate } });

  // ---------------------------------------------------------------- the clocks of the published entry
  const tier = tierOf(env.model, list, fields);
  let termEnd: string | undefined;
  if (list.term !== 'none') {
    const start = starts[list.term.from];
    const period = tier?.max ?? list.term.default ?? list.term.max;
    if (start && period) termEnd = cal.addPeriod(start, period);
  }
  // The last day the entry is certainly still published (the scheduler expires it the day after term end).
  const lastPublished = (end: string) => (termEnd ? minDate(termEnd, end) : end);
  const yesterday = add(env.today, -1);

  function revoke(d: string): Attempt {
    const kind = list.kind === 'red' ? 'red' : 'black';
    push(d, {
      kind: 'action',
      transition: 'revoke',
      inputs: {
        reason: pick(rng, words.revokeReasons[kind]),
        document: { number: docToken('revoke', '撤', d), date: add(d, -r(0, 5)), title: pick(rng, words.revokeDocumentTitles[kind]) },
      },
    });
    return done();
  }

  // Post-publication threads happen between `from` and `to` (inclusive), before the final step.
  const from = add(pubDay, 1);
  const materials = (ids: readonly string[]) => ids.map((type) => ({ type, note: `${env.model.platform.materials.find((m) => m.id === type)?.name ?? type}（已核验原件）` }));
  const repairMaterials = list.repair === false ? [] : materials(list.repair.requires);

  type Item = { date: string; op: Op };
  const threads: Item[][] = [];

  // Which early exit (if any) this entry takes, and whether a repair is undone later.
  const canRepair = list.repair !== false && has(list, 'repair');
  const early = usableEarlyExits(list);
  const roll = target === 'published' ? rng() : 1;
  const reinstateRepair = canRepair && has(list, 'reinstate', 'repaired') && roll < 0.05;
  const reinstateExit = !reinstateRepair && early.length > 0 && has(list, 'exit', 'published') && has(list, 'reinstate', 'exited') && roll < 0.1;
  const exitChoice = target === 'exited-early' || reinstateExit ? pick(rng, early) : undefined;

  // The subject's correction of its act, recorded when a clock counts from it (and now and then anyway).
  const repairFromCorrection = list.repair !== false && list.repair.from === 'corrected' && (target === 'repaired' || reinstateRepair);
  const needsCorrection = exitChoice?.from === 'corrected' || repairFromCorrection;
  if (has(list, 'record-correction') && (needsCorrection || (target === 'published' && rng() < 0.3))) {
    const correctedOn = add(pubDay, r(3, needsCorrection ? 60 : 150));
    const recordDay = W(add(correctedOn, r(0, 4)));
    if (recordDay <= lastPublished(yesterday)) {
      const required = exitChoice?.requires ?? (list.repair === false ? [] : list.repair.requires);
      threads.push([{ date: recordDay, op: { kind: 'action', transition: 'record-correction', inputs: { correctedOn, materials: materials(required), note: pick(rng, words.correctionNotes) } } }]);
      starts.corrected = correctedOn;
      flavours.push('correction-recorded');
    } else if (needsCorrection) return { ok: false, why: 'correction after now or the term' };
  }
  let minEnd: string | undefined;
  if (list.repair !== false) {
    if (list.repair.min_published) minEnd = cal.addPeriod(starts[list.repair.from] ?? pubDay, list.repair.min_published);
    else if (tier?.min && list.term !== 'none') minEnd = cal.addPeriod(starts[list.term.from] ?? decisionDate, tier.min);
  }

  let objectionKey = 0;
  const objectionThread = (a: string, b: string, answered: boolean): boolean => {
    if (list.objection === false || b < a) return false;
    const d = add(a, r(0, daysBetween(a, b)));
    const key = objectionKey++;
    const items: Item[] = [{ date: d, op: { kind: 'file-objection', key, body: { content: pick(rng, words.objectionContents), contact: words.contact(rng) } } }];
    if (answered) {
      const ad = W(add(d, r(1, 6)));
      if (ad > b) return false;
      let result: 'corrected' | 'upheld' | 'rejected' = pick(rng, ['upheld', 'upheld', 'rejected', 'corrected', 'corrected'] as const);
      const patch = result === 'corrected' ? correctionPatch(list, fields, rng) : undefined;
      if (result === 'corrected' && !patch) result = 'upheld';
      items.push({ date: ad, op: { kind: 'answer-objection', key, result, answer: pick(rng, words.objectionAnswers[result]), ...(patch ? { fields: patch } : {}) } });
      flavours.push(`objection-${result}`);
    } else flavours.push('objection-open');
    threads.push(items);
    return true;
  };
  const repairFlow = (start: string, outcome: 'applied' | 'accepted' | 'refused' | 'rejected' | 'approved'): { items: Item[]; end: string } => {
    const apply = W(start);
    const items: Item[] = [];
    const mats = outcome === 'refused' && repairMaterials.length > 1 ? repairMaterials.slice(1) : repairMaterials;
    items.push({ date: apply, op: { kind: 'apply-repair', body: { application: { reason: pick(rng, words.repairReasons), contact: words.contact(rng) }, materials: mats } } });
    let end = apply;
    if (outcome === 'applied') return { items, end };
    const accepted = W(add(apply, r(0, 3)));
    end = accepted;
    if (outcome === 'refused') {
      items.push({ date: accepted, op: { kind: 'decide-repair', decision: 'refuse', reason: pick(rng, words.repairRefusals) } });
      return { items, end };
    }
    items.push({ date: accepted, op: { kind: 'decide-repair', decision: 'accept' } });
    if (outcome === 'accepted') return { items, end };
    const decided = W(add(accepted, r(1, 7)));
    end = decided;
    if (outcome === 'rejected') items.push({ date: decided, op: { kind: 'decide-repair', decision: 'reject', reason: pick(rng, words.repairRejections) } });
    else items.push({ date: decided, op: { kind: 'action', transition: 'repair', inputs: {}, approvesRepair: true } });
    return { items, end };
  };
  const flush = () => {
    const all = threads.flatMap((items, t) => items.map((it, i) => ({ ...it, t, i })));
    all.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.t - b.t || a.i - b.i));
    for (const it of all) push(it.date, it.op);
  };
  const sprinkleObjections = (to: string, p: number) => {
    if (rng() < p) objectionThread(from, add(to, -8), true);
  };

  switch (target) {
    case 'published': {
      if (termEnd && termEnd < env.today) return { ok: false, why: `${list.id}/published: the term would have ended` };
      const to = yesterday;
      if (reinstateRepair) {
        const flow = repairFlow(add(maxDate(minEnd ?? from, from), r(3, 40)), 'approved');
        const back = W(add(flow.end, r(20, 90)));
        if (back > to) return { ok: false, why: 'reinstate after now' };
        threads.push(flow.items);
        flush();
        push(back, { kind: 'action', transition: 'reinstate', inputs: { reason: pick(rng, words.reinstateReasons), document: { number: docToken('reinstate', '恢', back), date: back, title: '撤销信用修复决定书' } } });
        flavours.push('repaired-then-reinstated');
        return done();
      }
      if (reinstateExit && exitChoice) {
        const e = exitChoice;
        const start = starts[e.from];
        if (!start) return { ok: false, why: 'no early-exit start' };
        const exitDay = W(add(cal.addPeriod(start, e.after), r(0, 30)));
        const back = W(add(exitDay, r(20, 90)));
        if (back > to) return { ok: false, why: 'reinstate after now' };
        flush();
        push(exitDay, { kind: 'action', transition: 'exit', inputs: { condition: e.id, materials: materials(e.requires), reason: pick(rng, words.exitReasons) } });
        push(back, { kind: 'action', transition: 'reinstate', inputs: { reason: '经查，提前移出所依据的整改材料系伪造，恢复列入。', document: { number: docToken('reinstate', '恢', back), date: back, title: '恢复列入决定书' } } });
        flavours.push('exited-then-reinstated');
        return done();
      }
      sprinkleObjections(to, 0.3);
      const o = rng();
      if (o < 0.08) objectionThread(maxDate(from, add(env.today, -2)), to, false);
      else if (o < 0.12) objectionThread(maxDate(from, add(env.today, -25)), add(env.today, -10), false);
      if (canRepair) {
        const k = rng();
        const repairFrom = maxDate(minEnd ?? from, from);
        if (k < 0.1 && repairFrom <= add(env.today, -2)) {
          threads.push(repairFlow(cal.addWorkingDays(env.today, -r(1, 2)), 'applied').items);
          flavours.push('repair-applied');
        } else if (k < 0.18 && repairFrom <= add(env.today, -8)) {
          threads.push(repairFlow(cal.addWorkingDays(env.today, -r(4, 6)), 'accepted').items);
          flavours.push('repair-accepted');
        } else if (k < 0.26 && repairFrom <= add(env.today, -20)) {
          const flow = repairFlow(add(repairFrom, r(1, daysBetween(repairFrom, add(env.today, -20)))), 'refused');
          threads.push(flow.items);
          flavours.push('repair-refused');
        } else if (k < 0.32 && repairFrom <= add(env.today, -25)) {
          const flow = repairFlow(add(repairFrom, r(1, daysBetween(repairFrom, add(env.today, -25)))), 'rejected');
          threads.push(flow.items);
          flavours.push('repair-rejected');
        }
      }
      flush();
      return done();
    }
    case 'exited-expired': {
      if (!termEnd) return { ok: false, why: `${list.id}: no term end` };
      const expireDay = add(termEnd, 1);
      if (expireDay >= env.today) return { ok: false, why: 'expiry after now' };
      sprinkleObjections(termEnd, 0.2);
      flush();
      push(expireDay, { kind: 'action', transition: 'expire', inputs: {}, system: true }, 'night');
      return done();
    }
    case 'exited-early': {
      const e = exitChoice;
      if (!e) return { ok: false, why: 'no early exit' };
      const start = starts[e.from];
      if (!start) return { ok: false, why: 'no early-exit start' };
      const exitDay = W(add(cal.addPeriod(start, e.after), r(0, 60)));
      if (exitDay > lastPublished(yesterday)) return { ok: false, why: 'early exit after now or the term' };
      sprinkleObjections(exitDay, 0.2);
      flush();
      push(exitDay, { kind: 'action', transition: 'exit', inputs: { condition: e.id, materials: materials(e.requires), reason: pick(rng, words.exitReasons) } });
      flavours.push(`early:${e.id}`);
      return done();
    }
    case 'exited-term-end': {
      if (!termEnd) return { ok: false, why: 'no term end' };
      const exitDay = W(add(termEnd, r(1, 10)));
      if (exitDay > yesterday) return { ok: false, why: 'term-end exit after now' };
      sprinkleObjections(termEnd, 0.2);
      flush();
      push(exitDay, { kind: 'action', transition: 'exit', inputs: { condition: 'term-end', materials: [] } });
      return done();
    }
    case 'repaired': {
      let start = add(maxDate(minEnd ?? from, from), r(3, 60));
      if (rng() < 0.3) {
        const first = repairFlow(start, 'refused');
        threads.push(first.items);
        flavours.push('repair-refused-first');
        start = add(first.end, r(10, 40));
      }
      const flow = repairFlow(start, 'approved');
      if (flow.end > lastPublished(yesterday)) return { ok: false, why: 'repair after now or the term' };
      sprinkleObjections(start, 0.2);
      threads.push(flow.items);
      flush();
      return done();
    }
    case 'revoked': {
      const d = W(add(pubDay, r(5, 200)));
      if (d > lastPublished(yesterday)) return { ok: false, why: 'revocation after now or the term' };
      sprinkleObjections(d, 0.2);
      flush();
      return revoke(d);
    }
    default:
      return { ok: false, why: `unexpected target ${target}` };
  }
}

// ---------------------------------------------------------------- subjects

const KIND_WEIGHTS: Record<SubjectKind, number> = { legal_person: 0.68, individual_business: 0.12, other_org: 0.05, natural_person: 0.15 };

export type SubjectPool = { used: Set<string>; byKind: Map<SubjectKind, GeneratedSubject[]>; onList: Map<string, Set<string>> };
export const newSubjectPool = (): SubjectPool => ({ used: new Set(), byKind: new Map(), onList: new Map() });

/** A subject of a kind the list takes: sometimes one already on another list (one subject, many lists). */
export function chooseSubject(rng: Rng, list: CompiledList, pool: SubjectPool, topic: words.Topic): { subject: GeneratedSubject; related: (GeneratedSubject & { role: string })[] } {
  const kinds = list.subject_kinds;
  const total = kinds.reduce((s, k) => s + KIND_WEIGHTS[k], 0);
  let x = rng() * total;
  let kind = kinds[0] as SubjectKind;
  for (const k of kinds) {
    x -= KIND_WEIGHTS[k];
    if (x < 0) {
      kind = k;
      break;
    }
  }
  const onList = pool.onList.get(list.id) ?? new Set<string>();
  pool.onList.set(list.id, onList);
  let subject: GeneratedSubject | undefined;
  const known = (pool.byKind.get(kind) ?? []).filter((s) => !onList.has(s.code));
  if (known.length && rng() < 0.12) subject = pick(rng, known);
  else {
    // Mostly enterprises (category 91); now and then a public institution or a cooperative, never a government organ.
    const unusual = (code: string) => kind === 'legal_person' && !code.startsWith('91') && (code.startsWith('11') || rng() < 0.9);
    do subject = makeSubject(rng, kind);
    while (pool.used.has(subject.code) || unusual(subject.code));
    if (kind === 'legal_person') subject = { ...subject, name: words.legalPersonName(rng, topic, subject.code) };
    pool.used.add(subject.code);
    pool.byKind.set(kind, [...(pool.byKind.get(kind) ?? []), subject]);
  }
  onList.add(subject.code);
  const related: (GeneratedSubject & { role: string })[] = [];
  if ((kind === 'legal_person' || kind === 'other_org') && rng() < 0.4) {
    let person: GeneratedSubject;
    do person = makeSubject(rng, 'natural_person');
    while (pool.used.has(person.code));
    pool.used.add(person.code);
    related.push({ ...person, role: '法定代表人' });
  }
  return { subject, related };
}

export type Planned = { plans: EntryPlan[]; skipped: string[]; unreachable: Record<string, string[]> };

/** Plans `count` entries over every list type (records a little more often than lists). */
export function planAll(env: PlanEnv, rng: Rng, count: number): Planned {
  const lists = env.model.lists.filter((l) => l.status !== 'retired' && env.departments(l).length > 0);
  const weight = (l: CompiledList) => (l.category === 'record' ? 1.3 : 1);
  const totalWeight = lists.reduce((s, l) => s + weight(l), 0);
  const pool = newSubjectPool();
  const plans: EntryPlan[] = [];
  const skipped: string[] = [];
  const unreachable: Record<string, string[]> = {};
  let index = 0;
  for (const list of lists) {
    const n = Math.max(4, Math.round((count * weight(list)) / totalWeight));
    const { targets, unreachable: missing } = targetsOf(env, list);
    if (missing.length) unreachable[list.id] = missing;
    const counts = allocate(targets, n);
    const depts = env.departments(list);
    const topic = words.topicOf(`${list.name} ${env.model.department(list.department)?.name ?? ''}`);
    for (const info of targets) {
      for (let i = 0; i < (counts.get(info.target) ?? 0); i++) {
        const department = depts.length > 1 && rng() < 0.2 ? pick(rng, depts.slice(1)) : (depts[0] as string);
        const { subject, related } = chooseSubject(rng, list, pool, topic);
        const spec: EntrySpec = { index, list, department, target: info.target, backdated: info.backdated, subject, related, topic };
        const planned = planEntry(env, spec, rng);
        if ('error' in planned) {
          skipped.push(`${list.id}/${info.target}: ${planned.error}`);
          continue;
        }
        plans.push({ index: index++, list, department, target: info.target, flavours: planned.flavours, steps: planned.steps });
      }
    }
  }
  return { plans, skipped, unreachable };
}
