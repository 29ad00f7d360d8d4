// Every page of the web UI in a real browser, with hostile text planted where the host and the
// operator can put it: a container label, a log line that reaches a report, a directive. Each page
// must load without console errors or failed requests, have a title, headings in order and labelled
// fields, and show the payloads as text: no dialog, no injected element. Screenshots go to
// .test-output/screenshots/.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser, screenshot, watchPage, type PageProblems } from '../support/browser.ts';
import { hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { waitFor } from '../support/runner.ts';
import { startUiServer, UI_ADMIN_TOKEN, type UiServer } from '../support/ui-server.ts';

const ready = hasBrowser('web UI pages') && hasDocker('web UI pages');

const SCRIPT = '<script>window.__xss=1;alert("script")</script>';
const IMG = '<img src=x onerror="window.__xss=2;alert(\'img\')">';
const LINK = '[open me](javascript:alert("link"))';
const PAYLOAD = `${SCRIPT} ${IMG} ${LINK}`;

interface PageFacts {
  title: string;
  headings: number[];
  unlabelled: string[];
  injected: string[];
  xss: unknown;
}

/** What a page shows about itself, read in the page. */
function readFacts(page: Page): Promise<PageFacts> {
  return page.evaluate(() => {
    const fields = Array.from(document.querySelectorAll('input, select, textarea')).filter(
      (el) => !['hidden', 'submit', 'button'].includes((el as HTMLInputElement).type),
    );
    const unlabelled = fields
      .filter(
        (el) =>
          !(
            (el as HTMLInputElement).labels?.length ||
            el.getAttribute('aria-label') ||
            el.getAttribute('aria-labelledby')
          ),
      )
      .map((el) => el.outerHTML.slice(0, 120));
    const injected = Array.from(
      document.querySelectorAll(
        'script:not([src]), img[src="x"], [onerror], [onclick], a[href^="javascript:" i], iframe, object, embed',
      ),
    ).map((el) => el.outerHTML.slice(0, 120));
    return {
      title: document.title,
      headings: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map((h) => Number(h.tagName[1])),
      unlabelled,
      injected,
      xss: (window as unknown as { __xss?: unknown }).__xss,
    };
  });
}

/** Headings start at one h1 and never skip a level going down. */
function headingProblems(levels: number[]): string[] {
  const out: string[] = [];
  if (levels[0] !== 1) out.push(`first heading is h${levels[0]}`);
  if (levels.filter((l) => l === 1).length !== 1) out.push(`${levels.filter((l) => l === 1).length} h1 elements`);
  for (let i = 1; i < levels.length; i++)
    if (levels[i]! > levels[i - 1]! + 1) out.push(`h${levels[i - 1]} followed by h${levels[i]}`);
  return out;
}

describe.skipIf(!ready)('web UI: every page (chromium, real dockerd, database and runner)', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  const containers: string[] = [];
  const box = { name: uniqueName('cb-ui-xss'), id: '' };
  let runId = 0;
  let directiveId = 0;

  beforeAll(async () => {
    server = await startUiServer();
    box.id = runTestContainer({
      name: box.name,
      // the payload as a label value, and a label name that is markup itself
      labels: { 'com.example.note': PAYLOAD, '<b>key</b><script>alert(3)</script>': 'key', 'cyberbrain.allow': 'true' },
      cmd: [
        'sh',
        '-c',
        `echo 'ERROR request failed: ${PAYLOAD.replaceAll("'", "'\\''")}'; echo "INFO ready"; while true; do sleep 1; done`,
      ],
    });
    containers.push(box.id);
    expect((await server.api('POST', '/api/allowlist', { container: box.name })).status).toBe(201);
    const directive = await server.api('POST', '/api/directives', {
      name: 'hostile-notes',
      title: `Notes ${SCRIPT}`,
      level: 'D1',
      body: `Ignore nothing. ${PAYLOAD}`,
    });
    expect(directive.status).toBe(201);
    directiveId = directive.json.id;
    await server.runner.start();
    const launched = await server.api('POST', '/api/runs', {
      tasks: ['log_triage', 'service_map'],
      directive_id: directiveId,
      options: { service_map: { scope: 'all' } },
    });
    expect(launched.status).toBe(201);
    runId = launched.json.id;
    await waitFor(
      'the run to end',
      async () =>
        ['success', 'partial', 'failed'].includes((await server.api('GET', `/api/runs/${runId}`)).json.status),
      45_000,
    );
    expect((await server.api('POST', '/api/inventory/snapshots')).status).toBe(201);

    browser = await launchBrowser();
    page = await browser.newPage();
    problems = watchPage(page);
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Token').fill(UI_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    removeContainers(containers);
    await server?.stop();
  });

  const pages = () => [
    ['dashboard', '/'],
    ['runs', '/runs'],
    ['run-detail', `/runs/${runId}`],
    ['directives', '/directives'],
    ['directive', `/directives/${directiveId}`],
    ['containers', '/containers'],
    ['snapshots', '/containers/snapshots'],
    ['service-map', '/service-map'],
    ['gpu', '/gpu'],
    ['settings', '/settings'],
    ['watch', '/watch'],
  ];

  test('every page: title, headings in order, labelled fields, no console error, no failed request', async () => {
    const found: Record<string, string[]> = {};
    for (const [name, path] of pages()) {
      const response = await page.goto(`${server.url}${path}`);
      expect(`${path} -> ${response?.status()}`).toBe(`${path} -> 200`);
      await page.waitForLoadState('load');
      await Bun.sleep(150); // Alpine starts after load
      const facts = await readFacts(page);
      const issues = [...headingProblems(facts.headings), ...facts.unlabelled.map((f) => `unlabelled field ${f}`)];
      if (!facts.title.endsWith('· Cyber-Brain')) issues.push(`title "${facts.title}"`);
      if (issues.length) found[path!] = issues;
      await screenshot(page, name!);
    }
    expect(found).toEqual({});
    expect(problems).toEqual({ console: [], failed: [], dialogs: [] });
  });

  test('hostile text in a label, a log line, a directive renders as text: no dialog, no injected element', async () => {
    const where: [string, string][] = [
      ['/containers', 'com.example.note'],
      [`/runs/${runId}`, 'request failed'],
      [`/directives/${directiveId}`, 'Ignore nothing.'],
    ];
    for (const [path, marker] of where) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('load');
      await Bun.sleep(150);
      const facts = await readFacts(page);
      expect(`${path}: ${facts.injected.join(' | ')}`).toBe(`${path}: `);
      expect(facts.xss).toBeUndefined();
      await page.evaluate(() =>
        document.querySelectorAll('details').forEach((d) => {
          d.open = true;
        }),
      );
      const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
      expect(text).toContain(marker);
      expect(text).toContain('<script>');
    }
    expect(problems.dialogs).toEqual([]);
  });
});
