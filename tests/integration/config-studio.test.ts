/**
 * The config studio API (issue 10): office-only reads, lint with key paths and
 * Chinese messages, saves that are versioned, audited, written atomically into
 * a temp copy of the config dir and live at once (meta, validators, Casbin),
 * and every change that would strand data refused with its message while the
 * files, the active version and the running model stay as they were.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../api/src/db/client.ts';
import { MetaList, MetaWithPermissions } from '../../api/src/meta/schema.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { fixtureConfig, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let dir: string;
let admin: Record<string, string>;
let op: Record<string, string>;
let rv: Record<string, string>;
const rng = createRng('config-studio');
const days = (n: number) => n * 86_400_000;

const LIST = 'studio-black';
const all = ['operator', 'reviewer'];
/** A black list type as the studio's form sends it. */
function blackList(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: LIST,
    name: '工作室测试黑名单',
    kind: 'black',
    department: 'scjg',
    legal_basis: ['《测试市社会信用条例》第二十条'],
    subject_kinds: ['legal_person'],
    fields: [
      { key: 'violation', label: '失信行为', type: 'text', required: true, public: true },
      { key: 'severity', label: '失信程度', type: 'enum', options: ['一般', '严重'] },
      { key: 'amount', label: '罚没金额', type: 'money' },
    ],
    procedure: { notice: { statement_period: { working_days: 5 } }, publish: { within: { working_days: 20 } } },
    term: { default: { years: 3 } },
    repair: { accept_within: { working_days: 3 }, decide_within: { working_days: 10 } },
    objection: { answer_within: { working_days: 5 } },
    measures: ['M-PROCUREMENT-BAN'],
    permissions: {
      view: all,
      create: all,
      'edit-draft': all,
      notify: all,
      'record-statement': all,
      recognise: all,
      publish: all,
      'answer-objection': all,
      repair: all,
    },
    ...over,
  };
}

async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => null);
    if (text !== null) out[name] = text;
  }
  return out;
}

const version = async () => (await t.json('GET', '/api/config/lists', admin)).body.version as string;
const activeVersions = () => queryRows<{ version: string }>(t.db.db, sql`select version from config_versions where active`);

async function save(change: Record<string, unknown>, reason = '测试修改') {
  return t.json('POST', '/api/config/save', admin, { listId: LIST, reason, baseVersion: await version(), ...change });
}

