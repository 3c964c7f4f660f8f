/**
 * Issue 6: nothing private leaves the public portal (国办发〔2020〕49号, domain
 * principle 4). Entries made through the API on the demo lists that take
 * natural persons (wage-arrears publishes persons with a basis; the others do
 * not), plus a few thousand generated entries written straight into the
 * database, in every state; then EVERY public response is scanned: every
 * search page over the whole set, every entry's detail, and searches by each
 * person's name and ID number.
 *
 * The expected public set is computed here from the demo config by hand, not
 * with the code under test.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entries, subjects } from '../../api/src/db/schema.ts';
import { checkResidentId } from '../../api/src/subjects/codes.ts';
import { createRng, intBetween, makeCompanyName, makePersonName, makeResidentId, makeUscc, pick, type Rng } from '../../api/src/subjects/generate.ts';
import { addDays } from '../../api/src/procedures/calendar.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';

const BULK = Number(process.env.PRIVACY_BULK ?? 3000);
const rng = createRng('privacy-test');
const days = (n: number) => n * 86_400_000;

let t: TestApp;
let today: string;

type Person = { code: string; name: string };
/** Every natural person anywhere in the data: subjects and related persons. */
const persons: Person[] = [];
/** Entries the public must see (computed by hand), and all the others. */
const visible = new Set<string>();
const hidden = new Set<string>();
/** Secrets written only into fields that are not public. */
const SECRET = '内部保密';

// ---------------------------------------------------------------- what the demo config says, written out by hand

/** portal: true; personal_info.publish with a basis only on wage-arrears; key-attention is not on the portal. */
const portalLists = new Set(['wage-arrears', 'market-serious-illegal', 'admin-penalty-scjg', 'construction-market-blacklist', 'tax-credit-a']);
const personLists = new Set(['wage-arrears']);
const publicFields: Record<string, string[]> = {
  'wage-arrears': ['listing_reason', 'person_role', 'employer_name', 'arrears_amount', 'workers_affected', 'facts'],
  'market-serious-illegal': ['penalty_decision_no', 'violation', 'category', 'heavier_penalties', 'fine_amount'],
  'admin-penalty-scjg': ['decision_no', 'case_name', 'violation', 'penalty_basis', 'penalty_kinds', 'fine_amount', 'confiscated_amount', 'severity'],
  'construction-market-blacklist': ['listing_reason', 'subject_role', 'qualification_no', 'project_name', 'facts'],
  'tax-credit-a': ['evaluation_year', 'rated_on', 'consecutive_years'],
  'key-attention': [],
};
const topKeys = ['accepts', 'decisionDate', 'decisionNo', 'department', 'fields', 'id', 'list', 'personalInfoBasis', 'publishedAt', 'relatedPersons', 'subject', 'termEnd'];

function expectPublic(listId: string, status: string, kind: string, termEnd: string | null): boolean {
  return status === 'published' && portalLists.has(listId) && (kind !== 'natural_person' || personLists.has(listId)) && (!termEnd || termEnd >= today);
}

// ---------------------------------------------------------------- entries through the API

const ok = async <R extends { status: number; body: unknown }>(p: Promise<R>, status = 200): Promise<R> => {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r;
};

const apiPersons: Person[] = [];
function person(): Person {
  const p = { code: makeResidentId(rng), name: makePersonName(rng) };
  persons.push(p);
  apiPersons.push(p);
  return p;
}

/** Free text that names the persons, as real case files do; the projection must scrub it. */
const narrative = (who: Person[]) => `经查，${who.map((p) => `${p.name}（公民身份号码${p.code}）`).join('、')}存在失信行为，情节严重。`;

type ApiEntry = { list: string; id: string; kind: string; stop: 'draft' | 'notified' | 'published' };
const apiMade: ApiEntry[] = [];

