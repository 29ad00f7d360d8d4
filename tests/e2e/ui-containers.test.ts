// The Containers page in a real browser: putting a container on the allowlist, and taking it off
// again, with the change visible through the REST API.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser, screenshot, watchPage, type PageProblems } from '../support/browser.ts';
import { hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { startUiServer, UI_ADMIN_TOKEN, type UiServer } from '../support/ui-server.ts';

const ready = hasBrowser('web UI containers') && hasDocker('web UI containers');

describe.skipIf(!ready)('web UI: containers (chromium, real dockerd and database)', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  const box = { name: uniqueName('cb-ui-toggle'), id: '' };

  beforeAll(async () => {
    server = await startUiServer();
    box.id = runTestContainer({ name: box.name, cmd: ['sh', '-c', 'while true; do sleep 1; done'] });
    browser = await launchBrowser();
    page = await browser.newPage();
    problems = watchPage(page);
    await page.goto(`${server.url}/login?next=%2Fcontainers`);
    await page.getByLabel('Token').fill(UI_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/containers`);
  });

  afterAll(async () => {
    await browser?.close();
    removeContainers([box.id]);
    await server?.stop();
  });

  const entry = async () =>
    ((await server.api('GET', '/api/allowlist')).json as { container_id: string; enabled: boolean }[]).find(
      (e) => e.container_id === box.id,
    );

  test('Allow puts the container on the allowlist; Disable and Remove take it off', async () => {
    expect(await entry()).toBeUndefined();
    await page.getByRole('button', { name: `Allow ${box.name}` }).click();
    await page.waitForURL(/\/containers/);
    expect((await entry())?.enabled).toBe(true);
    await screenshot(page, 'containers-allowed');

    await page.getByRole('button', { name: `Disable ${box.name}` }).click();
    await page.waitForURL(/\/containers/);
    expect((await entry())?.enabled).toBe(false);

    await page.getByRole('button', { name: `Remove ${box.name}` }).click();
    await page.waitForURL(/\/containers/);
    expect(await entry()).toBeUndefined();
    expect(problems).toEqual({ console: [], failed: [], dialogs: [] });
  });
});
