// The web UI in a real browser: sign in, launch a log triage from the Runs page, watch its status
// change live without a reload, open its report.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser, screenshot, watchPage, type PageProblems } from '../support/browser.ts';
import { hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { waitFor } from '../support/runner.ts';
import { startUiServer, UI_ADMIN_TOKEN, type UiServer } from '../support/ui-server.ts';

const ready = hasBrowser('web UI runs') && hasDocker('web UI runs');

describe.skipIf(!ready)('web UI: runs (chromium, real dockerd, database and runner)', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  const containers: string[] = [];
  const app = { name: uniqueName('cb-ui-app'), id: '' };

  beforeAll(async () => {
    server = await startUiServer();
    app.id = runTestContainer({
      name: app.name,
      cmd: [
        'sh',
        '-c',
        'echo "ERROR upstream connect failed: connection refused"; echo "INFO ready"; while true; do sleep 1; done',
      ],
    });
    containers.push(app.id);
    expect((await server.api('POST', '/api/allowlist', { container: app.name })).status).toBe(201);
    browser = await launchBrowser();
    page = await browser.newPage();
    problems = watchPage(page);
  });

  afterAll(async () => {
    await browser?.close();
    removeContainers(containers);
    await server?.stop();
  });

  test('a page without a session leads to sign-in, and back to the page asked for', async () => {
    await page.goto(`${server.url}/runs`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Token').fill(UI_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/runs`);
    expect(await page.locator('h1').textContent()).toBe('Runs');
  });

  test('launch a log triage, watch it go queued -> success live, open its report', async () => {
    const launch = page.locator('details', { has: page.locator('summary', { hasText: 'Launch a run' }) });
    if ((await launch.getAttribute('open')) === null) await launch.locator('summary').click();
    for (const box of await page.locator('input[name="tasks"]').all()) {
      if ((await box.getAttribute('value')) !== 'log_triage') await box.uncheck();
    }
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.waitForURL(/\/runs\/\d+$/);
    const runId = Number(new URL(page.url()).pathname.split('/').pop());
    expect(await page.locator(`[data-run-status="${runId}"]`).getAttribute('data-status')).toBe('queued');
    expect(await page.locator(`[data-when-done="${runId}"]`).isHidden()).toBe(true);

    // Back to the list, mark the document, then let the runner go: the row must change in place.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.waitForSelector('[x-data="liveStatus"][data-live="connected"]');
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const badge = page.locator(`[data-run-status="${runId}"]`);
    expect(await badge.getAttribute('data-status')).toBe('queued');
    const seen = new Set<string>();
    const watching = (async () => {
      for (let i = 0; i < 600 && !seen.has('success'); i++) {
        seen.add((await badge.getAttribute('data-status')) ?? '');
        await Bun.sleep(25);
      }
    })();
    await server.runner.start();
    await watching;
    expect(seen.has('success')).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await screenshot(page, 'runs-live');

    await page.getByRole('link', { name: `#${runId}` }).click();
    await page.waitForURL(`${server.url}/runs/${runId}`);
    const report = page.locator('div.report');
    await waitFor(
      'the report heading',
      async () => (await report.locator('h4', { hasText: 'Log triage' }).count()) > 0,
    );
    expect(await report.textContent()).toContain('connection refused');
    expect(await report.textContent()).toContain(app.name);
    await screenshot(page, 'run-detail');
    expect(problems).toEqual({ console: [], failed: [], dialogs: [] });
  });

  test('a run page opened while the run is queued offers its report once the run has ended', async () => {
    await server.runner.stop();
    const launched = await server.api('POST', '/api/runs', { tasks: ['log_triage'] });
    expect(launched.status).toBe(201);
    const runId = launched.json.id as number;
    await page.goto(`${server.url}/runs/${runId}`);
    await page.waitForSelector('[x-data="liveStatus"][data-live="connected"]');
    const notice = page.locator(`[data-when-done="${runId}"]`);
    expect(await notice.isHidden()).toBe(true);
    await server.runner.start();
    await notice.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.locator(`[data-run-status="${runId}"]`).getAttribute('data-status')).toBe('success');
    await notice.getByRole('link').click();
    await page.waitForURL(`${server.url}/runs/${runId}`);
    expect(await page.locator('div.report').count()).toBeGreaterThan(0);
    expect(await page.locator(`[data-when-done="${runId}"]`).count()).toBe(0);
    expect(problems).toEqual({ console: [], failed: [], dialogs: [] });
  });
});
