/**
 * The office's audit and data-sync pages in a real browser against the real server: the admin
 * finds their own login in the audit log, narrows the search by action, verifies the hash chain,
 * and sees the demo's placeholder endpoint as disabled on the data-sync page; an operator has
 * neither page in the menu.
 *
 * Needs the built admin and the system Chromium, like admin.test.ts.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../../api/src/db/testing.ts';
import { type ServerDatabase, serverDatabase } from '../support/db.ts';
import { type RunningServer, startServer } from '../support/server.ts';
import { gone, launchChromium, login, NAV_WAIT, newContext, screenshot, textContains, visible } from './browser.ts';

const CLOCK_START = '2026-11-02T02:00:00Z';
const adminIndex = fileURLToPath(new URL('../../admin/dist/index.html', import.meta.url));
const db = testDbKind();

let database: ServerDatabase;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;
const pageErrors: string[] = [];

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

describe(`office pages in the browser (${db})`, () => {
  it('searches and verifies the audit log, and shows delivery status per endpoint', { timeout: 180_000 }, async () => {
    context = await newContext(browser, server.url, CLOCK_START);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await login(page, 'admin', '审计日志');

    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.waitForURL((url) => url.pathname === '/system/audit');
    await visible(page.getByRole('heading', { name: '审计日志' }), NAV_WAIT);
    await gone(page.locator('.ant-table-wrapper .ant-spin-spinning'), NAV_WAIT);
    await visible(page.getByRole('cell', { name: 'auth.login', exact: true }).first(), NAV_WAIT);

    await page.getByLabel('操作', { exact: true }).fill('config.');
    await page.getByRole('button', { name: '查询' }).click();
    await visible(page.getByRole('cell', { name: 'config.activate' }).first(), NAV_WAIT);
    await expect.poll(() => page.getByRole('cell', { name: 'auth.login', exact: true }).count(), { timeout: NAV_WAIT }).toBe(0);

    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verification');
    await visible(result, NAV_WAIT);
    await textContains(result, '审计日志完好');
    await screenshot(page, `${db}-office-audit`);

    await page.getByRole('menuitem', { name: '数据推送' }).click();
    await page.waitForURL((url) => url.pathname === '/system/outbox');
    const card = page.getByTestId('outbox-endpoint-provincial-credit-platform');
    await visible(card, NAV_WAIT);
    await textContains(card, '省公共信用信息平台', '未启用');
    await visible(page.getByText('没有推送消息'), NAV_WAIT);
    await screenshot(page, `${db}-office-outbox`);

    // In English too.
    await page.evaluate(() => localStorage.setItem('credit-lists.locale', 'en'));
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Data sync' }), NAV_WAIT);

    expect(pageErrors).toEqual([]);
  });

  it('gives an operator neither page', { timeout: 120_000 }, async () => {
    const ctx = await newContext(browser, server.url, CLOCK_START);
    try {
      const page = await ctx.newPage();
      await login(page, 'scjg-operator', '待我处理');
      await expect.poll(() => page.getByRole('menuitem', { name: '审计日志' }).count()).toBe(0);
      await page.goto('/system/audit');
      await visible(page.getByText(/没有权限|无权/).first(), NAV_WAIT);
    } finally {
      await ctx.close();
    }
  });
});
