/**
 * The report pages in a real browser against the real server (issue 7): the leader opens 领导驾驶舱
 * and 考核评价 for the last quarter, drills down from 市场监督管理局's 任务按期完成 points to the
 * overdue plan tasks behind them, and exports the assessment to xlsx (read back and compared with
 * the API's JSON); a department's reviewer sees no dashboard and only their own figures; the office
 * records a 加减分 and sees it beside the computed points. Screenshots land in tests/e2e/screenshots/.
 *
 * The test clock stands in January 2023: the 2022 tasks of config/plans/qtx-2022.yaml are overdue
 * (no progress reported), so 2022-Q4 has failing items without any demo data.
 * Needs the built admin (`pnpm --filter ./admin build`) and /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { testDbKind } from '../../api/src/db/testing.ts';
import { readWorkbook, sheetRows } from '../../api/src/reports/xlsx.ts';
import { type ServerDatabase, serverDatabase } from '../support/db.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { dialog, gone, launchChromium, login, NAV_WAIT, newContext, screenshot, screenshotDir, settled, textContains, visible, WAIT } from './browser.ts';

const CLOCK_START = '2023-01-16T02:00:00Z';
const PERIOD = '2022-Q4';
const SCJG = '示例市市场监督管理局';

const adminIndex = fileURLToPath(new URL('../../admin/dist/index.html', import.meta.url));
const db = testDbKind();

let database: ServerDatabase;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(adminIndex)) throw new Error('admin/dist is missing: run `pnpm --filter ./admin build` first');
  database = await serverDatabase();
  server = await startServer({ ...database.env, CLOCK: 'manual', CLOCK_START, DEMO_DATA: 'off' }, 90_000);
  browser = await launchChromium();
}, 150_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.stop();
  await database?.drop();
}, 60_000);

async function openPage(name: string): Promise<Page> {
  const context = await newContext(browser, server.url, CLOCK_START, { acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  onTestFailed(async () => {
    await page.screenshot({ path: `${screenshotDir}${db}-reports-${name}-failure.png` }).catch(() => undefined);
    process.stdout.write(`[e2e ${db}] failed on ${page.url()}; screenshot ${screenshotDir}${db}-reports-${name}-failure.png\n`);
  });
  return page;
}

/** The API's answer with the page's own session token. */
async function apiJson<T>(page: Page, path: string): Promise<T> {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('credit-lists.session') ?? 'null')?.token as string);
  const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

type Report = {
  period: { key: string };
  indicators: { id: string; name: string; weight: number }[];
  departments: { department: string; name: string; rank: number; computed: number; adjustment: number; total: number; indicators: { id: string; points: number }[] }[];
  ranking: { department: string; total: number }[];
  scope: unknown;
};

/** Picks a quarter in the period selector (quarters are the default kind, config default_period). */
async function choosePeriod(page: Page, key: string) {
  // antd puts the aria-label on the select and on its search input; the select takes the click.
  await page.getByLabel('考核期间', { exact: true }).first().click();
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await settled(dropdown);
  await dropdown.getByTitle(key, { exact: true }).click();
  await gone(dropdown);
  await page.waitForURL((url) => url.searchParams.get('period') === key);
  await textContains(page.getByRole('heading', { level: 3 }), '2022年第4季度');
}

async function waitForScores(page: Page) {
  await visible(page.getByTestId('assessment'), NAV_WAIT);
  await gone(page.locator('.ant-spin-spinning'), NAV_WAIT);
}

