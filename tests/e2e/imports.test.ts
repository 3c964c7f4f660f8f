/**
 * The import page in a real browser against the real server: the operator of 市场监管局 opens the
 * list, goes to 导入, uploads a GBK csv with a good and a bad row, reads the problem (row, column,
 * reason), imports the valid row only, watches it finish, reloads the page on the same job, and
 * finds the imported draft in the list; the export button downloads the list as csv.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../../api/src/db/testing.ts';
import { createRng, makeUscc } from '../../api/src/subjects/generate.ts';
import { type ServerDatabase, serverDatabase } from '../support/db.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { launchChromium, NAV_WAIT, newContext, screenshot, textContains, visible, WAIT } from './browser.ts';

const CLOCK_START = '2026-11-02T02:00:00Z';
const LIST_ROUTE = '/lists/market-serious-illegal';
const adminIndex = fileURLToPath(new URL('../../admin/dist/index.html', import.meta.url));
const db = testDbKind();
const rng = createRng('e2e-imports');

let database: ServerDatabase;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;

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

describe(`import page in the browser (${db})`, () => {
  it('uploads a GBK csv, shows the problem, imports the valid row, survives a reload and exports', { timeout: 180_000 }, async () => {
    context = await newContext(browser, server.url, CLOCK_START);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('用户名').fill('scjg-operator');
    await page.getByLabel('密码').fill('Demo@123456');
    await page.getByRole('button', { name: '登 录' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: NAV_WAIT });
    await page.goto(LIST_ROUTE);
    await page.getByRole('button', { name: '导入' }).click();
    await page.waitForURL((url) => url.pathname === `${LIST_ROUTE}/import`, { timeout: NAV_WAIT });
    await visible(page.getByRole('button', { name: '下载 Excel 模板' }), NAV_WAIT);

    const good = makeUscc(rng);
    const bad = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const header = '主体类型,主体名称,主体代码,行政处罚决定书文号,严重违法失信行为,违法行为类别,较重行政处罚种类,行政处罚决定书（文号）,行政处罚决定书（日期）,行政处罚决定书（标题）';
    const row = (name: string, code: string) => `法人,${name},${code},罚1号,违法事实,食品安全,吊销许可证件,罚1号,2026-10-01,行政处罚决定书`;
    const csv = iconv.encode([header, row('浏览器导入有限公司', good), row('校验码错误有限公司', bad)].join('\r\n'), 'gbk');
    await page.locator('input[type=file]').setInputFiles({ name: '导入.csv', mimeType: 'text/csv', buffer: csv });

    const job = page.getByTestId('import-job');
    await visible(job, NAV_WAIT);
    await textContains(job, 'gbk', '发现 1 个问题', '统一社会信用代码校验码不符');
    await expect(job.getByRole('cell', { name: '主体代码', exact: true }).count()).resolves.toBe(1);
    await expect(job.getByRole('cell', { name: '3', exact: true }).count()).resolves.toBe(1);
    await screenshot(page, `${db}-import-checked`);
    await job.getByRole('button', { name: /仅导入有效的 1 行/ }).click();
    await visible(job.getByText('已导入', { exact: true }), WAIT);

    // the job is in the URL: a reload comes back to it
    expect(new URL(page.url()).searchParams.get('job')).toMatch(/^[0-9a-f-]{36}$/);
    await page.reload();
    await visible(page.getByTestId('import-job').getByText('已导入', { exact: true }), NAV_WAIT);
    await screenshot(page, `${db}-import-done`);

    await page.getByRole('link', { name: '返回列表' }).click();
    await visible(page.getByText('浏览器导入有限公司'), NAV_WAIT);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出' }).hover();
    await page.getByText('导出 CSV').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const path = await file.path();
    const text = (await import('node:fs')).readFileSync(path, 'utf8');
    expect(text).toContain('浏览器导入有限公司');
    expect(text).not.toContain('校验码错误有限公司');
  });
});