async function apiEntries(): Promise<ApiEntry[]> {
  const made: ApiEntry[] = [];
  const rsjOp = await t.login('rsj-operator');
  const scjgOp = await t.login('scjg-operator');
  const create = async (list: string, h: Record<string, string>, body: unknown, kind: string, stop: ApiEntry['stop']) => {
    const r = await ok(t.json('POST', `/api/lists/${list}/entries`, h, body), 201);
    made.push({ list, id: r.body.id, kind, stop });
    return r.body.id as string;
  };
  const wage = (subject: unknown, who: Person[], role?: string) => ({
    subject,
    fields: {
      listing_reason: '克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准',
      ...(role ? { person_role: role } : {}),
      employer_name: makeCompanyName(rng),
      arrears_amount: 386000,
      workers_affected: 27,
      arrears_from: '2025-06-01',
      wages_paid: false,
      facts: narrative(who),
      decision_basis: { number: '示人社监罚〔2026〕5号', date: '2026-10-20', title: `${SECRET}劳动保障监察处理决定书` },
    },
  });
  const market = (subject: unknown, who: Person[]) => ({
    subject,
    fields: {
      penalty_decision_no: '示市监罚〔2026〕77号',
      violation: narrative(who),
      category: '食品安全',
      heavier_penalties: ['吊销许可证件'],
      penalty_decision: { number: '示市监罚〔2026〕77号', date: '2026-10-01', title: `${SECRET}行政处罚决定书` },
      intentional: true,
    },
  });
  // wage-arrears: a person (shown, masked), a company with its legal representative (shown, masked), a person left as a draft and one only notified.
  const p1 = person();
  await create('wage-arrears', rsjOp, wage({ kind: 'natural_person', ...p1 }, [p1], '法定代表人'), 'natural_person', 'published');
  const r1 = person();
  await create(
    'wage-arrears',
    rsjOp,
    { ...wage({ kind: 'legal_person', code: makeUscc(rng), name: makeCompanyName(rng) }, [r1]), relatedPersons: [{ kind: 'natural_person', ...r1, role: '法定代表人' }] },
    'legal_person',
    'published',
  );
  const p4 = person();
  await create('wage-arrears', rsjOp, wage({ kind: 'natural_person', ...p4 }, [p4], '主要负责人'), 'natural_person', 'draft');
  const p5 = person();
  await create('wage-arrears', rsjOp, wage({ kind: 'natural_person', ...p5 }, [p5], '主要负责人'), 'natural_person', 'notified');
  // market-serious-illegal does not publish persons: a person (hidden) and a company whose legal representative is hidden.
  const p2 = person();
  await create('market-serious-illegal', scjgOp, market({ kind: 'natural_person', ...p2 }, [p2]), 'natural_person', 'published');
  const r2 = person();
  await create(
    'market-serious-illegal',
    scjgOp,
    { ...market({ kind: 'legal_person', code: makeUscc(rng), name: makeCompanyName(rng) }, [r2]), relatedPersons: [{ kind: 'natural_person', ...r2, role: '法定代表人' }] },
    'legal_person',
    'published',
  );
  // admin-penalty-scjg (record, no notice) does not publish persons either.
  const p3 = person();
  await create(
    'admin-penalty-scjg',
    scjgOp,
    {
      subject: { kind: 'natural_person', ...p3 },
      fields: {
        decision_no: '示市监罚〔2026〕78号',
        case_name: `${p3.name}无照经营案`,
        violation: narrative([p3]),
        penalty_basis: '《无证无照经营查处办法》第十三条',
        penalty_kinds: ['罚款'],
        fine_amount: 5000,
        severity: '一般',
        decision_document: { number: '示市监罚〔2026〕78号', date: '2026-10-30', title: `${SECRET}行政处罚决定书` },
      },
    },
    'natural_person',
    'published',
  );

  // Notice, then (after the statement period) recognition and publication by the reviewers.
  const reviewers: Record<string, Record<string, string>> = { 'wage-arrears': await t.login('rsj-reviewer'), 'market-serious-illegal': await t.login('scjg-reviewer'), 'admin-penalty-scjg': await t.login('scjg-reviewer') };
  const operators: Record<string, Record<string, string>> = { 'wage-arrears': rsjOp, 'market-serious-illegal': scjgOp, 'admin-penalty-scjg': scjgOp };
  for (const e of made) {
    if (e.stop === 'draft' || e.list === 'admin-penalty-scjg') continue;
    await ok(t.json('POST', `/api/lists/${e.list}/entries/${e.id}/actions/notify`, operators[e.list]!, { version: 1, serviceMethod: '直接送达' }));
  }
  await t.travel(days(10));
  let n = 0;
  for (const e of made) {
    if (e.stop !== 'published') continue;
    const rv = reviewers[e.list]!;
    const url = `/api/lists/${e.list}/entries/${e.id}/actions`;
    if (e.list === 'admin-penalty-scjg') {
      await ok(t.json('POST', `${url}/publish`, rv, { version: 1, decisionNo: `示市监罚〔2026〕${++n}号`, decisionDate: t.clock.today() }));
    } else {
      await ok(t.json('POST', `${url}/recognise`, rv, { version: 2, decisionNo: `示认〔2026〕${++n}号`, decisionDate: t.clock.today() }));
      await ok(t.json('POST', `${url}/publish`, rv, { version: 3 }));
    }
  }
  return made;
}

