/**
 * Browser helpers of the end-to-end test: the system Chromium through playwright-core (never a
 * downloaded browser), waits with generous timeouts for a loaded 2-core machine, and the few antd
 * controls that need more than a role or a label (select dropdowns, date pickers, confirmations).
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const screenshotDir = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** Every wait on the page (visible, hidden, text) gives up after this long. */
export const WAIT = 15_000;
/** A navigation or a login round trip (argon2 on a busy machine) may take longer. */
export const NAV_WAIT = 45_000;

export async function launchChromium(): Promise<Browser> {
  await mkdir(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A desktop context in Chinese and the platform's time zone, its clock set to the server's test
 * clock (see setBrowserClock).
 */
export async function newContext(
  browser: Browser,
  baseURL: string,
  now: string,
  extra: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...extra,
  });
  context.setDefaultTimeout(WAIT);
  context.setDefaultNavigationTimeout(NAV_WAIT);
  await setBrowserClock(context, now);
  return context;
}

/** Runs in the page: `Date` reads the real time shifted by `offset` ms; timers are untouched. */
function shiftDate(offset: number) {
  type Shifted = DateConstructor & { e2eOffset?: number; e2eReal?: DateConstructor };
  const current = globalThis.Date as Shifted;
  if (current.e2eReal) {
    current.e2eOffset = offset;
    return;
  }
  const Real = current;
  const Shifted = function (this: unknown, ...args: unknown[]) {
    const now = Real.now() + (Shifted.e2eOffset ?? 0);
    if (!new.target) return new Real(now).toString();
    return args.length ? new (Real as unknown as new (...a: unknown[]) => Date)(...args) : new Real(now);
  } as unknown as Shifted;
  Object.defineProperty(Shifted, 'prototype', { value: Real.prototype });
  Shifted.now = () => Real.now() + (Shifted.e2eOffset ?? 0);
  Shifted.parse = Real.parse;
  Shifted.UTC = Real.UTC;
  Shifted.e2eReal = Real;
  Shifted.e2eOffset = offset;
  globalThis.Date = Shifted;
}

/**
 * Sets the browser's clock to the server's manual clock (it runs on from there). The admin
 * compares the session's `expiresAt` (server time) with the browser's clock and computes "today"
 * for due dates from it, so both must agree. Only `Date` is shifted: Playwright's clock emulation
 * (context.clock.install) also fakes timers and animation frames, and with it clicks in antd
 * dropdowns and confirmation dialogs were lost now and then on a loaded machine.
 */
export async function setBrowserClock(context: BrowserContext, now: string): Promise<void> {
  const offset = Date.parse(now) - Date.now();
  await context.addInitScript(shiftDate, offset);
  for (const page of context.pages()) await page.evaluate(shiftDate, offset);
}

export function visible(locator: Locator, timeout = WAIT): Promise<void> {
  return locator.first().waitFor({ state: 'visible', timeout });
}

/**
 * Waits until the element's finite animations (antd's zoom and slide motions) have finished, so a
 * click lands where the element ends up: on a loaded machine a click during the motion can miss
 * its target. Looping animations (spinners) are ignored.
 */
