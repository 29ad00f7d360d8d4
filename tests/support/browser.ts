// A real browser for the UI tests: Debian's chromium driven by playwright-core (never a downloaded
// browser). Missing chromium -> the tests skip and say why, or FAIL in CI (CB_REQUIRE_BROWSER=1 or CI).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CB_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(import.meta.dir, '..', '..', '.test-output', 'screenshots');

export function hasBrowser(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const why = `${CHROMIUM} is not installed (apt-get install chromium)`;
  if (process.env.CB_REQUIRE_BROWSER === '1' || process.env.CI === 'true') throw new Error(`${what}: ${why}`);
  console.warn(`skipping ${what}: ${why}`);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox (CI runs as root); no background traffic: nothing leaves loopback.
    args: [
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

/** What went wrong on a page while a test used it: console errors, failed requests, dialogs. */
export interface PageProblems {
  console: string[];
  failed: string[];
  dialogs: string[];
}

export function watchPage(page: Page): PageProblems {
  const problems: PageProblems = { console: [], failed: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location().url;
    // The event stream cut as its page goes away (navigation) is the browser's own note, as for
    // requestfailed below; any other failed load still counts.
    if (url.includes('/api/events') && m.text().startsWith('Failed to load resource')) return;
    problems.console.push(url ? `${m.text()} (${url})` : m.text());
  });
  page.on('pageerror', (e) => problems.console.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // An event stream closed by navigating away is not a failure of the page.
    if (r.url().includes('/api/events')) return;
    problems.failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.failed.push(`${r.request().method()} ${r.url()}: ${r.status()}`);
  });
  page.on('dialog', (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