// ---------------------------------------------------------------- generated entries, written straight into the database

const bulkLists: { id: string; department: string; personShare: number; orgKind: 'legal_person' | 'individual_business' }[] = [
  { id: 'wage-arrears', department: 'rsj', personShare: 0.5, orgKind: 'legal_person' },
  { id: 'market-serious-illegal', department: 'scjg', personShare: 0.3, orgKind: 'individual_business' },
  { id: 'admin-penalty-scjg', department: 'scjg-dq', personShare: 0.3, orgKind: 'legal_person' },
  { id: 'construction-market-blacklist', department: 'zjj', personShare: 0.2, orgKind: 'legal_person' },
  { id: 'key-attention', department: 'scjg', personShare: 0, orgKind: 'legal_person' },
  { id: 'tax-credit-a', department: 'sw', personShare: 0, orgKind: 'legal_person' },
];
const statuses = [
  ...Array(14).fill('published'),
  'draft',
  'notified',
  'recognised',
  'exited',
  'repaired',
  'revoked',
  'withdrawn',
] as string[];

/** A value for every declared field (public or not); text mentions the persons, non-public text carries SECRET. */
function fieldValues(r: Rng, listId: string, who: Person[], stranger: Person) {
  const list = t.model.list(listId)!;
  const out: Record<string, unknown> = {};
  for (const f of list.fields) {
    const secret = f.public ? '' : SECRET;
    switch (f.type) {
      case 'string':
        out[f.key] = `${secret}${who[0]?.name ?? makeCompanyName(r)}-${intBetween(r, 1, 999)}`.slice(0, f.max_length ?? 500);
        break;
      case 'text':
        // Sometimes also a valid ID number of somebody not linked to the entry.
        out[f.key] = `${secret}${narrative(who)}${r() < 0.2 ? `另查明，相关人员身份证号${stranger.code}。` : ''}`;
        break;
      case 'number':
        out[f.key] = f.min ?? 1;
        break;
      case 'money':
        out[f.key] = 1000.5;
        break;
      case 'date':
        out[f.key] = '2026-01-15';
        break;
      case 'boolean':
        out[f.key] = true;
        break;
      case 'enum':
        out[f.key] = f.options![0];
        break;
      case 'multi-enum':
        out[f.key] = [f.options![0]];
        break;
      case 'document':
        out[f.key] = { number: `文号${intBetween(r, 1, 999)}`, date: '2026-01-15', title: `${secret}决定书` };
        break;
    }
  }
  return out;
}

