/**
 * The config studio in a real browser against the real server (issue 10, "done when"): the office
 * admin creates a new black list type for 住建局 through the form (fields, notice period, term,
 * repair rule, measures, permissions), sees the lint error for the missing legal basis next to the
 * field, fixes it and saves with a reason; then, without a restart, the department's operator
 * creates an entry in the new list and serves the prior notice.
 *
 * The server writes into a temp copy of config/ (CONFIG_DIR), never the repo's. Needs the built
 * admin and the system Chromium, like admin.test.ts. Screenshots land in tests/e2e/screenshots/.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { testDbKind } from '../../api/src/db/testing.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig } from '../support/app.ts';
import { type ServerDatabase, serverDatabase } from '../support/db.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { chooseOptions, dialog, gone, launchChromium, login, logout, NAV_WAIT, newContext, screenshot, screenshotDir, settled, textContains, visible, WAIT } from './browser.ts';

const CLOCK_START = '2026-11-02T02:00:00Z';
const DEPARTMENT = '示例市住房和城乡建设局';
const LIST_ID = 'zjj-studio-black';
const LIST_NAME = '建筑市场严重失信主体名单（工作室新建）';
const BASIS = '《建筑市场信用管理暂行办法》（建市〔2017〕241号）第十四条';

const rng = createRng('e2e-studio');
const USCC = makeUscc(rng);
const COMPANY = makeCompanyName(rng);

const adminIndex = fileURLToPath(new URL('../../admin/dist/index.html', import.meta.url));
const db = testDbKind();

let configDir: string;
let database: ServerDatabase;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;
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
  await context?.close().catch(() => undefined);
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

describe(`config studio in the browser (${db})`, () => {
  it('office admin creates a black list type through the form; the operator uses it without a restart', { timeout: 240_000 }, async () => {
    context = await newContext(browser, server.url, CLOCK_START);
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
    await page.getByRole('menuitem', { name: LIST_NAME }).click();
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
});
