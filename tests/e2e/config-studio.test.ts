/**
 * The config studio in a real browser against the real server (issue 10, "done when"): the office
 * admin creates a new black list type for 住建局 through the form (fields, notice period, term,
 * repair rule, measures, permissions), sees the lint error for the missing legal basis next to the
 * field, fixes it and saves with a reason; then, without a restart, the department's operator
 * creates an entry in the new list and serves the prior notice. Then, in 其他配置, the admin renames a
 * department in the table generated from the schema, is refused deleting a department whose users still hold roles,
 * and rolls the rename back from the version history, where the rollback is a row of its own. Last, the list-type editor: the preview of
 * the entry form, columns and state diagram follows a field renamed in the form; the YAML tab shows
 * the same document (comments kept) with the settings edited in 更多设置 (generated from the list
 * schema), completes a key from the config schema, names an unknown key;
 * back on the form the YAML's change is there, and the save keeps both.
 *
 * The server writes into a temp copy of config/ (CONFIG_DIR), never the repo's. Needs the built
 * admin and the system Chromium, like admin.test.ts. Screenshots land in tests/e2e/screenshots/.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { testDbKind } from '../../api/src/db/testing.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig } from '../support/app.ts';
import { type ServerDatabase, serverDatabase } from '../support/db.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { chooseOptions, dialog, editorText, gone, launchChromium, login, logout, NAV_WAIT, newContext, screenshot, screenshotDir, settled, textContains, visible, WAIT } from './browser.ts';

const CLOCK_START = '2026-11-02T02:00:00Z';
const DEPARTMENT = '示例市住房和城乡建设局';
const LIST_ID = 'zjj-studio-black';
const LIST_NAME = '建筑市场严重失信主体名单（工作室新建）';
const BASIS = '《建筑市场信用管理暂行办法》（建市〔2017〕241号）第十四条';
const RENAMED = '示例市大数据发展中心';
const YAML_LIST = 'wage-arrears';
const FIELD_RENAMED = '所属用人单位名称';
const FIELD_HELP = '列入对象为自然人时，填写其所在用人单位的全称。';
const RENAME_REASON = '大数据中心更名为大数据发展中心';
const CATALOGUE_REASON = '西区市场监管局撤并，不再单独报送';
const ROLLBACK_REASON = '更名文件尚未印发，回退';

const rng = createRng('e2e-studio');
const USCC = makeUscc(rng);
const COMPANY = makeCompanyName(rng);

const adminIndex = fileURLToPath(new URL('../../admin/dist/index.html', import.meta.url));
const db = testDbKind();

let configDir: string;
let database: ServerDatabase;
let server: RunningServer;
let browser: Browser;
/** One context per test, so that no test runs on another's session or page state. */
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(adminIndex)) throw new Error('admin/dist is missing: run `pnpm --filter ./admin build` first');
  configDir = await mkdtemp(join(tmpdir(), 'credit-e2e-config-'));
  await cp(demoConfig, configDir, { recursive: true });
  database = await serverDatabase();
  server = await startServer({ ...database.env, CONFIG_DIR: configDir, CLOCK: 'manual', CLOCK_START, DEMO_DATA: 'off' }, 90_000);
  browser = await launchChromium();
}, 150_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.stop();
  await database?.drop();
  if (configDir) await rm(configDir, { recursive: true, force: true });
}, 60_000);

/** Picks options of a multiple select (chooseOptions closes it only when it picks more than one). */
async function chooseMany(page: Page, label: string, options: string[]) {
  if (options.length > 1) return chooseOptions(page, page.locator('main'), label, options);
  await page.locator('main').getByLabel(label, { exact: true }).click();
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await settled(dropdown);
  for (const option of options) await dropdown.getByTitle(option, { exact: true }).click();
  await page.keyboard.press('Escape');
  await gone(dropdown);
}

/** The form item of a label: its control and the error shown under it. */
const formItem = (page: Page, label: string) => page.locator('.ant-form-item').filter({ has: page.getByText(label, { exact: true }) }).last();

async function editorContains(editor: Locator, text: string) {
  await expect.poll(() => editorText(editor), { timeout: WAIT }).toContain(text);
}