async function bulkEntries(): Promise<void> {
  const r = createRng('privacy-bulk');
  const codes = new Set<string>();
  const unique = (make: () => string) => {
    for (;;) {
      const c = make();
      if (!codes.has(c)) {
        codes.add(c);
        return c;
      }
    }
  };
  const newPerson = (): Person => {
    const p = { code: unique(() => makeResidentId(r)), name: makePersonName(r) };
    persons.push(p);
    return p;
  };
  const subjectRows: (typeof subjects.$inferInsert & { id: string })[] = [];
  const entryRows: (typeof entries.$inferInsert)[] = [];
  const uuid = () => crypto.randomUUID();
  const now = t.clock.now();
  for (let i = 0; i < BULK; i++) {
    const list = pick(r, bulkLists);
    const isPerson = r() < list.personShare;
    const kind = isPerson ? 'natural_person' : list.orgKind;
    let subject: { id: string; kind: typeof kind; code: string; name: string };
    const who: Person[] = [];
    if (isPerson) {
      const p = newPerson();
      who.push(p);
      subject = { id: uuid(), kind, ...p };
    } else {
      subject = { id: uuid(), kind, code: unique(() => makeUscc(r, { kind: list.orgKind })), name: makeCompanyName(r) };
    }
    subjectRows.push(subject);
    const related = [];
    if (!isPerson && r() < 0.4) {
      for (let k = intBetween(r, 1, 2); k > 0; k--) {
        const p = newPerson();
        who.push(p);
        const id = uuid();
        subjectRows.push({ id, kind: 'natural_person', ...p });
        related.push({ role: pick(r, ['法定代表人', '主要负责人', '直接责任人']), kind: 'natural_person', subjectId: id, code: p.code, name: p.name });
      }
    }
    const status = pick(r, statuses);
    const published = ['published', 'exited', 'repaired', 'revoked'].includes(status);
    const termEnd = !published ? null : r() < 0.1 ? addDays(today, -intBetween(r, 1, 100)) : r() < 0.1 ? null : addDays(today, intBetween(r, 0, 700));
    const id = uuid();
    const stranger = { code: makeResidentId(r), name: '' };
    persons.push({ code: stranger.code, name: makePersonName(r) });
    entryRows.push({
      id,
      listId: list.id,
      department: list.department,
      subjectId: subject.id,
      status,
      fields: fieldValues(r, list.id, who, stranger),
      relatedPersons: related,
      decisionNo: published ? `示决〔2026〕${i}号` : null,
      decisionDate: published ? addDays(today, -intBetween(r, 10, 300)) : null,
      publishedAt: published ? new Date(now.getTime() - days(intBetween(r, 1, 300))) : null,
      termEnd,
      configVersionCreated: t.model.version,
      createdAt: now,
      updatedAt: now,
    });
    (expectPublic(list.id, status, kind, termEnd) ? visible : hidden).add(id);
  }
  await t.db.db.transaction(async (tx) => {
    for (let i = 0; i < subjectRows.length; i += 500) await tx.insert(subjects).values(subjectRows.slice(i, i + 500));
    for (let i = 0; i < entryRows.length; i += 500) await tx.insert(entries).values(entryRows.slice(i, i + 500));
  });
}

// ---------------------------------------------------------------- the scan

let requests = 0;
const address = () => {
  requests++;
  return `10.${(requests >> 16) & 255}.${(requests >> 8) & 255}.${requests & 255}`;
};
const get = (path: string) => t.json('GET', path, { 'x-forwarded-for': address() });

let nameSet: Set<string>;
let nameLengths: number[];
let problems: string[] = [];
const seen = new Set<string>();

/** Every problem of one response body, by rule. */
function scan(where: string, body: unknown): void {
  const text = JSON.stringify(body);
  for (const m of text.matchAll(/\d{17}[\dXx]/g)) {
    if (checkResidentId(m[0], { today }).ok) problems.push(`${where}: full ID number ${m[0]}`);
  }
  if (text.includes(SECRET)) problems.push(`${where}: text of a non-public field`);
  // Every CJK run, cut into pieces of the lengths of the known names.
  for (const run of text.match(/[\u4e00-\u9fa5]+/g) ?? []) {
    for (const len of nameLengths) {
      for (let i = 0; i + len <= run.length; i++) {
        const piece = run.slice(i, i + len);
        if (nameSet.has(piece)) problems.push(`${where}: full name ${piece}`);
      }
    }
  }
  for (const e of Array.isArray(body) ? body : [body]) scanEntry(where, e);
}

