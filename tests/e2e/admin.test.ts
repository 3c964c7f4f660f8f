/**
 * The admin in a real browser against the real server (issue 5 item 8): an operator of 市场监管局
 * drafts an entry of 市场监督管理严重违法失信名单 through the form and serves the prior notice; after
 * the statement period (test clock) the reviewer recognises and publishes it; other departments
 * cannot see it. Screenshots of the main pages land in tests/e2e/screenshots/ (gitignored).
 *
 * Needs the built admin (`pnpm --filter ./admin build`, which `pnpm test` does first) and the
 * system Chromium (/usr/bin/chromium, or CHROMIUM_PATH). Runs on PGlite or PostgreSQL (TEST_DB).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { testDbKind } from '../../api/src/db/testing.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { type ServerDatabase, serverDatabase } from '../support/db.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { chooseOptions, dialog, gone, launchChromium, login, logout, NAV_WAIT, newContext, screenshot, screenshotDir, setBrowserClock, settled, textContains, typeDate, visible } from './browser.ts';

const CLOCK_START = '2026-11-02T02:00:00Z';
/** Two weeks later: the 5 working days of the statement period are over. */
const AFTER_NOTICE = '2026-11-16T02:00:00Z';

const LIST_ID = 'market-serious-illegal';
const LIST_NAME = '市场监督管理严重违法失信名单';
const LIST_ROUTE = `/lists/${LIST_ID}`;

const rng = createRng('e2e');
const USCC = makeUscc(rng);
const COMPANY = makeCompanyName(rng);
const PENALTY_NO = '示市监处罚〔2026〕88号';

const adminIndex = fileURLToPath(new URL('../../admin/dist/index.html', import.meta.url));
const db = testDbKind();

let database: ServerDatabase;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(adminIndex)) throw new Error('admin/dist is missing: run `pnpm --filter ./admin build` first');
  database = await serverDatabase();
  server = await startServer({ ...database.env, CLOCK: 'manual', CLOCK_START, DEMO_DATA: 'off' }, 90_000);
  browser = await launchChromium();
}, 150_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.stop();
  await database?.drop();
}, 60_000);

function watch(page: Page) {
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
}

/** Opens the list type from the sider menu and waits until its table has loaded. */
async function openListFromMenu(page: Page) {
  await page.getByRole('menuitem', { name: LIST_NAME }).click();
  await page.waitForURL((url) => url.pathname === LIST_ROUTE);
  await waitForTable(page);
}

/** The entry table is on screen and not loading. */
async function waitForTable(page: Page) {
  const table = page.getByRole('table');
  await visible(table, NAV_WAIT);
  await gone(page.locator('.ant-table-wrapper .ant-spin-spinning'), NAV_WAIT);
}

function entryRow(page: Page) {
  return page.getByRole('row').filter({ hasText: COMPANY });
}

type RenderTimes = { table: number; row: number; domContentLoaded: number };

/**
 * Loads the list page and measures in the page, from navigation start (performance.timeOrigin):
 * when the entry table is first on screen, when it shows the entry's row, and DOMContentLoaded.
 */
async function timeListRender(page: Page): Promise<RenderTimes> {
  await page.goto(LIST_ROUTE, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    (name) => {
      const marks = window as unknown as { e2eTableAt?: number };
      const shown = (el: Element) => el.getBoundingClientRect().height > 0;
      const table = document.querySelector('main table');
      if (table && shown(table)) marks.e2eTableAt ??= performance.now();
      const row = [...document.querySelectorAll('main table tbody tr')].find((r) => shown(r) && r.textContent?.includes(name));
      if (!row) return false;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return { table: marks.e2eTableAt ?? performance.now(), row: performance.now(), domContentLoaded: nav?.domContentLoadedEventEnd ?? 0 };
    },
    COMPANY,
    { polling: 'raf', timeout: NAV_WAIT },
  );
  const times = (await handle.jsonValue()) as RenderTimes;
  return { table: Math.round(times.table), row: Math.round(times.row), domContentLoaded: Math.round(times.domContentLoaded) };
}

/** Takes a procedure action on the show page: button, the modal's inputs, OK, and the second confirmation when there is one. */
async function takeAction(page: Page, label: string, fill: (modal: ReturnType<typeof dialog>) => Promise<void>, opts: { irreversible: boolean; done: string }) {
  const panel = page.getByTestId('action-panel');
  await panel.getByRole('button', { name: label, exact: true }).click();
  const modal = page.getByRole('dialog').filter({ has: page.getByTestId('action-consequence') });
  await settled(modal);
  await textContains(modal, label);
  await fill(modal);
  await modal.getByRole('button', { name: `确认${label}` }).click();
  if (opts.irreversible) {
    const confirm = dialog(page, `确认${label}？`);
    await settled(confirm);
    await textContains(confirm, '此操作不可撤回');
    await confirm.getByRole('button', { name: `确认${label}` }).click();
  }
  await visible(page.getByText(opts.done, { exact: true }), NAV_WAIT);
  await gone(modal, NAV_WAIT);
}

