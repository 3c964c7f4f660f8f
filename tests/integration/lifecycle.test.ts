/**
 * Every demo list type through its whole lifecycle over HTTP, generically:
 * bodies come from each list's declared fields, transitions from its compiled
 * graph, roles from its permissions and due dates from its clocks, so a new
 * list type in config/lists is covered without new test code.
 *
 * Per list type, on one timeline (the manual clock is reset to the same
 * Monday for each list type):
 *   draft → … → published (with the wrong role refused at every step, the
 *   notice period and unanswered statements guarding recognition, a hearing
 *   where the list has one), objections (corrected with fields, upheld,
 *   rejected), revoke (from recognised and from published, with a document),
 *   withdraw (from every state that allows it), repair (refused, rejected,
 *   blocked before the minimum period, missing materials, approved via the
 *   entry action `repair`, reinstated), early exit (before its date, without
 *   its materials, then done, then reinstated), and automatic expiry by the
 *   scheduler after the term. Record types take the draft → publish path with
 *   the decision as inputs and a term per severity tier; a tier that is not
 *   published is refused with 409 NOT_PUBLISHABLE.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledList } from '../../api/src/config/compile.ts';
import { loadRuntimeModel } from '../../api/src/config/compile.ts';
import type { Period } from '../../api/src/config/schema.ts';
import { queryRows } from '../../api/src/db/client.ts';
import { runScheduledJobs } from '../../api/src/jobs/scheduler.ts';
import { inputDescriptors, type TransitionId } from '../../api/src/procedures/inputs.ts';
import { createRng, type Rng } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';
import {
  actorFor,
  as,
  correctionFor,
  draftBody,
  eventSeqs,
  expectedDue,
  inputsFor,
  isGapFree,
  materials,
  morningOf,
  routeToPublished,
  setClock,
  type Starts,
  startOfClock,
  tierField,
  wrongActorFor,
} from '../support/procedure.ts';

const model = await loadRuntimeModel(demoConfig);
const START = '2026-11-02'; // a Monday

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(demoConfig);
});
afterAll(() => t?.close());

const today = () => t.clock.today();
const calendar = () => t.app.services.engine.calendar;
const addDays = (date: string, n: number) => calendar().addDays(date, n);
/** The inputs a transition requires, as the engine describes them to the admin. */
const requiredInputs = (id: TransitionId) => inputDescriptors[id].filter((d) => d.required).map((d) => d.key).sort();
const has = (list: CompiledList, id: string, from?: string) => list.graph.transitions.some((tr) => tr.id === id && (from === undefined || tr.from === from));

/** One entry as the test tracks it: version, the clock starts reached, and the due dates they should give. */
class Tracked {
  id = '';
  version = 0;
  status = '';
  fields: Record<string, unknown> = {};
  starts: Starts = {};
  term?: Period;
  last: Record<string, unknown> & { due?: Record<string, string> } = {};
  constructor(
    readonly list: CompiledList,
    readonly name: string,
  ) {}
  get url() {
    return `/api/lists/${this.list.id}/entries/${this.id}`;
  }

  async create(rng: Rng, overrides: Record<string, unknown> = {}) {
    const body = draftBody(this.list, rng, today(), overrides);
    const res = await t.json('POST', `/api/lists/${this.list.id}/entries`, await as(t, actorFor(model, this.list, 'create')), body);
    expect(res.status, `${this.name}: create ${JSON.stringify(res.body)}`).toBe(201);
    expect(res.body).toMatchObject({ status: 'draft', version: 1, department: this.list.department });
    Object.assign(this, { id: res.body.id, version: 1, status: 'draft', fields: res.body.fields, last: res.body });
    return this;
  }