type PublicEntry = {
  id: string;
  list: { id: string };
  subject: Record<string, unknown> & { kind: string; name: string; code: string };
  relatedPersons: { role: string; name: string; code: string }[];
  fields: { key: string }[];
  personalInfoBasis: string | null;
} & Record<string, unknown>;

function scanEntry(where: string, e: PublicEntry): void {
  seen.add(e.id);
  if (!visible.has(e.id)) problems.push(`${where}: entry ${e.id} is not public`);
  const keys = Object.keys(e).sort();
  if (keys.join() !== topKeys.join()) problems.push(`${where}: keys ${keys.join()}`);
  if (Object.keys(e.subject).sort().join() !== 'code,desensitised,kind,kindLabel,name') problems.push(`${where}: subject keys ${Object.keys(e.subject)}`);
  const allowed = new Set(publicFields[e.list.id]);
  for (const f of e.fields) if (!allowed.has(f.key)) problems.push(`${where}: undeclared field ${e.list.id}.${f.key}`);
  const masked = (p: { name: string; code: string }) => /^\d{6}\*{8}[\dX]{4}$/.test(p.code) && /^[\u4e00-\u9fa5]{1,2}\*+$/.test(p.name);
  if (e.subject.kind === 'natural_person') {
    if (!personLists.has(e.list.id)) problems.push(`${where}: a natural person on ${e.list.id}`);
    if (!masked(e.subject)) problems.push(`${where}: subject not desensitised ${e.subject.name} ${e.subject.code}`);
    if (!e.personalInfoBasis) problems.push(`${where}: a natural person shown without the basis`);
  }
  if (e.relatedPersons.length && !personLists.has(e.list.id)) problems.push(`${where}: related persons on ${e.list.id}`);
  for (const p of e.relatedPersons) if (!masked(p)) problems.push(`${where}: related person not desensitised ${p.name} ${p.code}`);
}

beforeAll(async () => {
  t = await startTestApp(demoConfig);
  const made = await apiEntries();
  apiMade.push(...made);
  today = t.clock.today();
  for (const e of made) (expectPublic(e.list, e.stop === 'published' ? 'published' : 'draft', e.kind, null) ? visible : hidden).add(e.id);
  await bulkEntries();
  // Names also found in the fixed texts of the config (list names, legal bases, labels) or in company names would be false alarms.
  const fixed = JSON.stringify(t.model.lists.map((l) => [l.name, l.legal_basis, l.fields, l.personal_info])) + JSON.stringify(t.model.departments);
  nameSet = new Set(persons.map((p) => p.name).filter((n) => n.length >= 2 && !fixed.includes(n)));
  nameLengths = [...new Set([...nameSet].map((n) => n.length))];
}, 300_000);
afterAll(() => t.close());
beforeEach(() => {
  problems = [];
});