/** A page in a new browser context, its errors collected, a screenshot taken if the test fails. */
async function freshPage(name: string) {
  const context = await newContext(browser, server.url, CLOCK_START);
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`${page.url()}: ${err.message}`));
  onTestFailed(async () => {
    await page.screenshot({ path: `${screenshotDir}${db}-studio-${name}-failure.png`, fullPage: true }).catch(() => undefined);
    process.stdout.write(`[e2e studio ${name} ${db}] failed on ${page.url()}; screenshot ${screenshotDir}${db}-studio-${name}-failure.png\n`);
  });
  return { page, errors };
}

describe(`config studio in the browser (${db})`, () => {
  it('office admin creates a black list type through the form; the operator uses it without a restart', { timeout: 240_000 }, async () => {
    const context = await newContext(browser, server.url, CLOCK_START);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    onTestFailed(async () => {
      await page.screenshot({ path: `${screenshotDir}${db}-studio-failure.png` }).catch(() => undefined);
      process.stdout.write(`[e2e studio ${db}] failed on ${page.url()}; screenshot ${screenshotDir}${db}-studio-failure.png\n`);
    });
    const before = (await (await fetch(`${server.url}/api/health`)).json()).version as string;

    // 1. The office admin opens the studio from the menu and starts a list type for 住建局.
    await page.goto('/login');
    await login(page, 'admin', '配置工作室');
    await page.getByRole('menuitem', { name: '配置工作室' }).click();
    await page.waitForURL((url) => url.pathname === '/config/studio');
    await page.getByRole('button', { name: `为${DEPARTMENT}新建名单类型` }).click();
    await page.waitForURL((url) => url.pathname === '/config/studio/lists/_new');
    await visible(page.getByRole('heading', { name: '新建名单类型' }));

    await formItem(page, '名单标识').getByRole('textbox').fill(LIST_ID);
    await formItem(page, '名称').getByRole('textbox').fill(LIST_NAME);
    await textContains(formItem(page, '主管部门'), DEPARTMENT);
    // Fields: the default one plus the penalty decision number.
    await page.getByRole('button', { name: '添加字段' }).click();
    await page.getByLabel('字段键 2', { exact: true }).fill('penalty_no');
    await page.getByLabel('字段名称 2', { exact: true }).fill('行政处罚决定书文号');
    await page.getByLabel('必填 2', { exact: true }).check();
    // Notice period 7 working days, term 3 years (default), repair after 1 year with materials.
    await page.getByLabel('陈述申辩期', { exact: true }).fill('7');
    await expect(page.getByLabel('默认列入期限', { exact: true }).inputValue()).resolves.toBe('3');
    await chooseMany(page, '修复所需材料', ['信用承诺书', '履行义务证明']);
    await chooseMany(page, '关联措施', ['依法限制参加政府采购活动（M-GOV-PROCUREMENT-BAN）']);
    await chooseMany(page, '移出', ['审核人']);

    // 2. No legal basis yet: the linter says so next to the field.
    const basis = formItem(page, '认定依据');
    await visible(basis.locator('.ant-form-item-explain-error'), NAV_WAIT);
    await textContains(basis.locator('.ant-form-item-explain-error'), '缺少法律依据');
    await visible(page.getByText(/\d+ 个问题/));
    await screenshot(page, `${db}-studio-01-lint-error`);

    // 3. Fixed: the error goes, the lint passes.
    await basis.getByRole('textbox').fill(BASIS);
    await gone(basis.locator('.ant-form-item-explain-error'), NAV_WAIT);
    await visible(page.getByText('检查通过', { exact: true }), NAV_WAIT);

    // 4. Save with a reason, after looking at the diff.
    await page.getByRole('button', { name: '保存…' }).click();
    const confirm = dialog(page, `保存名单类型 ${LIST_ID}`);
    await settled(confirm);
    await textContains(confirm, `+++ b/lists/${LIST_ID}.yaml`, `+name: ${LIST_NAME}`);
    await confirm.getByLabel('修改原因').fill('新增建筑市场严重失信主体名单');
    await screenshot(page, `${db}-studio-02-confirm`);
    await confirm.getByRole('button', { name: '确认保存' }).click();
    await page.waitForURL((url) => url.pathname === '/config/studio', { timeout: NAV_WAIT });
    const row = page.getByRole('row').filter({ hasText: LIST_ID });
    await visible(row, NAV_WAIT);
    await textContains(row, LIST_NAME, '启用');
    await screenshot(page, `${db}-studio-03-saved`);

    // The file is in the temp config dir, and the running server serves the new version.
    const yaml = parse(await readFile(join(configDir, 'lists', `${LIST_ID}.yaml`), 'utf8'));
    expect(yaml).toMatchObject({
      id: LIST_ID,
      kind: 'black',
      department: 'zjj',
      legal_basis: [BASIS],
      procedure: { notice: { statement_period: { working_days: 7 } } },
      term: { default: { years: 3 } },
      repair: { requires: ['commitment-letter', 'fulfilment-proof'] },
      measures: ['M-GOV-PROCUREMENT-BAN'],
      permissions: { create: ['operator'], notify: ['operator'], exit: ['reviewer'] },
    });
    // 更多设置 left alone adds nothing to the new file.
    for (const key of ['category', 'description', 'personal_info', 'exit', 'revoke']) expect(yaml).not.toHaveProperty(key);
    expect(Object.keys(yaml.procedure).sort()).toEqual(['notice', 'publish', 'recognise']);
    const after = (await (await fetch(`${server.url}/api/health`)).json()).version as string;
    expect(after).not.toBe(before);

    // History shows the save with its author and reason.
    await page.getByRole('tab', { name: '版本历史' }).click();
    const version = page.getByRole('row').filter({ hasText: '新增建筑市场严重失信主体名单' });
    await visible(version, NAV_WAIT);
    await textContains(version, 'admin', after, `lists/${LIST_ID}.yaml`);

    // 5. Same server process: the operator of 住建局 drafts an entry in the new list and notifies it.
    await logout(page);
    await login(page, 'zjj-operator', LIST_NAME);
    // The sidebar opens its groups with an animation; a click during it can land on the item next door.
    const menuItem = page.getByRole('menuitem', { name: LIST_NAME });
    await visible(menuItem, NAV_WAIT);
    await settled(page.locator('.ant-layout-sider'));
    await menuItem.click();
    await page.waitForURL((url) => url.pathname === `/lists/${LIST_ID}`);
    await page.getByRole('button', { name: '新增条目' }).click();
    const form = page.getByRole('form', { name: '新增名单条目' });
    await visible(form.getByLabel('主体名称'));
    await form.getByRole('radio', { name: '法人', exact: true }).check();
    await form.getByLabel('主体名称').fill(COMPANY);
    await form.getByLabel('统一社会信用代码').fill(USCC);
    await form.getByLabel('失信行为', { exact: true }).fill('承揽工程中转包、违法分包，情节严重。');
    await form.getByLabel('行政处罚决定书文号', { exact: true }).fill('示建罚〔2026〕12号');
    await form.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(new RegExp(`/lists/${LIST_ID}/show/[0-9a-f-]{36}$`), { timeout: NAV_WAIT });
    await visible(page.getByText('草稿已保存', { exact: true }));

    const panel = page.getByTestId('action-panel');
    await panel.getByRole('button', { name: '预先告知', exact: true }).click();
    const modal = page.getByRole('dialog').filter({ has: page.getByTestId('action-consequence') });
    await settled(modal);
    await chooseOptions(page, modal, '送达方式', ['直接送达']);
    await modal.getByRole('button', { name: '确认预先告知' }).click();
    await visible(page.getByText('已预先告知', { exact: true }), NAV_WAIT);
    await visible(page.locator('.ant-page-header-heading-title').getByText('已告知', { exact: true }), NAV_WAIT);
    // Seven working days from Monday 2026-11-02: Wednesday 2026-11-11.
    await textContains(page.locator('main'), COMPANY, '陈述申辩期满', '2026-11-11');
    await screenshot(page, `${db}-studio-04-entry-notified`);
    expect(pageErrors).toEqual([]);
    await gone(page.locator('main .ant-spin-spinning'), WAIT);
  });

  it('office admin renames a department in the form generated from the schema, is refused deleting one still in use, and rolls the rename back', { timeout: 240_000 }, async () => {
    // A context of its own: the first test logged out as the operator of 住建局.
    const { page, errors } = await freshPage('files');
    const health = async () => (await (await fetch(`${server.url}/api/health`)).json()).version as string;
    const onDisk = (file: string) => readFile(join(configDir, file), 'utf8');
    // Whatever the first test saved, this is the version the rename starts from and goes back to.
    const start = await health();
    const departmentsBefore = await onDisk('departments.yaml');
    const assessmentBefore = await onDisk('assessment.yaml');
    const editor = (file: string) => page.getByLabel(`${file} 的内容`, { exact: true });
    const saveButton = page.getByRole('button', { name: '保存…', exact: true });
    /** The file opens on its generated form; the YAML tab shows its text. */
    const yamlTab = async (file: string) => {
      await page.getByRole('tab', { name: 'YAML', exact: true }).click();
      await visible(editor(file), NAV_WAIT);
    };
    /**
     * Opens another file. The click goes to the select itself: its search input (the combobox) lies
     * under the selected item, which would take the click.
     */
    const openFile = async (option: string, file: string) => {
      await page.locator('main .ant-select').filter({ has: page.getByRole('combobox', { name: '配置文件', exact: true }) }).click();
      const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
      await settled(dropdown);
      await dropdown.getByTitle(option, { exact: true }).click();
      await gone(dropdown);
      await yamlTab(file);
    };
    /** Saves the editor's text with a reason; done once the editor has reloaded the saved file (nothing left to save). */
    const save = async (file: string, reason: string, diff: string[], shot: string) => {
      await saveButton.click();
      const confirm = dialog(page, `保存配置文件 ${file}`);
      await settled(confirm);
      await textContains(confirm, `+++ b/${file}`, ...diff);
      await confirm.getByLabel('修改原因').fill(reason);
      await screenshot(page, shot);
      await confirm.getByRole('button', { name: '确认保存' }).click();
      await gone(confirm, NAV_WAIT);
      await expect.poll(() => saveButton.isDisabled(), { timeout: NAV_WAIT }).toBe(true);
    };

    // 1. 其他配置 opens on departments.yaml, as a form generated from the schema: a table of the
    // departments. 大数据中心 is renamed in its row.
    await page.goto('/login');
    await login(page, 'admin', '配置工作室');
    await page.goto('/config/studio?tab=files');
    await visible(page.getByTestId('schema-form'), NAV_WAIT);
    const row = (parse(departmentsBefore).departments as { code: string }[]).findIndex((d) => d.code === 'dsj') + 1;
    const nameCell = page.getByLabel(`名称 ${row}`, { exact: true });
    expect(await nameCell.inputValue()).toBe('示例市大数据中心');
    expect(await page.getByLabel(`代码 ${row}`, { exact: true }).inputValue()).toBe('dsj');
    await nameCell.fill(RENAMED);
    await visible(page.getByText('检查通过', { exact: true }), NAV_WAIT);
    // The form wrote into the YAML: that one line changed, every comment and blank line kept.
    const renamed = departmentsBefore.replace('    name: 示例市大数据中心\n', `    name: ${RENAMED}\n`);
    expect(renamed).not.toBe(departmentsBefore);
    await yamlTab('departments.yaml');
    expect(await editorText(editor('departments.yaml'))).toBe(renamed);
    await save('departments.yaml', RENAME_REASON, ['-    name: 示例市大数据中心', `+    name: ${RENAMED}`], `${db}-studio-files-01-rename-confirm`);
    // Written to the temp config dir and live: the server serves a new version.
    expect(await onDisk('departments.yaml')).toBe(renamed);
    expect(parse(renamed).departments).toContainEqual(expect.objectContaining({ code: 'dsj', name: RENAMED }));
    const afterRename = await health();
    expect(afterRename).not.toBe(start);
    await screenshot(page, `${db}-studio-files-02-renamed`);

    // 2. The office means to dissolve 西区市场监管局. Every config reference to it goes first (the
    // assessment catalogue is the only one); with a reference left, the deletion would stop at the
    // lint (unknown department) before the data rules are checked.
    await openFile('考核指标（assessment.yaml）', 'assessment.yaml');
    const catalogueLine = '  - department: scjg-xq\n    record_types: [admin-penalty-scjg, admin-licence-scjg]\n';
    const withoutXq = assessmentBefore.replace(catalogueLine, '');
    expect(withoutXq).not.toBe(assessmentBefore);
    await editor('assessment.yaml').fill(withoutXq);
    await visible(page.getByText('检查通过', { exact: true }), NAV_WAIT);
    await save('assessment.yaml', CATALOGUE_REASON, ['-  - department: scjg-xq'], `${db}-studio-files-03-catalogue-confirm`);
    expect(await onDisk('assessment.yaml')).toBe(withoutXq);
    const afterCatalogue = await health();
    expect(afterCatalogue).not.toBe(afterRename);

    // The department itself cannot go: its demo operator and reviewer still hold roles there.
    await openFile('部门（departments.yaml）', 'departments.yaml');
    const withoutDepartment = renamed.replace(/ {2}- code: scjg-xq\n(?: {4}.*\n)+/, '');
    expect(withoutDepartment).not.toBe(renamed);
    await editor('departments.yaml').fill(withoutDepartment);
    const issues = page.getByTestId('config-issues');
    await visible(issues, NAV_WAIT);
    await textContains(issues, '以下问题需要先改正', '部门“西区市场监督管理局”（scjg-xq）仍有 2 个用户角色授权，不能删除；可修改名称，或先移交其数据和授权');
    await visible(page.getByText('1 个问题', { exact: true }));
    await screenshot(page, `${db}-studio-files-04-in-use`);
    // Saving is refused in the page: a message, no confirmation, nothing written.
    await saveButton.click();
    await visible(page.getByText('还有 1 个问题，改正后才能保存', { exact: true }));
    await expect.poll(() => dialog(page, '保存配置文件 departments.yaml').count()).toBe(0);
    expect(await onDisk('departments.yaml')).toBe(renamed);
    expect(await health()).toBe(afterCatalogue);
    // Reverting discards the edit and its issues.
    await page.getByRole('button', { name: '撤销修改', exact: true }).click();
    await gone(issues);
    expect(await editorText(editor('departments.yaml'))).toBe(renamed);
    await expect.poll(() => saveButton.isDisabled()).toBe(true);

    // 3. History: back to the version before the rename, which also undoes the catalogue change.
    await page.getByRole('tab', { name: '版本历史' }).click();
    const renameRow = page.getByRole('row').filter({ hasText: RENAME_REASON });
    await visible(renameRow, NAV_WAIT);
    await textContains(renameRow, 'admin', afterRename, 'departments.yaml');
    await textContains(page.getByRole('row').filter({ hasText: CATALOGUE_REASON }), afterCatalogue, 'assessment.yaml', '生效中');
    const startRow = page.getByRole('row').filter({ hasText: start }).filter({ hasNotText: ROLLBACK_REASON });
    await startRow.getByRole('button', { name: '回退到此版本', exact: true }).click();
    const restore = dialog(page, `回退到配置版本 ${start}`);
    await settled(restore);
    await restore.getByLabel('修改原因').fill(ROLLBACK_REASON);
    await screenshot(page, `${db}-studio-files-05-restore-confirm`);
    await restore.getByRole('button', { name: '回退到此版本', exact: true }).click();
    await gone(restore, NAV_WAIT);
    // Both files as they were, live.
    await expect.poll(() => onDisk('departments.yaml'), { timeout: NAV_WAIT }).toBe(departmentsBefore);
    expect(await onDisk('assessment.yaml')).toBe(assessmentBefore);
    expect(await health()).toBe(start);
    // The rollback is the newest row of the history, with who rolled back, why, and both files.
    const rollbackRow = page.getByRole('row').filter({ hasText: ROLLBACK_REASON });
    await visible(rollbackRow, NAV_WAIT);
    expect(await page.getByRole('row').nth(1).textContent()).toContain(ROLLBACK_REASON);
    await textContains(rollbackRow, '回退', 'admin', start, 'assessment.yaml', 'departments.yaml', '生效中');
    // The earlier row of the same version is history now: not in force, nothing to roll back to.
    await expect.poll(() => startRow.textContent()).not.toContain('生效中');
    expect(await startRow.getByRole('button', { name: '回退到此版本', exact: true }).count()).toBe(0);
    await expect.poll(() => renameRow.textContent()).not.toContain('生效中');
    await visible(page.getByRole('row').filter({ hasText: CATALOGUE_REASON }).getByRole('button', { name: '回退到此版本', exact: true }));
    // Its diff: the department's name back, and the catalogue line back.
    await rollbackRow.getByRole('button', { name: /展开行|Expand row/ }).click();
    const diff = page.locator('.studio-diff').filter({ hasText: 'assessment.yaml' });
    await textContains(diff, 'b/departments.yaml', 'b/assessment.yaml', 'scjg-xq');
    await screenshot(page, `${db}-studio-files-06-rolled-back`);
    expect(errors).toEqual([]);
  });

  it('previews the form, columns and diagram; edits the same document as YAML with completion; saves', { timeout: 240_000 }, async () => {
    const { page, errors } = await freshPage('yaml');
    const original = await readFile(join(configDir, 'lists', `${YAML_LIST}.yaml`), 'utf8');

    await page.goto('/login');
    await login(page, 'admin', '配置工作室');
    await page.goto(`/config/studio/lists/${YAML_LIST}`);
    await visible(page.getByRole('heading', { name: /拖欠农民工工资失信联合惩戒对象名单/ }), NAV_WAIT);

    // 1. The preview: the operator's entry form, the list's columns and the state diagram.
    const preview = page.getByTestId('studio-preview');
    await visible(preview, NAV_WAIT);
    const entryForm = preview.getByRole('form', { name: '新增名单条目' });
    await visible(entryForm);
    await textContains(entryForm, '列入情形', '拖欠工资数额（元）', '所属用人单位');
    await preview.getByRole('tab', { name: '列表列' }).click();
    const columns = preview.getByRole('table');
    await textContains(columns, '信用主体', '状态', '列入情形', '有关人员身份', '所属用人单位');
    await preview.getByRole('tab', { name: '流程状态图' }).click();
    const diagram = preview.getByRole('img', { name: '流程图' });
    await visible(diagram);
    await textContains(diagram, '草稿');
    await screenshot(page, `${db}-studio-yaml-01-preview`);

    // 2. A field renamed in the form: the preview's columns follow once the lint answers.
    await page.getByLabel('字段名称 3', { exact: true }).fill(FIELD_RENAMED);
    await preview.getByRole('tab', { name: '列表列' }).click();
    await textContains(preview.getByRole('table'), FIELD_RENAMED);

    // 2b. 更多设置, generated from the list schema: the settings the sections above lack, on the same document.
    const more = page.getByTestId('generated-settings');
    await more.scrollIntoViewIfNeeded();
    await textContains(more, '提前移出 1', '已足额支付拖欠工资，改正之日起满6个月未再发生拖欠');
    // Materials by their names, not their ids; a case that cannot be repaired names one of the list's own fields.
    await textContains(more.getByLabel('移出 提前移出 所需材料 1', { exact: true }).first(), '信用承诺书');
    await chooseOptions(page, more, '信用修复 不予修复的情形 字段', ['有关人员身份（person_role）']);
    await more.getByRole('combobox', { name: '信用修复 不予修复的情形 取值', exact: true }).fill('法定代表人');
    await page.keyboard.press('Enter');
    await chooseOptions(page, more, '移出 期满时', ['人工确认移出']);
    await more.getByLabel('异议处理 异议标注期限', { exact: true }).fill('2');
    await more.getByLabel('认定程序 预先告知 可申请听证', { exact: true }).click();
    // A step turned off and on again keeps its settings.
    const revoke = more.getByLabel('撤销认定', { exact: true });
    await expect.poll(() => revoke.getAttribute('aria-checked')).toBe('true');
    await revoke.click();
    await visible(more.getByText('未启用', { exact: true }));
    await revoke.click();
    await expect.poll(() => more.getByLabel('撤销认定 期限', { exact: true }).inputValue()).toBe('3');
    await screenshot(page, `${db}-studio-yaml-01b-generated`);
    // A field's settings beyond the table's columns, under its row: the help text of field 3.
    const fieldRow = page.getByRole('row').filter({ has: page.getByLabel('字段名称 3', { exact: true }) });
    await fieldRow.getByRole('button', { name: /展开行/ }).click();
    const help = page.getByLabel('填写说明 3', { exact: true });
    await expect.poll(() => help.inputValue(), { timeout: WAIT }).toBe('列入对象为自然人时，填写其所在用人单位名称。');
    await help.fill(FIELD_HELP);
    await expect.poll(() => page.getByLabel('最小值 4', { exact: true }).count()).toBe(0);

    // 3. The YAML tab shows the same document, as it would be saved: the rename, and the file's comments.
    await page.getByRole('tab', { name: 'YAML', exact: true }).click();
    const editor = page.getByLabel(`lists/${YAML_LIST}.yaml 的内容`, { exact: true });
    await visible(editor, NAV_WAIT);
    await editorContains(editor, `label: ${FIELD_RENAMED}`);
    await editorContains(editor, '# The only list that publishes natural persons');
    await editorContains(editor, 'on_term_end: manual');
    await editorContains(editor, 'hearing: true');

    // 4. Completion from the config schema: a new line at the top, "stat" offers the key "status".
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.type('stat');
    const completion = page.locator('.cm-tooltip-autocomplete');
    await visible(completion);
    await textContains(completion, 'status');
    await screenshot(page, `${db}-studio-yaml-02-completion`);
    await textContains(completion.locator('[aria-selected=true]'), 'status');
    await page.keyboard.press('Enter');
    await editorContains(editor, 'status:');
    // Whatever the completion left after the key, the line becomes "status: active".
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('status: active');
    await page.keyboard.press('Escape');
    await editorContains(editor, 'status: active');

    // 5. An unknown key: the server's lint names it, with the file and line.
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('colour: 1');
    await page.keyboard.press('Escape');
    const issues = page.getByTestId('config-issues');
    await visible(issues, NAV_WAIT);
    await textContains(issues, `lists/${YAML_LIST}.yaml`, 'colour');
    await screenshot(page, `${db}-studio-yaml-03-unknown-key`);
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await gone(issues, NAV_WAIT);
    await visible(page.getByText('检查通过', { exact: true }), NAV_WAIT);

    // 6. Back to the form: it is filled from the YAML (the rename kept, the status now set).
    await page.getByRole('tab', { name: '表单', exact: true }).click();
    await expect.poll(() => page.getByLabel('字段名称 3', { exact: true }).inputValue(), { timeout: WAIT }).toBe(FIELD_RENAMED);
    await textContains(page.locator('.ant-form-item').filter({ has: page.getByText('状态', { exact: true }) }).first(), '启用');

    // 7. Save with a reason; the file keeps its comments and holds both changes.
    await page.getByRole('button', { name: '保存…' }).click();
    const confirm = dialog(page, `保存名单类型 ${YAML_LIST}`);
    await settled(confirm);
    await textContains(confirm, `+    label: ${FIELD_RENAMED}`, '+status: active', '+  on_term_end: manual', '+    hearing: true');
    await confirm.getByLabel('修改原因').fill('字段名称更明确');
    await confirm.getByRole('button', { name: '确认保存' }).click();
    await page.waitForURL((url) => url.pathname === '/config/studio', { timeout: NAV_WAIT });
    const saved = await readFile(join(configDir, 'lists', `${YAML_LIST}.yaml`), 'utf8');
    expect(saved).not.toBe(original);
    expect(saved).toContain('# The only list that publishes natural persons');
    const doc = parse(saved);
    expect(doc.status).toBe('active');
    expect(doc.fields[2]).toMatchObject({ key: 'employer_name', label: FIELD_RENAMED });
    // Exactly the changes made, nothing else: the generated controls left alone add no keys.
    const expected = parse(original);
    expected.status = 'active';
    expected.fields[2].label = FIELD_RENAMED;
    expected.fields[2].help = FIELD_HELP;
    expected.exit.on_term_end = 'manual';
    expected.objection.flag_within = { working_days: 2 };
    expected.procedure.notice.hearing = true;
    expected.repair.not_repairable_when = { field: 'person_role', in: ['法定代表人'] };
    expect(doc).toEqual(expected);
    expect(errors).toEqual([]);
  });
});