  /** Takes a transition as the role that holds it; the wrong role (if the list has one) is refused first. */
  /** `starts`: the clock starts the transition reaches when it succeeds. */
  async act(id: string, inputs: Record<string, unknown>, expected: number | string = 200, starts: Starts = {}) {
    const wrong = wrongActorFor(model, this.list, this.list.graph.transitions.find((tr) => tr.id === id)?.action ?? id);
    if (wrong && expected === 200) {
      const refused = await t.json('POST', `${this.url}/actions/${id}`, await as(t, wrong), { version: this.version, ...inputs });
      expect(refused.status, `${this.name}: ${id} as ${wrong}`).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    const res = await this.raw(id, inputs);
    if (typeof expected === 'number') {
      expect(res.status, `${this.name}: ${id} ${JSON.stringify(res.body)}`).toBe(expected);
    } else {
      expect(res.body?.error?.code, `${this.name}: ${id} ${JSON.stringify(res.body)}`).toBe(expected);
    }
    if (res.status === 200) {
      Object.assign(this.starts, starts);
      this.took(id, res.body);
    }
    return res;
  }

  raw(id: string, inputs: Record<string, unknown>, username = actorFor(model, this.list, this.list.graph.transitions.find((tr) => tr.id === id)?.action ?? id)) {
    return as(t, username).then((h) => t.json('POST', `${this.url}/actions/${id}`, h, { version: this.version, ...inputs }));
  }

  /** Records a successful transition and checks the entry's state, version and due dates against the config. */
  took(id: string, body: Record<string, unknown> & { due: Record<string, string> }) {
    const tr = this.list.graph.transitions.find((x) => x.id === id && x.from === this.status);
    expect(tr, `${this.name}: ${id} from ${this.status}`).toBeDefined();
    expect(body.status).toBe(tr?.to);
    expect(body.version).toBe(this.version + 1);
    this.version = body.version as number;
    this.status = body.status as string;
    this.fields = body.fields as Record<string, unknown>;
    this.last = body;
    this.checkDue();
  }

  checkDue() {
    const due = this.last.due ?? {};
    // soft: a wrong due date is reported, and the walk goes on to show what the entry then allows
    expect.soft(due, `${this.name}: due dates in ${this.status}`).toEqual(expectedDue(calendar(), model, this.list, this.starts, this.fields, this.term));
    const body = this.last as Record<string, string | null>;
    const startDates: Record<string, string | null | undefined> = {
      notice_served: body.noticeServedAt,
      decision: body.decisionDate,
      published: body.publishedAt,
      corrected: this.starts.corrected,
    };
    for (const [clock, date] of Object.entries(due)) {
      const from = startOfClock(this.list, clock);
      const start = from ? startDates[from] : undefined;
      if (start) expect(date >= start, `${this.name}: ${clock} ${date} is before its start ${from} ${start}`).toBe(true);
    }
  }

  async detail() {
    const res = await t.json('GET', this.url, await as(t, actorFor(model, this.list, 'view')));
    expect(res.status).toBe(200);
    return res.body;
  }

  async refresh() {
    const body = await this.detail();
    this.version = body.version;
    this.status = body.status;
    this.fields = body.fields;
    this.last = body;
    return body;
  }

  async expectGapFree() {
    const seqs = await eventSeqs(t.db, this.id);
    expect(isGapFree(seqs), `${this.name}: event seqs ${seqs.join(',')}`).toBe(true);
    return seqs;
  }
}

/** Walks the entries to published along the list's graph, with the notice and statement guards on the first one. */
async function walkToPublished(list: CompiledList, rng: Rng, entries: Tracked[], stopAt?: { entry: Tracked; state: string }) {
  for (const tr of routeToPublished(list)) {
    for (const e of entries) {
      if (e.status !== tr.from) continue;
      if (stopAt?.entry === e && stopAt.state === tr.from) continue;
      const first = e === entries[0];
      if (tr.id === 'notify') {
        await e.act('notify', inputsFor(list, 'notify', today(), rng), 200, { notice_served: today() });
        if (first && has(list, 'request-hearing')) {
          await e.act('request-hearing', inputsFor(list, 'request-hearing', today(), rng));
          expect((await e.raw('recognise', inputsFor(list, 'recognise', today(), rng))).body.error.code).toBe('ACTION_NOT_ALLOWED_IN_STATE');
          await e.act('close-hearing', inputsFor(list, 'close-hearing', today(), rng));
        }
        if (first) {
          await e.act('recognise', inputsFor(list, 'recognise', today(), rng), 'NOTICE_PERIOD_NOT_OVER');
          await e.act('record-statement', inputsFor(list, 'record-statement', today(), rng));
        }
        continue;
      }
      if (tr.id === 'recognise') {
        const noticeEnd = e.last.due?.notice_end;
        if (noticeEnd && today() <= noticeEnd) {
          // the statement period is over the day after its last day
          await setClock(t, morningOf(addDays(noticeEnd, 1)));
        }
        if (first && list.procedure.notice !== false) {
          await e.act('recognise', inputsFor(list, 'recognise', today(), rng), 'STATEMENTS_UNANSWERED');
          const seqs = await e.expectGapFree();
          const statement = (await e.detail()).events.find((ev: { action: string; data: { content?: string } }) => ev.action === 'record-statement' && ev.data.content);
          expect(statement).toBeDefined();
          await e.act('record-statement', { answersSeq: statement.seq, adopted: false, answer: '陈述理由不成立。' });
          expect(seqs.length).toBeGreaterThan(0);
        }
        if (first) {
          const missing = await e.raw('recognise', {});
          expect(missing.status).toBe(422);
          expect(missing.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(requiredInputs('recognise'));
          const future = await e.raw('recognise', inputsFor(list, 'recognise', today(), rng, { decisionDate: addDays(today(), 1) }));
          expect(future.body.error.code).toBe('DATE_IN_FUTURE');
        }
        // the first entry leaves the decision number to the engine where the list issues a decision document
        const numbered = first && list.procedure.recognise !== false && list.procedure.recognise.decision_document;
        const { decisionNo: _no, ...unnumbered } = inputsFor(list, 'recognise', today(), rng, e.term ? { term: e.term } : {});
        if (first && !numbered) {
          const refused = await e.raw('recognise', unnumbered);
          expect(refused.status).toBe(422);
          expect(refused.body.error.details.map((d: { path: string }) => d.path)).toEqual(['decisionNo']);
        }
        await e.act('recognise', numbered ? unnumbered : inputsFor(list, 'recognise', today(), rng, e.term ? { term: e.term } : {}), 200, { decision: today() });
        if (numbered) expect(e.last.decisionNo).toMatch(new RegExp(`〔${today().slice(0, 4)}〕[1-9][0-9]*号$`));
        expect(e.last.decisionDate).toBe(today());
        continue;
      }
      if (tr.id === 'publish') {
        if (list.procedure.recognise === false && first) {
          const missing = await e.raw('publish', {});
          expect(missing.status).toBe(422);
          expect(missing.body.error.code).toBe('DECISION_REQUIRED');
        }
        if (list.procedure.recognise === false) {
          await e.act('publish', inputsFor(list, 'publish', today(), rng), 200, { decision: today(), published: today() });
        } else {
          await e.act('publish', {}, 200, { published: today() });
        }
        expect(e.last.publishedAt).toBe(today());
        continue;
      }
      await e.act(tr.id, inputsFor(list, tr.id, today(), rng));
    }
  }
}

for (const list of model.lists) {
  const rng = createRng(`lifecycle:${list.id}`);
  const tier = tierField(list);
  const tiers = list.term !== 'none' && list.term.by_severity ? (model.platform.publication_regimes.find((r) => r.id === (list.term as { by_severity: { regime: string } }).by_severity.regime)?.tiers ?? []) : [];
  const publishable = tiers.filter((x) => x.publish);
  /** The tier of the main entry: the one with the shortest minimum period, so that repair comes soonest. */
  const mainTier = publishable.find((x) => x.min) ?? publishable[0];
  const fieldsOf = (tierName?: string) => (tier && tierName ? { [tier]: tierName } : {});
  const early = list.exit.early[0];
  const earlyExit = !!early && has(list, 'exit');

  describe(`${list.id} (${list.category}, ${list.graph.states.length} states)`, () => {
    const main = new Tracked(list, 'main');
    const exiting = new Tracked(list, 'early-exit');
    const revokedPublished = new Tracked(list, 'revoke-published');
    const revokedRecognised = new Tracked(list, 'revoke-recognised');
    const expiring = publishable.length ? publishable.map((x) => new Tracked(list, `expire-${x.id}`)) : [new Tracked(list, 'expire')];
    const all = () => [main, exiting, revokedPublished, revokedRecognised, ...expiring].filter((e) => e.id);

    it('walks draft → published with the right roles, guards and due dates', async () => {
      await setClock(t, morningOf(START));
      await main.create(rng, fieldsOf(mainTier?.name));
      if (earlyExit) await exiting.create(rng);
      if (has(list, 'revoke', 'published')) await revokedPublished.create(rng, fieldsOf(mainTier?.name));
      if (has(list, 'revoke', 'recognised')) {
        await revokedRecognised.create(rng);
        if (list.term !== 'none' && !list.term.by_severity) revokedRecognised.term = { years: 2 };
      }
      if (has(list, 'expire')) for (const [i, e] of expiring.entries()) await e.create(rng, fieldsOf(publishable[i]?.name));
      await walkToPublished(list, rng, all(), { entry: revokedRecognised, state: 'recognised' });
      for (const e of all()) {
        expect(e.status, e.name).toBe(e === revokedRecognised ? 'recognised' : 'published');
        expect(list.graph.states.map((s) => s.id)).toContain(e.status);
        const body = await e.detail();
        const actions = body.events.map((ev: { action: string }) => ev.action);
        expect(actions[0]).toBe('create');
        expect(actions).toContain(e === revokedRecognised ? (has(list, 'recognise') ? 'recognise' : 'create') : 'publish');
        await e.expectGapFree();
      }
      // Operators and reviewers of other departments do not see the list; district units do not see the city's entries.
      const outsider = model.departments.find((d) => d.code !== list.department && !model.departments.some((x) => x.parent === d.code) && d.parent !== list.department);
      if (outsider) expect((await t.json('GET', main.url, await as(t, `${outsider.code}-operator`))).status).toBe(403);
      const district = model.departments.find((d) => d.parent === list.department);
      if (district) expect((await t.json('GET', main.url, await as(t, `${district.code}-reviewer`))).status).toBe(404);
    });

    if (tiers.some((x) => !x.publish)) it('refuses to publish a tier that is not published (409 NOT_PUBLISHABLE)', async () => {
      for (const x of tiers.filter((y) => !y.publish)) {
        const e = await new Tracked(list, `tier-${x.id}`).create(rng, fieldsOf(x.name));
        const res = await e.act('publish', inputsFor(list, 'publish', today(), rng), 409);
        expect(res.body.error.code).toBe('NOT_PUBLISHABLE');
        expect((await e.refresh()).status).toBe('draft');
        expect(await e.expectGapFree()).toEqual([1]);
      }
    });

    if (list.objection !== false) it('handles objections: corrected with fields, upheld, rejected', async () => {
      const reviewer = await as(t, actorFor(model, list, 'answer-objection'));
      const objections = `${main.url}/objections`;
      const wrong = wrongActorFor(model, list, 'answer-objection');
      if (wrong) expect((await t.json('POST', objections, await as(t, wrong), { content: '信息有误。' })).status).toBe(403);
      const filed = [];
      for (const content of ['处罚金额登记有误。', '当事人名称有误。', '认为不应列入。']) {
        const res = await t.json('POST', objections, reviewer, { content, contact: { name: '张三', phone: '13800000000' } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body).toMatchObject({ status: 'received', version: 1, dueAt: calendar().addPeriod(today(), (list.objection as { answer_within: Period }).answer_within) });
        filed.push(res.body);
      }
      const [corrected, upheld, rejected] = filed;
      const patch = correctionFor(list, main.fields, rng, today());

      const noFields = await t.json('POST', `${objections}/${corrected.id}/answer`, reviewer, { version: 1, result: 'corrected', answer: '予以更正。' });
      expect(noFields.status).toBe(422);
      const stale = await t.json('POST', `${objections}/${corrected.id}/answer`, reviewer, { version: 1, result: 'corrected', answer: '予以更正。', fields: patch, entryVersion: main.version - 1 });
      expect(stale.body.error.code).toBe('VERSION_CONFLICT');
      const answered = await t.json('POST', `${objections}/${corrected.id}/answer`, reviewer, { version: 1, result: 'corrected', answer: '经核实予以更正。', fields: patch, entryVersion: main.version });
      expect(answered.status, JSON.stringify(answered.body)).toBe(200);
      expect(answered.body).toMatchObject({ status: 'answered', result: 'corrected', version: 2 });
      const before = main.version;
      const body = await main.refresh();
      expect(body.version).toBe(before + 1);
      expect(body.status).toBe('published');
      expect(body.fields).toMatchObject(patch);
      // The subject's own correction of its act (not this correction of information) starts the clocks counted from `corrected`.
      if (list.graph.transitions.some((tr) => tr.id === 'record-correction')) {
        await main.act('record-correction', { correctedOn: today(), materials: [] }, 200, { corrected: today() });
      }
      const tail = body.events.slice(-2).map((ev: { action: string }) => ev.action);
      expect(tail).toEqual(['correct', 'objection-answered']);
      main.checkDue();

      for (const [o, result] of [[upheld, 'upheld'], [rejected, 'rejected']] as const) {
        const res = await t.json('POST', `${objections}/${o.id}/answer`, reviewer, { version: 1, result, answer: '经核实，原信息无误。' });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'answered', result });
      }
      const again = await t.json('POST', `${objections}/${upheld.id}/answer`, reviewer, { version: 2, result: 'rejected', answer: '再次答复。' });
      expect(again.body.error.code).toBe('ALREADY_ANSWERED');
      const corrections = list.graph.transitions.some((tr) => tr.id === 'record-correction') ? 1 : 0;
      expect((await main.refresh()).version).toBe(before + 1 + corrections);
      expect((await main.detail()).objections.map((o: { result: string }) => o.result).sort()).toEqual(['corrected', 'rejected', 'upheld']);
      await main.expectGapFree();
    });

    if (has(list, 'revoke')) it('revokes with a document, from every state that allows it', async () => {
      for (const e of [revokedRecognised, revokedPublished].filter((x) => x.id)) {
        const missing = await e.raw('revoke', { reason: '依据被撤销。' });
        expect(missing.status).toBe(422);
        expect(missing.body.error.details.map((d: { path: string }) => d.path)).toContain('document');
        await e.act('revoke', inputsFor(list, 'revoke', today(), rng));
        expect(e.last).toMatchObject({ status: 'revoked', exitReason: 'revoked', exitedAt: today() });
        const after = await e.raw('revoke', inputsFor(list, 'revoke', today(), rng));
        expect(after.body.error.code).toBe('ACTION_NOT_ALLOWED_IN_STATE');
        if (list.objection !== false) {
          const objection = await t.json('POST', `${e.url}/objections`, await as(t, actorFor(model, list, 'answer-objection')), { content: '异议。' });
          expect(objection.body.error.code).toBe('NOT_PUBLISHED');
        }
        await e.expectGapFree();
      }
    });

    it('withdraws drafts and entries under notice', async () => {
      const from = list.graph.transitions.filter((tr) => tr.id === 'withdraw').map((tr) => tr.from);
      for (const state of from) {
        const e = await new Tracked(list, `withdraw-${state}`).create(rng);
        if (state === 'notified' || state === 'hearing') await e.act('notify', inputsFor(list, 'notify', today(), rng), 200, { notice_served: today() });
        if (state === 'hearing') await e.act('request-hearing', inputsFor(list, 'request-hearing', today(), rng));
        expect(e.status).toBe(state);
        expect((await e.raw('withdraw', {})).status).toBe(422);
        await e.act('withdraw', inputsFor(list, 'withdraw', today(), rng));
        expect(e.status).toBe('withdrawn');
        const next = list.graph.transitions.find((tr) => tr.id !== 'withdraw' && tr.from === state);
        if (next) expect((await e.raw(next.id, inputsFor(list, next.id, today(), rng))).body.error.code).toBe('ACTION_NOT_ALLOWED_IN_STATE');
        await e.expectGapFree();
      }
    });

    if (has(list, 'repair')) it('repairs: refused, rejected, blocked before the minimum period, missing materials, approved, reinstated', async () => {
      const repair = list.repair as Exclude<CompiledList['repair'], false>;
      const reviewer = await as(t, actorFor(model, list, 'repair'));
      const repairs = `${main.url}/repairs`;
      const apply = async (types: readonly string[]) => {
        const res = await t.json('POST', repairs, reviewer, { application: { reason: '已履行义务并纠正失信行为，申请信用修复。' }, materials: materials(types) });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body).toMatchObject({ status: 'applied', acceptDue: calendar().addPeriod(today(), repair.accept_within), decideDue: calendar().addPeriod(today(), repair.decide_within) });
        return res.body as { id: string; version: number };
      };
      const decide = async (r: { id: string }, decision: string, version: number, body: Record<string, unknown> = {}, status = 200) => {
        const res = await t.json('POST', `${repairs}/${r.id}/${decision}`, reviewer, { version, ...body });
        expect(res.status, `${decision} ${JSON.stringify(res.body)}`).toBe(status);
        return res;
      };
      const wrong = wrongActorFor(model, list, 'repair');
      if (wrong) expect((await t.json('POST', repairs, await as(t, wrong), { application: { reason: '申请修复。' }, materials: [] })).status).toBe(403);

      // refused (不予受理), then rejected after acceptance (不予修复)
      const refused = await apply(repair.requires);
      expect((await t.json('POST', repairs, reviewer, { application: { reason: '再次申请。' }, materials: [] })).body.error.code).toBe('REPAIR_PENDING');
      expect((await decide(refused, 'refuse', 1, {}, 422)).body.error.code).toBe('VALIDATION_FAILED');
      expect((await decide(refused, 'refuse', 1, { reason: '材料不齐全。' })).body.status).toBe('refused');
      const rejected = await apply(repair.requires);
      expect((await decide(rejected, 'reject', 1, { reason: '尚未纠正。' }, 409)).body.error.code).toBe('ACTION_NOT_ALLOWED_IN_STATE');
      await decide(rejected, 'accept', 1);
      expect((await decide(rejected, 'accept', 2, {}, 409)).body.error.code).toBe('ACTION_NOT_ALLOWED_IN_STATE');
      expect((await decide(rejected, 'reject', 2, { reason: '尚未纠正失信行为。' })).body.status).toBe('rejected');

      // an accepted application without all materials
      const partial = repair.requires.length ? await apply(repair.requires.slice(1)) : undefined;
      if (partial) await decide(partial, 'accept', 1);
      // the minimum period as the config gives it (the entry's own due date is checked against it too)
      const minEnd = expectedDue(calendar(), model, list, main.starts, main.fields).min_period_end;
      expect.soft(main.last.due?.min_period_end, 'the entry shows the minimum period of its config').toBe(minEnd);
      if (minEnd) {
        await setClock(t, morningOf(addDays(minEnd, -1)));
        const early = await main.raw('repair', { repairId: (partial ?? rejected).id });
        expect(early.status, JSON.stringify(early.body)).toBe(409);
        expect(early.body.error.code).toBe('MIN_PERIOD_NOT_OVER');
        await setClock(t, morningOf(minEnd));
      }
      expect((await main.raw('repair', { repairId: rejected.id })).body.error.code).toBe('REPAIR_NOT_ACCEPTED');
      if (partial) {
        const missing = await main.raw('repair', { repairId: partial.id });
        expect(missing.status, JSON.stringify(missing.body)).toBe(422);
        expect(missing.body.error.code).toBe('MATERIALS_MISSING');
        expect(missing.body.error.details.map((d: { code: string }) => d.code)).toEqual([repair.requires[0]]);
        await decide(partial, 'reject', 2, { reason: '缺少材料。' });
      }

      // approved: the entry action `repair` with the accepted application
      const approved = await apply(repair.requires);
      await decide(approved, 'accept', 1);
      await main.act('repair', { repairId: approved.id });
      expect(main.last).toMatchObject({ status: 'repaired', exitReason: 'repaired', exitedAt: today() });
      const rows = (await main.detail()).repairs as { id: string; status: string; result: string | null }[];
      expect(rows.find((r) => r.id === approved.id)).toMatchObject({ status: 'approved', result: 'approved' });
      expect(rows.map((r) => r.status).sort()).toEqual(['approved', 'refused', 'rejected', ...(partial ? ['rejected'] : [])].sort());

      // reinstated (the repair was obtained by fraud)
      if (has(list, 'reinstate', 'repaired')) {
        expect((await main.raw('reinstate', { reason: '恢复。' })).status).toBe(422);
        await main.act('reinstate', inputsFor(list, 'reinstate', today(), rng));
        expect(main.last).toMatchObject({ status: 'published', exitReason: null, exitedAt: null });
      }
      const events = (await main.detail()).events.map((ev: { action: string }) => ev.action);
      expect(events).toEqual(expect.arrayContaining(['repair-applied', 'repair-refuse', 'repair-accept', 'repair-reject', 'repair']));
      await main.expectGapFree();
    });

    if (earlyExit) it('exits early after its period with its materials, and is reinstated', async () => {
      const e = exiting;
      if (early?.from === 'corrected') {
        // this early exit counts from the correction of the entry
        await e.act('record-correction', { correctedOn: today(), materials: [] }, 200, { corrected: today() });
      }
      const clock = `early_exit_${early?.id}`;
      const from = expectedDue(calendar(), model, list, e.starts, e.fields)[clock];
      expect(from, `${clock} is due once its start (${early?.from}) is reached`).toBeDefined();
      expect.soft(e.last.due?.[clock], 'the entry shows the early-exit date of its config').toBe(from);
      const input = inputsFor(list, 'exit', today(), rng);
      if (from) {
        await setClock(t, morningOf(addDays(from, -1)));
        const tooEarly = await e.raw('exit', input);
        expect(tooEarly.body.error.code).toBe('EXIT_CONDITION_NOT_MET');
        await setClock(t, morningOf(from));
      }
      if (early?.requires.length) {
        const missing = await e.raw('exit', { ...input, materials: materials(early.requires.slice(0, -1)) });
        expect(missing.body.error.code).toBe('MATERIALS_MISSING');
      }
      expect((await e.raw('exit', { ...input, condition: 'no-such-condition' })).body.error.code).toBe('UNKNOWN_EXIT_CONDITION');
      await e.act('exit', input);
      expect(e.last).toMatchObject({ status: 'exited', exitReason: `early:${early?.id}`, exitedAt: today() });
      if (has(list, 'reinstate', 'exited')) {
        await e.act('reinstate', inputsFor(list, 'reinstate', today(), rng));
        expect(e.last).toMatchObject({ status: 'published', exitReason: null });
      }
      await e.expectGapFree();
    });

    if (has(list, 'expire')) it('expires automatically by the scheduler after the term, and not before', async () => {
      const targets = expiring.filter((e) => e.id);
      expect(targets.length).toBeGreaterThan(0);
      for (const e of [...targets].sort((a, b) => String(a.last.due?.term_end).localeCompare(String(b.last.due?.term_end)))) {
        const termEnd = e.last.due?.term_end;
        expect(termEnd, `${e.name}: term_end`).toBeDefined();
        if (!termEnd) continue;
        const refused = await e.raw('expire', {}, actorFor(model, list, 'publish'));
        expect(refused.status).toBe(403); // run by the system only
        expect(refused.body.error.code).toBe('FORBIDDEN');
        if (today() < termEnd) await setClock(t, morningOf(termEnd));
        await runScheduledJobs(t.app.services.engine, t.db);
        expect((await e.refresh()).status, `${e.name} on its last day`).toBe('published');
        await setClock(t, morningOf(addDays(termEnd, 1)));
        const run = await runScheduledJobs(t.app.services.engine, t.db);
        expect(run.ran).toBe(true);
        expect(run.expired).toBeGreaterThanOrEqual(1);
        const body = await e.refresh();
        expect(body).toMatchObject({ status: 'exited', exitReason: 'expired', exitedAt: today() });
        const last = body.events.at(-1);
        expect(last).toMatchObject({ action: 'expire', fromStatus: 'published', toStatus: 'exited', actor: { userId: null, apiKeyId: null } });
        // idempotent: a second run does nothing to it
        await runScheduledJobs(t.app.services.engine, t.db);
        expect((await e.refresh()).version).toBe(body.version);
        await e.expectGapFree();
      }
    });

    it('writes one outbox message per endpoint for each change other systems must learn, and keeps every event log gap-free', async () => {
      const outboxEvent: Record<string, string> = { publish: 'published', correct: 'corrected', repair: 'repaired', revoke: 'revoked', exit: 'exited', expire: 'exited', reinstate: 'reinstated' };
      for (const e of all()) {
        await e.expectGapFree();
        const events = (await e.detail()).events as { action: string }[];
        const expected = events
          .map((ev) => outboxEvent[ev.action])
          .filter((x): x is string => !!x)
          .flatMap((ev) => model.platform.outbox.endpoints.filter((ep) => (ep.events as string[]).includes(ev)).map(() => ev));
        const rows = await queryRows<{ event: string }>(t.db.db, sql`select event from outbox where entry_id = ${e.id} order by id`);
        expect(rows.map((r) => r.event), e.name).toEqual(expected);
      }
      expect((await queryRows<{ event: string }>(t.db.db, sql`select event from outbox where entry_id = ${main.id} order by id`))[0]?.event).toBe('published');
    });
  });
}

it('covers every list type of the demo config', () => {
  expect(model.lists.length).toBe(11);
  expect(model.lists.filter((l) => l.category === 'record').length).toBeGreaterThan(0);
});