describe('privacy of the public portal', () => {
  it('has a sizeable mixed data set to scan', () => {
    expect(visible.size).toBeGreaterThan(BULK / 3);
    expect(hidden.size).toBeGreaterThan(BULK / 5);
    expect(persons.length).toBeGreaterThan(BULK / 3);
  });

  it('search pages over the whole set show exactly the public entries, desensitised', { timeout: 300_000 }, async () => {
    const first = await ok(get('/api/public/entries?_start=0&_end=50'));
    const total = Number(first.headers.get('x-total-count'));
    expect(total).toBe(visible.size);
    const ids: string[] = [];
    for (let start = 0; start < total; start += 50) {
      const page = start === 0 ? first : await ok(get(`/api/public/entries?_start=${start}&_end=${start + 50}`));
      scan(`page ${start}`, page.body);
      ids.push(...page.body.map((e: { id: string }) => e.id));
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(visible);
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('every public entry’s detail passes, and every other entry is 404', { timeout: 600_000 }, async () => {
    for (const id of visible) scan(`detail ${id}`, (await ok(get(`/api/public/entries/${id}`))).body);
    for (const id of hidden) {
      const r = await get(`/api/public/entries/${id}`);
      if (r.status !== 404) problems.push(`detail ${id}: ${r.status} for an entry that is not public`);
      scan(`hidden detail ${id}`, r.body?.error ? [] : r.body);
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('searching by a person’s full name or ID number finds only what may be shown', { timeout: 600_000 }, async () => {
    // By number (an index lookup): many; by name (a scan of the names): a sample.
    const queries = [
      ...persons.filter((_, i) => i < 10 || i % 10 === 0).flatMap((p) => [p.code, p.code.toLowerCase()]),
      ...persons.filter((_, i) => i < 10 || i % 100 === 0).map((p) => p.name),
    ];
    let found = 0;
    for (const q of queries) {
      {
        const r = await ok(get(`/api/public/entries?q=${encodeURIComponent(q)}&_end=50`));
        found += r.body.length;
        scan(`search ${q}`, r.body);
      }
    }
    expect(found).toBeGreaterThan(0);
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('shows natural persons on the list that publishes them, masked, with the basis; hides them elsewhere', async () => {
    expect(seen).toEqual(visible);
    const [p1, r1, p4, p5, p2, r2, p3] = apiPersons;
    const find = async (q: string) => (await ok(get(`/api/public/entries?q=${encodeURIComponent(q)}&_end=50`))).body as PublicEntry[];
    // wage-arrears: the person, masked, with the basis; the facts name them masked.
    const [shown] = await find(p1!.code);
    expect(shown!.list.id).toBe('wage-arrears');
    expect(shown!.subject).toMatchObject({ kind: 'natural_person', desensitised: true, code: `${p1!.code.slice(0, 6)}********${p1!.code.slice(-4)}` });
    expect(shown!.subject.name.startsWith([...p1!.name][0]!)).toBe(true);
    expect([...shown!.subject.name].length).toBe([...p1!.name].length);
    expect(shown!.personalInfoBasis).toContain('人力资源社会保障部令第45号');
    const facts = (shown!.fields as unknown as { key: string; value: string }[]).find((f) => f.key === 'facts')!.value;
    expect(facts).toContain(shown!.subject.name);
    expect(facts).toContain(shown!.subject.code);
    // wage-arrears company: its legal representative shown, masked.
    const wageCompany = (await ok(get(`/api/public/entries/${apiMade[1]!.id}`))).body as PublicEntry;
    expect(wageCompany.relatedPersons).toEqual([{ role: '法定代表人', name: expect.stringMatching(/^[\u4e00-\u9fa5]{1,2}\*+$/), code: `${r1!.code.slice(0, 6)}********${r1!.code.slice(-4)}` }]);
    expect(wageCompany.personalInfoBasis).toBeTruthy();
    // Drafts and notified entries, persons on lists without a basis: not found by name or number.
    for (const p of [p4!, p5!, p2!, p3!]) {
      expect(await find(p.code)).toEqual([]);
      // Others may share the name; none of the hidden entries may come back.
      for (const e of await find(p.name)) expect(hidden.has(e.id)).toBe(false);
    }
    // market-serious-illegal company: shown, its legal representative not, and masked in the text.
    const marketCompany = (await ok(get(`/api/public/entries/${apiMade[5]!.id}`))).body as PublicEntry;
    expect(marketCompany.relatedPersons).toEqual([]);
    expect(marketCompany.personalInfoBasis).toBeNull();
    const violation = JSON.stringify(marketCompany.fields);
    expect(violation).not.toContain(r2!.name);
    expect(violation).toContain(`${r2!.code.slice(0, 6)}********${r2!.code.slice(-4)}`);
    expect(await find(r2!.code)).toEqual([]);
  });
});