export async function settled(locator: Locator): Promise<void> {
  await visible(locator);
  await locator.first().evaluate((element) =>
    Promise.all(
      element
        .getAnimations({ subtree: true })
        .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Number.POSITIVE_INFINITY))
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

/** Waits until no element of the locator is visible (none left, or all hidden). */
export async function gone(locator: Locator, timeout = WAIT): Promise<void> {
  await expect.poll(() => locator.filter({ visible: true }).count(), { timeout, interval: 100, message: `still visible: ${locator}` }).toBe(0);
}

/** Polls the locator's text content until it contains every part. */
export async function textContains(locator: Locator, ...parts: (string | RegExp)[]): Promise<void> {
  for (const part of parts) {
    const poll = expect.poll(async () => (await locator.first().textContent()) ?? '', { timeout: WAIT, interval: 200, message: `text of ${locator}` });
    if (typeof part === 'string') await poll.toContain(part);
    else await poll.toMatch(part);
  }
}

/**
 * Picks options of an antd Select: opens it by its label (the combobox) and clicks the options in
 * the dropdown (antd gives each rendered option a `title`; the `role=option` elements it adds for
 * screen readers are zero-height and not clickable). Closes a multiple select afterwards.
 */
export async function chooseOptions(page: Page, scope: Page | Locator, label: string, options: string[]): Promise<void> {
  // antd puts an aria-label given to a Select on both its box and its search input: the box comes first.
  const box = scope.getByLabel(label, { exact: true }).first();
  await box.click();
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await settled(dropdown);
  for (const option of options) {
    const item = dropdown.getByTitle(option, { exact: true });
    await visible(item);
    await item.click();
  }
  if (options.length > 1) await page.keyboard.press('Escape');
  // The dropdown closes with an animation; wait until no option list is left on screen.
  await gone(dropdown);
}

/**
 * Types a date into an antd DatePicker (YYYY-MM-DD, the zh-CN format) and leaves the input with
 * Tab, which commits the value without submitting the form (Enter would submit it).
 */
export async function typeDate(input: Locator, date: string): Promise<void> {
  await input.click();
  await input.fill(date);
  await input.press('Tab');
  await expect.poll(() => input.inputValue(), { timeout: WAIT }).toBe(date);
}

/** The dialog (antd Modal / Modal.confirm) showing the given title text. */
export function dialog(page: Page, title: string): Locator {
  return page.getByRole('dialog').filter({ hasText: title });
}

/**
 * A screenshot of the whole page: the viewport is stretched to the page's height first (a
 * full-page capture would repeat the sticky header and fixed sider mid-page), then restored.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = `${screenshotDir}${name}.png`;
  // No hover effect from the last click, and no success toast (antd closes them after 3 s).
  await page.mouse.move(1, 1);
  await page.waitForFunction(() => !document.querySelector('.ant-message-notice'), null, { timeout: WAIT });
  const size = page.viewportSize() ?? { width: 1440, height: 900 };
  const height = await page.evaluate(() =>
    Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll('main, .ant-layout-content')].map((e) => e.scrollHeight)),
  );
  const tall = Math.min(Math.max(height, size.height), 4000);
  if (tall > size.height) {
    await page.setViewportSize({ width: size.width, height: tall });
    // Let antd's responsive observers settle on the new size.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
  await page.screenshot({ path, animations: 'disabled' });
  if (tall > size.height) await page.setViewportSize(size);
  return path;
}

/** Logs in through the login page; `menu` is a menu item that only appears once /api/meta has loaded. */
export async function login(page: Page, username: string, menu: string, password = 'Demo@123456') {
  if (!new URL(page.url()).pathname.startsWith('/login')) await page.goto('/login');
  await visible(page.getByRole('heading', { name: '用户登录' }));
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登 录' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: NAV_WAIT });
  await visible(page.getByRole('button', { name: '用户菜单' }), NAV_WAIT);
  await visible(page.getByRole('menuitem', { name: menu }), NAV_WAIT);
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('credit-lists.session') ?? 'null')?.user?.username), { timeout: WAIT }).toBe(username);
}

export async function logout(page: Page) {
  await page.getByRole('button', { name: '用户菜单' }).click();
  const item = page.getByRole('menuitem', { name: '退出登录' });
  await settled(page.getByRole('menu').filter({ has: item }));
  await item.click();
  const confirm = dialog(page, '确定退出登录吗？');
  await settled(confirm);
  await confirm.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/login'), { timeout: NAV_WAIT });
  await visible(page.getByRole('heading', { name: '用户登录' }));
}

/**
 * A CodeMirror editor's whole document, from its content element (found by its label). The DOM holds
 * only the lines in view, so the text is read from the editor's state, which CodeMirror 6.4x keeps
 * on the element as `cmTile.root.view` (what `EditorView.findFromDOM` reads).
 */
export const editorText = (editor: Locator) =>
  editor.evaluate((el) => {
    const view = (el as HTMLElement & { cmTile?: { root?: { view?: { state: { doc: { toString(): string } } } } } }).cmTile?.root?.view;
    if (!view) throw new Error('not a CodeMirror content element');
    return view.state.doc.toString();
  });