/** A save that must be refused with `code`: same files, same active version, same model. */
async function refused(change: Record<string, unknown>, code: string, path?: (string | number)[]) {
  const before = await snapshot();
  const v = await version();
  const lint = await t.json('POST', '/api/config/lint', admin, { listId: LIST, ...change });
  expect(lint.status).toBe(200);
  expect(lint.body.ok).toBe(false);
  const issue = lint.body.issues.find((i: { code: string }) => i.code === code);
  expect(issue, JSON.stringify(lint.body.issues)).toBeDefined();
  expect(issue.message).toMatch(/[\u4e00-\u9fa5]/);
  if (path) expect(issue.path).toEqual(path);
  const res = await save(change);
  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe('CONFIG_INVALID');
  expect(res.body.error.details.map((d: { code: string }) => d.code)).toContain(code);
  expect(await snapshot()).toEqual(before);
  expect(await version()).toBe(v);
  expect((await activeVersions()).map((r) => r.version)).toEqual([v]);
  return issue as { message: string; path: (string | number)[]; file: string };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credit-studio-'));
  await cp(fixtureConfig, dir, { recursive: true });
  t = await startTestApp(dir, undefined, { configDir: dir });
  // What a server does at start: the loaded files are the active version.
  const { recordConfigVersion } = await import('../../api/src/config/store.ts');
  await recordConfigVersion(t.db.db, t.model, 'startup', 'test');
  admin = await t.login('admin');
  op = await t.login('scjg-operator');
  rv = await t.login('scjg-reviewer');
});
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('config studio', () => {
  it('is for the office only', async () => {
    expect((await t.json('GET', '/api/config/lists', {})).status).toBe(401);
    for (const h of [op, rv]) {
      expect((await t.json('GET', '/api/config/lists', h)).status).toBe(403);
      expect((await t.json('POST', '/api/config/lint', h, { listId: LIST, list: blackList() })).status).toBe(403);
      expect((await t.json('POST', '/api/config/save', h, { listId: LIST, list: blackList(), reason: '越权', baseVersion: 'x' })).status).toBe(403);
    }
    const lists = await t.json('GET', '/api/config/lists', admin);
    expect(lists.status).toBe(200);
    expect(lists.body.lists).toEqual([expect.objectContaining({ id: 'serious', department: 'scjg', file: 'lists/serious.yaml', entries: 0 })]);
    const one = await t.json('GET', '/api/config/lists/serious', admin);
    expect(one.body).toMatchObject({ file: 'lists/serious.yaml', data: { id: 'serious', kind: 'black' } });
    expect(one.body.content).toBe(await readFile(join(dir, 'lists', 'serious.yaml'), 'utf8'));
    expect((await t.json('GET', '/api/config/lists/nothing', admin)).status).toBe(404);
  });

  it('lints a new list type without a legal basis, with the key path and a Chinese message, and writes nothing', async () => {
    const before = await snapshot();
    const { legal_basis: _drop, ...noBasis } = blackList();
    const lint = await t.json('POST', '/api/config/lint', admin, { listId: LIST, list: noBasis });
    expect(lint.status).toBe(200);
    expect(lint.body.ok).toBe(false);
    expect(lint.body.issues).toEqual([
      expect.objectContaining({ code: 'MISSING_LEGAL_BASIS', file: `lists/${LIST}.yaml`, path: ['legal_basis'], message: expect.stringContaining('缺少法律依据') }),
    ]);
    const unknown = await t.json('POST', '/api/config/lint', admin, { listId: LIST, list: blackList({ measures: ['M-NOWHERE'], department: 'nowhere' }) });
    expect(unknown.body.issues.map((i: { code: string; path: unknown[] }) => [i.code, i.path])).toEqual(
      expect.arrayContaining([
        ['UNKNOWN_MEASURE', ['measures', 0]],
        ['UNKNOWN_DEPARTMENT', ['department']],
      ]),
    );
    const ok = await t.json('POST', '/api/config/lint', admin, { listId: LIST, list: blackList() });
    expect(ok.body).toMatchObject({ ok: true, issues: [] });
    expect(ok.body.diff).toContain(`+++ b/lists/${LIST}.yaml`);
    const bad = await t.json('POST', '/api/config/lint', admin, { listId: 'Bad Id', list: blackList() });
    expect(bad.status).toBe(422);
    expect(await snapshot()).toEqual(before);
  });

  it('previews what a change would produce: the file as YAML and the list type as the admin would get it', async () => {
    const before = await snapshot();
    const lint = await t.json('POST', '/api/config/lint', admin, { listId: LIST, list: blackList() });
    expect(lint.body.ok).toBe(true);
    expect(parse(lint.body.content)).toMatchObject({ id: LIST, legal_basis: ['《测试市社会信用条例》第二十条'], measures: ['M-PROCUREMENT-BAN'] });
    const { version, list } = lint.body.preview;
    expect(version).toBe(lint.body.version);
    expect(list).toMatchObject({ id: LIST, name: '工作室测试黑名单', department: 'scjg', subjectKinds: ['legal_person'] });
    expect(list.fields.map((f: { key: string; type: string; required: boolean }) => [f.key, f.type, f.required])).toEqual([
      ['violation', 'text', true],
      ['severity', 'enum', false],
      ['amount', 'money', false],
    ]);
    const states = (list.procedure.states as { id: string }[]).map((s) => s.id);
    expect(states).toEqual(expect.arrayContaining(['draft', 'notified', 'published']));
    // The preview is what the OpenAPI document says, key for key, as is the whole of /api/meta (the admin's types).
    expect(MetaList.parse(list)).toEqual(list);
    const meta = (await t.json('GET', '/api/meta', admin)).body;
    expect(MetaWithPermissions.parse(meta)).toEqual(meta);
    expect(meta.roles.length).toBeGreaterThan(0);

    // The same change as YAML text previews the same list type; without the notice step its state goes.
    const text = await t.json('POST', '/api/config/lint', admin, { listId: LIST, content: lint.body.content });
    expect(text.body).toMatchObject({ ok: true, version: lint.body.version, content: lint.body.content });
    const noNotice = await t.json('POST', '/api/config/lint', admin, { listId: LIST, list: blackList({ procedure: { notice: false, publish: { within: { working_days: 20 } } } }) });
    expect((noNotice.body.preview.list.procedure.states as { id: string }[]).map((s) => s.id)).not.toContain('notified');

    // A change that does not compile has no preview, nor has a file other than a list type.
    const { legal_basis: _drop, ...noBasis } = blackList();
    const broken = await t.json('POST', '/api/config/lint', admin, { listId: LIST, list: noBasis });
    expect(broken.body).toMatchObject({ ok: false, preview: null });
    const other = await t.json('POST', '/api/config/lint', admin, { file: 'measures.yaml', content: (await readFile(join(dir, 'measures.yaml'), 'utf8')).replace(/\n$/, '\n# 注释\n') });
    expect(other.body).toMatchObject({ ok: true, preview: null });
    expect(other.body.content).toContain('# 注释');
    expect(await snapshot()).toEqual(before);
  });

  it('saves a new list type: version with author and reason, audit, YAML on disk, live model and permissions', async () => {
    const v0 = await version();
    // Without a reason, or on a stale version, nothing is saved.
    expect((await t.json('POST', '/api/config/save', admin, { listId: LIST, list: blackList(), reason: '', baseVersion: v0 })).status).toBe(422);
    const stale = await t.json('POST', '/api/config/save', admin, { listId: LIST, list: blackList(), reason: '新增', baseVersion: '0000' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CONFIG_VERSION_CONFLICT');
    // The operator cannot use it yet.
    expect((await t.json('GET', `/api/lists/${LIST}/entries`, op)).status).toBe(404);

    const saved = await save({ list: blackList() }, '新增工作室测试黑名单');
    expect(saved.status).toBe(200);
    expect(saved.body.version).not.toBe(v0);
    const onDisk = await readFile(join(dir, 'lists', `${LIST}.yaml`), 'utf8');
    expect(parse(onDisk)).toEqual(blackList());
    expect(onDisk.indexOf('id:')).toBe(0);
    expect((await readdir(join(dir, 'lists'))).filter((f) => f.includes('.tmp'))).toEqual([]);

    const [row] = await queryRows<{ author: string; reason: string; active: boolean }>(t.db.db, sql`select author, reason, active from config_versions where version = ${saved.body.version}`);
    expect(row).toEqual({ author: 'admin', reason: '新增工作室测试黑名单', active: true });
    expect((await activeVersions()).length).toBe(1);
    const audit = await queryRows<{ action: string; target_id: string }>(t.db.db, sql`select action, target_id from audit_log where chain = 'config' and action = 'config.save'`);
    expect(audit).toEqual([{ action: 'config.save', target_id: saved.body.version }]);

    // Live without a restart: meta, the entry routes and the operator's permissions.
    expect(t.app.model.version).toBe(saved.body.version);
    const meta = await t.json('GET', '/api/meta', op);
    expect(meta.body.version).toBe(saved.body.version);
    expect(meta.body.lists.map((l: { id: string }) => l.id)).toContain(LIST);
    const created = await t.json('POST', `/api/lists/${LIST}/entries`, op, {
      subject: { kind: 'legal_person', code: makeUscc(rng), name: makeCompanyName(rng) },
      fields: { violation: '测试失信行为。', severity: '严重', amount: 1000 },
    });
    expect(created.status).toBe(201);
    expect(created.body.configVersionCreated).toBe(saved.body.version);
    const notified = await t.json('POST', `/api/lists/${LIST}/entries/${created.body.id}/actions/notify`, op, { version: 1, serviceMethod: '直接送达' });
    expect(notified.status).toBe(200);
    expect(notified.body.status).toBe('notified');
  });

  it('refuses each change that would strand data, with its message, leaving the files unchanged', async () => {
    // A second entry runs to publication, with an open objection and a pending repair application.
    const created = await t.json('POST', `/api/lists/${LIST}/entries`, op, {
      subject: { kind: 'legal_person', code: makeUscc(rng), name: makeCompanyName(rng) },
      fields: { violation: '另一失信行为。', severity: '一般' },
    });
    const url = `/api/lists/${LIST}/entries/${created.body.id}`;
    expect((await t.json('POST', `${url}/actions/notify`, op, { version: 1, serviceMethod: '直接送达' })).status).toBe(200);
    await t.travel(days(10));
    rv = await t.login('scjg-reviewer');
    op = await t.login('scjg-operator');
    admin = await t.login('admin');
    const recognised = await t.json('POST', `${url}/actions/recognise`, rv, { version: 2, decisionNo: '示市监信认〔2026〕7号', decisionDate: '2026-11-12' });
    expect(recognised.status, JSON.stringify(recognised.body)).toBe(200);
    expect((await t.json('POST', `${url}/actions/publish`, rv, { version: 3 })).status).toBe(200);
    expect((await t.json('POST', `${url}/objections`, rv, { content: '信息有误。' })).status).toBe(201);
    const repair = await t.json('POST', `${url}/repairs`, rv, { application: { reason: '已整改，申请修复。' }, materials: [] });
    expect(repair.status, JSON.stringify(repair.body)).toBe(201);

    const removed = await refused({ remove: true }, 'LIST_HAS_ENTRIES', []);
    expect(removed.message).toContain('停用');
    const fields = blackList().fields as Record<string, unknown>[];
    const noAmount = await refused({ list: blackList({ fields: fields.filter((f) => f.key !== 'amount') }) }, 'FIELD_IN_USE', ['fields']);
    expect(noAmount.message).toContain('amount');
    await refused({ list: blackList({ fields: fields.map((f) => (f.key === 'amount' ? { ...f, type: 'string' } : f)) }) }, 'FIELD_TYPE_CHANGED', ['fields', 2, 'type']);
    await refused({ list: blackList({ fields: fields.map((f) => (f.key === 'severity' ? { ...f, options: ['一般'] } : f)) }) }, 'OPTION_IN_USE', ['fields', 1, 'options']);
    const noNotice = await refused({ list: blackList({ procedure: { notice: false, publish: { within: { working_days: 20 } } } }) }, 'STATE_IN_USE', ['procedure']);
    expect(noNotice.message).toContain('已告知');
    await refused({ list: blackList({ department: 'scjg-dq' }) }, 'LIST_DEPARTMENT_CHANGED', ['department']);
    await refused({ list: blackList({ objection: false }) }, 'OPEN_OBJECTIONS', ['objection']);
    await refused({ list: blackList({ repair: false }) }, 'OPEN_REPAIRS', ['repair']);
    await refused({ list: blackList({ legal_basis: [] }) }, 'MISSING_LEGAL_BASIS', ['legal_basis']);
    // Also as YAML text.
    await refused({ content: 'id: studio-black\nname: [unclosed\n' }, 'YAML_SYNTAX');
  });

  it('allows labels, new fields and periods, keeps the comments of the file, and shows the history with diffs', async () => {
    const file = join(dir, 'lists', `${LIST}.yaml`);
    const { writeFile } = await import('node:fs/promises');
    // A comment written by hand; reloading the model makes the disk and the model agree.
    const commented = `# 由信用办维护\n${await readFile(file, 'utf8')}`;
    await writeFile(file, commented);
    const { loadRuntimeModel } = await import('../../api/src/config/compile.ts');
    const { recordConfigVersion } = await import('../../api/src/config/store.ts');
    const reloaded = await loadRuntimeModel(dir);
    await recordConfigVersion(t.db.db, reloaded, 'startup', 'hand edit');
    await t.app.swapModel(reloaded);

    const fields = blackList().fields as Record<string, unknown>[];
    const changed = blackList({
      name: '工作室测试黑名单（改名）',
      fields: [...fields, { key: 'note', label: '备注', type: 'string' }],
      procedure: { notice: { statement_period: { working_days: 7 } }, publish: { within: { working_days: 15 } } },
    });
    const saved = await save({ list: changed }, '调整期限并新增备注字段');
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('# 由信用办维护\n')).toBe(true);
    expect(parse(text)).toEqual(changed);
    expect(saved.body.diff).toContain('-name: 工作室测试黑名单\n+name: 工作室测试黑名单（改名）');

    const history = await t.json('GET', '/api/config/history', admin);
    expect(history.status).toBe(200);
    expect(history.body[0]).toMatchObject({ kind: 'save', version: saved.body.version, author: 'admin', reason: '调整期限并新增备注字段', active: true, changed: [`lists/${LIST}.yaml`] });
    expect(history.body.filter((v: { active: boolean }) => v.active)).toHaveLength(1);
    // The hand edit, put in force at start, is the row before, with the files it changed.
    expect(history.body[1]).toMatchObject({ kind: 'start', version: reloaded.version, author: 'startup', reason: 'hand edit', active: false, changed: [`lists/${LIST}.yaml`] });
    expect(history.body[0].previous).toBe(history.body[1].version);
    const detail = await t.json('GET', `/api/config/history/${history.body[0].id}`, admin);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: history.body[0].id, version: saved.body.version, active: true });
    expect(detail.body.diff).toContain('+      working_days: 7');
    const handEdit = await t.json('GET', `/api/config/history/${history.body[1].id}`, admin);
    expect(handEdit.body.diff).toContain('+# 由信用办维护');
    expect((await t.json('GET', '/api/config/history/99999', admin)).status).toBe(404);
    for (const bad of ['nope', '1e3', '0x10', '99999999999']) expect((await t.json('GET', `/api/config/history/${bad}`, admin)).status).toBe(422);

    // Retiring is allowed with entries; no new entries afterwards.
    const retired = await save({ list: { ...changed, status: 'retired' } }, '停用');
    expect(retired.status).toBe(200);
    const late = await t.json('POST', `/api/lists/${LIST}/entries`, op, {
      subject: { kind: 'legal_person', code: makeUscc(rng), name: makeCompanyName(rng) },
      fields: { violation: '停用后新增。' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('LIST_RETIRED');
  });

  it('rolls back to an earlier version through the same checks', async () => {
    const history = (await t.json('GET', '/api/config/history', admin)).body as { version: string; reason: string }[];
    const first = history[history.length - 1]?.version as string;
    const beforeRetire = history.find((v) => v.reason === '调整期限并新增备注字段')?.version as string;
    const restore = async (target: string, baseVersion?: string) =>
      t.json('POST', `/api/config/versions/${target}/restore`, admin, { reason: '回退测试', baseVersion: baseVersion ?? (await version()) });
    expect((await t.json('POST', `/api/config/versions/${first}/restore`, op, { reason: '越权', baseVersion: await version() })).status).toBe(403);
    // The first version has no studio-black, whose entries would be stranded.
    const files = await snapshot();
    const stranded = await restore(first);
    expect(stranded.status).toBe(422);
    expect(stranded.body.error.details.map((d: { code: string }) => d.code)).toContain('LIST_HAS_ENTRIES');
    expect(await snapshot()).toEqual(files);
    expect((await restore(beforeRetire, 'stale')).status).toBe(409);
    const back = await restore(beforeRetire);
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.version).toBe(beforeRetire);
    expect(back.body.diff).toContain('-status: retired');
    expect(parse(await readFile(join(dir, 'lists', `${LIST}.yaml`), 'utf8')).status).toBeUndefined();
    expect((await activeVersions()).map((r) => r.version)).toEqual([beforeRetire]);
    const audit = await queryRows<{ n: number }>(t.db.db, sql`select count(*)::int as n from audit_log where chain = 'config' and target_id = ${beforeRetire}`);
    expect(audit[0]?.n).toBe(2);
    // The rollback is a row of the history of its own: the earlier version, in force again, with who rolled back and why.
    const after = (await t.json('GET', '/api/config/history', admin)).body as { id: number; kind: string; version: string; previous: string; author: string; reason: string; active: boolean; changed: string[] }[];
    expect(after).toHaveLength(history.length + 1);
    expect(after[0]).toMatchObject({ kind: 'rollback', version: beforeRetire, previous: history[0]?.version, author: 'admin', reason: '回退测试', active: true, changed: [`lists/${LIST}.yaml`] });
    expect(after.filter((v) => v.active)).toHaveLength(1);
    expect(after.find((v) => v.version === beforeRetire && v.kind === 'save')?.active).toBe(false);
    const rollback = await t.json('GET', `/api/config/history/${after[0]?.id}`, admin);
    expect(rollback.body.diff).toContain('-status: retired');
    const created = await t.json('POST', `/api/lists/${LIST}/entries`, op, {
      subject: { kind: 'legal_person', code: makeUscc(rng), name: makeCompanyName(rng) },
      fields: { violation: '回退后新增。' },
    });
    expect(created.status).toBe(201);
    expect((await t.json('POST', '/api/config/versions/nope/restore', admin, { reason: '回退测试', baseVersion: await version() })).status).toBe(404);
  });

  it('edits the other config files as YAML, live; refuses deleting a department or a role still in use; adds and removes a plan; never edits demo-users.yaml', async () => {
    expect((await t.json('GET', '/api/config/files', op)).status).toBe(403);
    const files = await t.json('GET', '/api/config/files', admin);
    expect(files.status).toBe(200);
    const paths: string[] = files.body.files.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['platform.yaml', 'departments.yaml', 'roles.yaml', 'measures.yaml', 'assessment.yaml', 'plans/p.yaml']));
    expect(paths.filter((p) => p === 'demo-users.yaml' || p.startsWith('lists/'))).toEqual([]);
    const content = (path: string): string => files.body.files.find((f: { path: string }) => f.path === path).content;
    expect(content('departments.yaml')).toBe(await readFile(join(dir, 'departments.yaml'), 'utf8'));

    const saveFile = async (file: string, body: Record<string, unknown>) => t.json('POST', '/api/config/save', admin, { file, reason: '调整部门和角色', baseVersion: await version(), ...body });
    /** A save of `file` that must be refused with `code` in its issues: files and version stay as they were. */
    const refusedFile = async (file: string, body: Record<string, unknown>, code: string) => {
      const before = await snapshot();
      const v = await version();
      const lint = await t.json('POST', '/api/config/lint', admin, { file, ...body });
      const issue = lint.body.issues?.find((i: { code: string }) => i.code === code);
      expect(issue, JSON.stringify(lint.body)).toBeDefined();
      const res = await saveFile(file, body);
      expect(res.status).toBe(422);
      expect(res.body.error.details?.map((d: { code: string }) => d.code) ?? [res.body.error.code]).toContain(code);
      expect(await snapshot()).toEqual(before);
      expect(await version()).toBe(v);
      return issue as { message: string; file: string } | undefined;
    };

    // A department renamed: saved, on disk, live.
    const renamed = content('departments.yaml').replace('东区市场监管局', '东城区市场监督管理局');
    const res = await saveFile('departments.yaml', { content: renamed });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.diff).toContain('+  - { code: scjg-dq, name: 东城区市场监督管理局, parent: scjg }');
    expect(await readFile(join(dir, 'departments.yaml'), 'utf8')).toBe(renamed);
    expect((await t.json('GET', '/api/config/lists', admin)).body.departments).toContainEqual(expect.objectContaining({ code: 'scjg-dq', name: '东城区市场监督管理局' }));

    // Deleting it: its operators and reviewers still hold roles there.
    const noDq = renamed
      .split('\n')
      .filter((l) => !l.includes('scjg-dq'))
      .join('\n');
    const dept = await refusedFile('departments.yaml', { content: noDq }, 'DEPARTMENT_IN_USE');
    expect(dept?.file).toBe('departments.yaml');
    expect(dept?.message).toMatch(/^部门“东城区市场监督管理局”（scjg-dq）仍有 \d+ 个用户角色授权，不能删除/);

    // Deleting a department other files still name: each reference is listed, saying what to do first.
    const noScjg = renamed
      .split('\n')
      .filter((l) => !l.includes('code: scjg,'))
      .join('\n');
    const named = await refusedFile('departments.yaml', { content: noScjg }, 'UNKNOWN_DEPARTMENT');
    expect(named?.message).toBe('部门“市场监管局”（scjg）已从 departments.yaml 删除，但这里仍在引用：请先删除或改掉这处引用，再删除该部门');
    const references = (await t.json('POST', '/api/config/lint', admin, { file: 'departments.yaml', content: noScjg })).body.issues as { code: string; file: string; path: (string | number)[]; message: string }[];
    const unknown = references.filter((i) => i.code === 'UNKNOWN_DEPARTMENT');
    expect(unknown.map((i) => `${i.file} ${i.path.join('.')}`)).toEqual(expect.arrayContaining(['departments.yaml departments.1.parent', 'plans/p.yaml tasks.0.co.0']));
    expect(unknown.every((i) => i.message.startsWith('部门“市场监管局”（scjg）已从 departments.yaml 删除'))).toBe(true);

    // A roles.yaml that does not parse is not a removal of every role it held.
    const badRoles = (await t.json('POST', '/api/config/lint', admin, { file: 'roles.yaml', content: content('roles.yaml').replace('scope: own', 'scope: owned') })).body.issues as { code: string; message: string }[];
    expect(badRoles.map((i) => i.code)).toContain('SCHEMA');
    expect(badRoles.filter((i) => i.message.includes('已从 roles.yaml 删除'))).toEqual([]);

    // A new role, granted to a user, cannot be deleted; before the grant it could be.
    const roles = content('roles.yaml');
    const withInspector = `${roles.trimEnd()}\n  - { id: inspector, name: 检查员, scope: own, actions: [lookup] }\n`;
    expect((await saveFile('roles.yaml', { content: withInspector })).status).toBe(200);
    const lintRemoval = await t.json('POST', '/api/config/lint', admin, { file: 'roles.yaml', content: roles });
    expect(lintRemoval.body).toMatchObject({ ok: true, issues: [] });
    const user = await t.json('POST', '/api/users', admin, { username: 'dq-inspector', displayName: '东城检查员', password: 'Inspector-2026!', roles: [{ role: 'inspector', department: 'scjg-dq' }] });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const role = await refusedFile('roles.yaml', { content: roles }, 'ROLE_IN_USE');
    expect(role?.message).toBe('角色“检查员”（inspector）已授予 1 个用户，不能删除；请先在用户管理中收回该角色');

    // Plans: added, linted like the rest, removed; the required files cannot be removed.
    const plan = 'id: q\ntitle: 第二个方案\nissued_by: 测试市人民政府办公室\nsource: 测试\nunit_mapping: [{ unit: 市市场监管局, department: scjg }]\ntasks:\n  - { no: \'1\', text: 开展专项治理, lead: [scjg], deadline: 2027-03-31 }\n';
    // A department that never was stays "unknown".
    const nowhere = await refusedFile('plans/q.yaml', { content: plan.replace('lead: [scjg]', 'lead: [nowhere]') }, 'UNKNOWN_DEPARTMENT');
    expect(nowhere?.message).toBe('未知的部门编码“nowhere”（见 departments.yaml）');
    expect((await saveFile('plans/q.yaml', { content: plan })).status).toBe(200);
    expect(await readFile(join(dir, 'plans', 'q.yaml'), 'utf8')).toBe(plan);
    expect((await t.json('GET', '/api/plans', admin)).body.map((p: { id: string }) => p.id)).toContain('q');
    expect((await saveFile('plans/q.yaml', { remove: true })).status).toBe(200);
    expect((await t.json('GET', '/api/plans', admin)).body.map((p: { id: string }) => p.id)).not.toContain('q');
    expect((await saveFile('roles.yaml', { remove: true })).body.error.code).toBe('CONFIG_FILE_REQUIRED');

    // Not through the studio: demo accounts (passwords), list types by path, anything else.
    for (const file of ['demo-users.yaml', 'lists/serious.yaml', '../etc/passwd', 'plans/../roles.yaml']) {
      const lint = await t.json('POST', '/api/config/lint', admin, { file, content: 'x: 1\n' });
      expect(lint.status, file).toBe(422);
      expect(lint.body.error.code).toBe('CONFIG_FILE_NOT_EDITABLE');
    }
    expect((await t.json('POST', '/api/config/lint', admin, { file: 'roles.yaml', listId: LIST, content: roles })).status).toBe(422);
  });

  it('does not overwrite a file changed on disk since the model was loaded', async () => {
    const file = join(dir, 'lists', `${LIST}.yaml`);
    const { writeFile } = await import('node:fs/promises');
    const current = await readFile(file, 'utf8');
    await writeFile(file, `${current}# 手工修改\n`);
    const before = await snapshot();
    const res = await save({ list: { ...blackList(), status: 'retired', name: '再改名' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFIG_DISK_CHANGED');
    expect(await snapshot()).toEqual(before);
  });
});