describe(`report pages in the browser (${db})`, () => {
  it('the leader reads the dashboard and the assessment, drills down and exports', { timeout: 240_000 }, async () => {
    const page = await openPage('leader');
    await login(page, 'leader', '领导驾驶舱');
    await visible(page.getByRole('menuitem', { name: '考核评价' }));

    // 领导驾驶舱: key numbers, ranking and the charts (canvas from the lazily loaded chunk).
    const chartsRequested: string[] = [];
    page.on('request', (r) => {
      if (/\/assets\/charts-/.test(r.url())) chartsRequested.push(r.url());
    });
    await page.getByRole('menuitem', { name: '领导驾驶舱' }).click();
    await page.waitForURL((url) => url.pathname === '/reports/dashboard');
    await visible(page.getByTestId('dashboard'), NAV_WAIT);
    await textContains(page.getByRole('heading', { level: 3 }), '领导驾驶舱');
    await visible(page.getByText('部门得分排名'));
    await textContains(page.getByTestId('kpi-overdue'), '逾期任务');
    await visible(page.locator('[data-testid="dashboard"] canvas'), NAV_WAIT);
    expect(chartsRequested.length).toBeGreaterThan(0);
    await page.waitForTimeout(1500); // let G2's entry animation finish before the screenshot
    await screenshot(page, `${db}-reports-01-dashboard`);

    // 考核评价 for the last quarter.
    await page.getByRole('menuitem', { name: '考核评价' }).click();
    await page.waitForURL((url) => url.pathname === '/reports/assessment');
    await waitForScores(page);
    await choosePeriod(page, PERIOD);
    const report = await apiJson<Report>(page, `/api/reports/assessment?period=${PERIOD}`);
    expect(report.scope).toBe('all');
    const scjg = report.departments.find((d) => d.department === 'scjg');
    const planIndex = report.indicators.findIndex((i) => i.id === 'plan-tasks');
    expect(scjg && planIndex >= 0).toBe(true);
    if (!scjg) return;
    const planPoints = scjg.indicators[planIndex]?.points ?? -1;
    expect(planPoints).toBeLessThan(report.indicators[planIndex]?.weight ?? 0);
    // The table shows the API's totals row by row, in rank order.
    const row = page.getByRole('row').filter({ hasText: SCJG }).first();
    await textContains(row, scjg.total.toFixed(2), scjg.computed.toFixed(2));
    await screenshot(page, `${db}-reports-02-assessment`);

    // Drill down from the points to the overdue tasks behind them.
    await page.getByTestId('score-scjg-plan-tasks').click();
    const drawer = page.locator('.ant-drawer-content').filter({ hasText: `${SCJG} · ` });
    await settled(drawer);
    const items = await apiJson<{ total: number; items: { itemId: string; subjectName: string | null }[] }>(page, `/api/reports/assessment/scjg/plan-tasks?period=${PERIOD}`);
    expect(items.total).toBeGreaterThan(0);
    await textContains(drawer.getByTestId('drill-count'), `未达标事项 ${items.total} 项`);
    await visible(drawer.getByText('逾期未办结').first());
    await expect.poll(() => drawer.locator('tbody tr.ant-table-row').count(), { timeout: WAIT }).toBe(Math.min(items.items.length, 20));
    await screenshot(page, `${db}-reports-03-drill`);
    await page.locator('.ant-drawer-close').click();
    await gone(page.locator('.ant-drawer-content'));

    // Export: the downloaded workbook holds the same figures as the page's JSON.
    const download = page.waitForEvent('download', { timeout: NAV_WAIT });
    await page.getByRole('button', { name: '导出 Excel' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`部门考核结果-${PERIOD}.xlsx`);
    const path = await file.path();
    const wb = await readWorkbook(await readFile(path));
    const ranking = sheetRows(wb.getWorksheet('总分排名')!);
    expect(ranking.map((r) => [r.部门代码, r.总分])).toEqual(report.ranking.map((r) => [r.department, r.total]));
    const scores = sheetRows(wb.getWorksheet('考核得分')!);
    expect(scores.find((r) => r.部门代码 === 'scjg')?.总分).toBe(scjg.total);

    // The printed page: no menu, no buttons (print media emulated).
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '导出 Excel' }).isVisible()).toBe(false);
    await visible(page.getByRole('row').filter({ hasText: SCJG }).first());
    await page.emulateMedia({ media: 'screen' });

    // 任务分工 and the bulletin open from the same menu group.
    await page.getByRole('menuitem', { name: '任务分工' }).click();
    await visible(page.getByTestId('plans'), NAV_WAIT);
    await page.getByRole('button', { name: '季度通报' }).last().click();
    await visible(page.getByTestId('bulletin'), NAV_WAIT);
    await textContains(page.getByRole('heading', { level: 3 }), '任务进展通报');
    await screenshot(page, `${db}-reports-04-bulletin`);

    // 统计报表 with its trend chart.
    await page.getByRole('menuitem', { name: '统计报表' }).click();
    await visible(page.getByTestId('statistics'), NAV_WAIT);
    await textContains(page.getByTestId('statistics'), '部门合计', '月度趋势', '联合奖惩核查', '措施实施反馈');
    await visible(page.locator('[data-testid="statistics"] canvas'), NAV_WAIT);
    await page.waitForTimeout(1000);
    await screenshot(page, `${db}-reports-06-statistics`);
    expect(pageErrors).toEqual([]);
  });

  it('a department sees no dashboard and only its own figures', { timeout: 120_000 }, async () => {
    const page = await openPage('department');
    await login(page, 'scjg-reviewer', '考核评价');
    expect(await page.getByRole('menuitem', { name: '领导驾驶舱' }).count()).toBe(0);
    await page.getByRole('menuitem', { name: '考核评价' }).click();
    await waitForScores(page);
    await visible(page.getByText('仅显示本部门的得分明细'));
    await expect.poll(() => page.getByTestId('assessment').locator('tbody tr[data-row-key]').first().getAttribute('data-row-key')).toBe('scjg');
    const scores = page.locator('[data-testid^="score-"]');
    await expect.poll(async () => new Set(await scores.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.split('-')[1]))).size).toBe(1);
    expect(await page.getByRole('button', { name: '登记加减分' }).count()).toBe(0);

    // A lead unit reports progress on a plan task; the task is done once every lead unit said so.
    await page.getByRole('menuitem', { name: '任务分工' }).click();
    await visible(page.getByTestId('plans'), NAV_WAIT);
    await page.getByRole('button', { name: '查看任务' }).last().click();
    await visible(page.getByTestId('plan'), NAV_WAIT);
    await page.getByRole('row').filter({ hasText: '清理规范失信约束措施' }).first().click();
    const drawer = page.locator('.ant-drawer-content').filter({ hasText: '清理规范失信约束措施' });
    await settled(drawer);
    await drawer.getByRole('button', { name: '报送进展' }).click();
    await drawer.getByLabel('进展情况').fill('已完成本局失信约束措施清理，保留 12 项、废止 3 项，清单已报市信用办。');
    await drawer.getByRole('radio', { name: '已完成' }).check();
    // A file uploaded with the report, and a web link.
    const pdf = Buffer.from('%PDF-1.7\n% 失信约束措施清单\n%%EOF\n', 'utf8');
    await drawer.locator('input[type=file]').setInputFiles({ name: '措施清单.pdf', mimeType: 'application/pdf', buffer: pdf });
    await visible(drawer.locator('.ant-upload-list-item-done').filter({ hasText: '措施清单.pdf' }), NAV_WAIT);
    await drawer.getByRole('button', { name: '添加链接' }).click();
    await drawer.getByPlaceholder('链接名称').fill('清理结果公告');
    await drawer.getByPlaceholder('链接地址').fill('javascript:alert(1)');
    await drawer.getByRole('button', { name: '报送进展' }).click();
    await visible(drawer.getByText('链接须以 http:// 或 https:// 开头'));
    await drawer.getByPlaceholder('链接地址').fill('https://scjg.example.gov.cn/notice/2026-12.html');
    await drawer.getByRole('button', { name: '报送进展' }).click();
    await visible(page.getByText('进展已报送'));
    await textContains(drawer, '已完成本局失信约束措施清理', '100%');
    const files = drawer.getByTestId('report-files').first();
    await visible(files.getByRole('link', { name: '清理结果公告' }));
    expect(await files.getByRole('link', { name: '清理结果公告' }).getAttribute('href')).toBe('https://scjg.example.gov.cn/notice/2026-12.html');
    const download = page.waitForEvent('download', { timeout: NAV_WAIT });
    await files.getByRole('button', { name: '措施清单.pdf' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('措施清单.pdf');
    expect(await readFile(await saved.path())).toEqual(pdf);
    await screenshot(page, `${db}-reports-07-task`);
    expect(pageErrors).toEqual([]);
  });

  it('the office records a 加减分 that shows beside the computed points', { timeout: 180_000 }, async () => {
    const page = await openPage('office');
    await login(page, 'admin', '考核评价');
    await page.getByRole('menuitem', { name: '考核评价' }).click();
    await waitForScores(page);
    await choosePeriod(page, PERIOD);
    const before = await apiJson<Report>(page, `/api/reports/assessment?period=${PERIOD}`);
    const scjgBefore = before.departments.find((d) => d.department === 'scjg');

    await page.getByRole('button', { name: '登记加减分' }).click();
    const modal = dialog(page, '登记考核加减分');
    await settled(modal);
    // 37 departments: the dropdown is virtual, so the search narrows it first.
    await modal.getByLabel('部门', { exact: true }).click();
    await page.keyboard.type('市场监督管理局');
    const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await settled(options);
    await options.getByTitle(SCJG, { exact: true }).click();
    await gone(options);
    await modal.getByLabel('分值').fill('-2.5');
    await modal.getByLabel('理由').fill('第四季度双公示数据报送迟报 3 次，按考核办法扣分。');
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    await gone(modal, NAV_WAIT);

    const adjustments = page.getByTestId('adjustments');
    await visible(adjustments, NAV_WAIT);
    await textContains(adjustments, SCJG, '-2.50', '按考核办法扣分', '信用办管理员');
    const after = await apiJson<Report>(page, `/api/reports/assessment?period=${PERIOD}`);
    const scjgAfter = after.departments.find((d) => d.department === 'scjg');
    expect(scjgAfter?.adjustment).toBe((scjgBefore?.adjustment ?? 0) - 2.5);
    expect(scjgAfter?.total).toBeCloseTo((scjgBefore?.total ?? 0) - 2.5, 2);
    await textContains(page.getByRole('row').filter({ hasText: SCJG }).first(), (scjgAfter?.total ?? 0).toFixed(2), '-2.50');
    await screenshot(page, `${db}-reports-05-adjustment`);
    expect(pageErrors).toEqual([]);
  });
});