/** The status tag in the show page's title. */
async function expectStatus(page: Page, status: string) {
  await visible(page.locator('.ant-page-header-heading-title').getByText(status, { exact: true }), NAV_WAIT);
}

describe(`admin in the browser (${db})`, () => {
  it('drafts, notifies, recognises and publishes an entry; other departments cannot see it', { timeout: 180_000 }, async () => {
    const started = performance.now();
    const shots: string[] = [];
    context = await newContext(browser, server.url, CLOCK_START);
    const page = await context.newPage();
    watch(page);
    onTestFailed(async () => {
      // What the browser showed when the test failed.
      await page.screenshot({ path: `${screenshotDir}${db}-failure.png` }).catch(() => undefined);
      process.stdout.write(`[e2e ${db}] failed on ${page.url()}; screenshot ${screenshotDir}${db}-failure.png\n`);
    });

    // 1. The operator drafts the entry through the form and serves the prior notice.
    await page.goto('/login');
    await visible(page.getByRole('button', { name: '登 录' }), NAV_WAIT);
    await textContains(page.locator('body'), '信用名单管理平台', '请使用信用办分配的账号登录');
    shots.push(await screenshot(page, `${db}-01-login`));
    await login(page, 'scjg-operator', LIST_NAME);
    await openListFromMenu(page);
    await visible(page.getByText('暂无列入记录'));

    await page.getByRole('button', { name: '新增条目' }).click();
    await page.waitForURL((url) => url.pathname === `${LIST_ROUTE}/create`);
    const form = page.getByRole('form', { name: '新增名单条目' });
    await visible(form.getByLabel('主体名称'));
    await form.getByRole('radio', { name: '法人', exact: true }).check();
    await form.getByLabel('主体名称').fill(COMPANY);
    await form.getByLabel('统一社会信用代码').fill(USCC);
    await form.getByLabel('行政处罚决定书文号', { exact: true }).fill(PENALTY_NO);
    await form.getByLabel('严重违法失信行为').fill('在食品生产中使用非食品原料，货值金额较大，性质恶劣，社会危害较大。');
    await chooseOptions(page, form, '违法行为类别', ['食品安全']);
    await chooseOptions(page, form, '较重行政处罚种类', ['较大数额罚没款', '吊销许可证件']);
    await form.getByLabel('行政处罚决定书 文号', { exact: true }).fill(PENALTY_NO);
    await typeDate(form.getByLabel('行政处罚决定书 日期', { exact: true }), '2026-10-20');
    await form.getByLabel('行政处罚决定书 标题', { exact: true }).fill('行政处罚决定书');
    // The code passes the checksum: no warning under the input.
    await expect(form.getByText('校验位不符', { exact: false }).count()).resolves.toBe(0);
    shots.push(await screenshot(page, `${db}-03-create`));
    await form.getByRole('button', { name: '保存草稿' }).click();

    await page.waitForURL(new RegExp(`${LIST_ROUTE}/show/[0-9a-f-]{36}$`), { timeout: NAV_WAIT });
    const showRoute = new URL(page.url()).pathname;
    await visible(page.getByText('草稿已保存', { exact: true }));
    await expectStatus(page, '草稿');
    await textContains(page.locator('main'), COMPANY, USCC, PENALTY_NO, '食品安全', '吊销许可证件');

    await takeAction(
      page,
      '预先告知',
      async (modal) => {
        await chooseOptions(page, modal, '送达方式', ['直接送达']);
      },
      { irreversible: false, done: '已预先告知' },
    );
    await expectStatus(page, '已告知');
    await textContains(page.locator('main'), '送达方式：直接送达', '陈述申辩期满');

    // The list shows the entry; time how fast it renders, with a warm cache and in a fresh context.
    const warmMs = await timeListRender(page);
    await textContains(entryRow(page), USCC, '已告知');
    shots.push(await screenshot(page, `${db}-02-list`));
    const cold = await newContext(browser, server.url, CLOCK_START, { storageState: await context.storageState() });
    let coldMs: RenderTimes;
    try {
      const coldPage = await cold.newPage();
      watch(coldPage);
      coldMs = await timeListRender(coldPage);
    } finally {
      await cold.close();
    }

    // 2. The statement period ends (test clock; the browser's clock moves with the server's at the next login).
    const clock = await fetch(`${server.url}/api/_test/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: AFTER_NOTICE }),
    });
    expect(clock.status).toBe(200);
    expect(await clock.json()).toMatchObject({ today: '2026-11-16' });

    // 3. The reviewer recognises (decision number left blank: numbered automatically) and publishes.
    await logout(page);
    await setBrowserClock(context, AFTER_NOTICE);
    await login(page, 'scjg-reviewer', LIST_NAME);
    // The reviewer finds it among the tasks: statement period over, ready to recognise.
    await page.getByRole('menuitem', { name: '待我处理' }).click();
    await page.waitForURL((url) => url.pathname === '/tasks');
    await page.getByRole('tab', { name: /告知期满待认定/ }).click();
    const task = page.getByRole('tabpanel').getByRole('row').filter({ hasText: COMPANY });
    await visible(task, NAV_WAIT);
    await textContains(task, LIST_NAME, '已告知', '陈述申辩期满', '认定');
    await gone(page.locator('main .ant-spin-spinning, main .ant-btn-loading'), NAV_WAIT);
    shots.push(await screenshot(page, `${db}-05-tasks`));
    await task.getByRole('button', { name: '办理' }).click();
    await page.waitForURL((url) => url.pathname === showRoute);
    await expectStatus(page, '已告知');

    await takeAction(
      page,
      '认定',
      async (modal) => {
        await typeDate(modal.getByLabel('决定日期', { exact: true }), '2026-11-16');
      },
      { irreversible: true, done: '已认定' },
    );
    await expectStatus(page, '已认定');
    await textContains(page.locator('main'), /示市监信认〔2026〕\d+号/, '2026-11-16');

    await takeAction(page, '公示', async () => {}, { irreversible: true, done: '已公示' });

    // 4. Published, with its due dates.
    await expectStatus(page, '公示中');
    // Each clock is a row: its name and its date.
    const clockRow = (name: string) => page.getByText(name, { exact: true }).locator('xpath=..');
    await textContains(clockRow('列入期满'), '2029-11-16');
    await textContains(clockRow('可申请修复'), '2027-11-16');
    await textContains(page.locator('main'), '公示日期', '2026-11-16');
    await gone(page.getByTestId('action-panel').getByRole('button', { name: '公示', exact: true }));
    shots.push(await screenshot(page, `${db}-04-show-published`));

    // A member of the public objects on the portal; the reviewer finds it among the tasks.
    const entryId = showRoute.split('/').pop();
    const objection = await fetch(`${server.url}/api/public/entries/${entryId}/objections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: '认定所依据的处罚决定已被撤销。', contact: { name: '王某', phone: '13800000000' } }),
    });
    expect(objection.status).toBe(201);
    await page.getByRole('menuitem', { name: '待我处理' }).click();
    await page.waitForURL((url) => url.pathname === '/tasks');
    await page.getByRole('tab', { name: /异议待答复/ }).click();
    const objected = page.getByRole('tabpanel').getByRole('row').filter({ hasText: COMPANY });
    await visible(objected, NAV_WAIT);
    await textContains(objected, LIST_NAME, '公示中', '核查并答复异议');
    await objected.getByRole('button', { name: '办理' }).click();
    await page.waitForURL((url) => url.pathname === showRoute);
    await expectStatus(page, '公示中');


    // 5. Another department does not see the list type; the district bureau does not see the entry.
    await logout(page);
    await login(page, 'sw-operator', '重大税收违法失信主体');
    await expect(page.getByRole('menuitem', { name: LIST_NAME }).count()).resolves.toBe(0);
    await page.goto(showRoute);
    await visible(page.getByText('无权访问', { exact: true }), NAV_WAIT);
    await expect(page.getByText(COMPANY).count()).resolves.toBe(0);
    shots.push(await screenshot(page, `${db}-06-other-department-forbidden`));

    await logout(page);
    await login(page, 'scjg-dq-operator', LIST_NAME);
    await openListFromMenu(page);
    await visible(page.getByText('暂无列入记录'));
    await expect(entryRow(page).count()).resolves.toBe(0);
    await page.goto(showRoute);
    await visible(page.getByText('名单条目不存在', { exact: true }), NAV_WAIT);
    await expect(page.getByText(COMPANY).count()).resolves.toBe(0);
    shots.push(await screenshot(page, `${db}-07-district-not-found`));

    // 6. The office admin's user management.
    await logout(page);
    await login(page, 'admin', '用户管理');
    await page.getByRole('menuitem', { name: '用户管理' }).click();
    await page.waitForURL((url) => url.pathname === '/system/users');
    await waitForTable(page);
    await visible(page.getByRole('row').filter({ hasText: '信用办管理员' }), NAV_WAIT);
    shots.push(await screenshot(page, `${db}-08-users`));

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const report = [
      `[e2e ${db}] scenario took ${seconds} s`,
      `[e2e ${db}] list page first render, navigation start → DOMContentLoaded / table visible / entry row visible: ` +
        `${warmMs.domContentLoaded} / ${warmMs.table} / ${warmMs.row} ms (warm cache), ` +
        `${coldMs.domContentLoaded} / ${coldMs.table} / ${coldMs.row} ms (fresh context, empty cache)`,
      `[e2e ${db}] screenshots:\n  ${shots.join('\n  ')}`,
      consoleErrors.length ? `[e2e ${db}] browser console errors:\n  ${consoleErrors.join('\n  ')}` : `[e2e ${db}] no browser console errors`,
    ];
    process.stdout.write(`${report.join('\n')}\n`);
    expect(pageErrors).toEqual([]);
  });
});
