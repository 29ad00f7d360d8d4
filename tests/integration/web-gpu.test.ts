// The GPU page through app.handle(): the empty state with "Run now", the latest report from a real run
// as bars per GPU (utilisation, memory, temperature; hot past the thresholds) and per container, the
// trend over earlier successful runs, a report without GPUs explained, and hostile names escaped.
// Reports are built from recorded nvidia-smi output by the product's own pure code.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import type { ContainerPids } from '../../src/gpu/attribution.ts';
import { buildGpuReport, type GpuReport } from '../../src/gpu/report.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { TaskRegistry } from '../../src/tasks/registry.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { cannedGpuTask } from '../support/canned-task.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { testRunner, waitFor } from '../support/runner.ts';
import { getPage, postForm, signIn, type BrowserSession } from '../support/web.ts';

const ADMIN = 'web-gpu-admin-token-0123456789abcdef';
const fixtures = join(import.meta.dir, '../fixtures/nvidia-smi');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const logsDir = mkdtempSync(join(tmpdir(), 'cb-web-gpu-'));
const canned = cannedGpuTask();
const events = new EventBus();
const THRESHOLDS = { utilization_pct: 80, memory_pct: 90, temperature_c: 85 };
let db: TestDatabase;
let app: App;
let runner: Runner;
let session: BrowserSession;

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(2)>';

const api = async (method: string, path: string, body?: unknown) => {
  const res = await app.handle(apiRequest(method, path, body, { authorization: `Bearer ${ADMIN}` }));
  return { status: res.status, json: (await res.json()) as any };
};

/** A report as the task writes it, from nvidia-smi text, with the trend left to the page. */
function report(gpuCsv: string, appsCsv: string, containers: ContainerPids[], at = '2026-03-01T10:00:00Z'): GpuReport {
  const source = gpuCsv ? 'worker' : 'none';
  const attempts = gpuCsv
    ? [{ source: 'worker' as const, outcome: 'used' as const, detail: 'nvidia/cuda:12.4.1-base-ubuntu22.04' }]
    : [
        { source: 'appliance' as const, outcome: 'unavailable' as const, detail: 'nvidia-smi is not installed here' },
        { source: 'none' as const, outcome: 'unavailable' as const, detail: 'no GPU source: enable one' },
      ];
  return { ...buildGpuReport({ source, attempts, gpuCsv, appsCsv }, containers, THRESHOLDS, new Date(at)), trend: [] };
}

/** The RTX 3090 fixture with its utilisation replaced. */
const rtxAt = (util: number) => fixture('rtx3090-gpus.csv').replace(', 87, 41,', `, ${util}, 41,`);
const OWNERS: ContainerPids[] = [
  { id: 'a'.repeat(64), name: 'trainer', pids: [41873] },
  { id: 'b'.repeat(64), name: 'llm', pids: [52210] },
];

async function runReport(next: unknown): Promise<number> {
  canned.next = next;
  const res = await postForm(app, '/runs', { tasks: 'gpu_report' }, session);
  expect(res.status).toBe(303);
  const id = Number(res.location!.split('/').pop());
  await waitFor(`run ${id} to end`, async () =>
    ['success', 'partial', 'failed'].includes((await api('GET', `/api/runs/${id}`)).json.status),
  );
  return id;
}

const section = (html: string, id: string) => {
  const start = html.indexOf(`<h2 id="${id}">`);
  const end = html.indexOf('<h2 id=', start + 10);
  return html.slice(start, end < 0 ? undefined : end);
};

beforeAll(async () => {
  db = await openTestDatabase();
  const tasks = new TaskRegistry().register(canned.task);
  app = buildTestApp(db, { tasks, events, config: { ...loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }), logsDir } });
  runner = testRunner({ db, tasks, events, logsDir });
  await runner.start();
  session = await signIn(app, ADMIN);
});
afterAll(async () => {
  await runner.stop();
  await db.close();
  rmSync(logsDir, { recursive: true, force: true });
});

describe('GPU page', () => {
  test('before any report: an empty state and a Run now form for gpu_report', async () => {
    const page = await getPage(app, '/gpu', session);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<title>GPU · Cyber-Brain</title>');
    expect(page.html).toContain('No GPU report yet');
    expect(page.html).toContain('name="tasks" value="gpu_report"');
    expect(page.html).not.toContain('<svg');
  });

  test('a report without GPUs says why and which sources were tried', async () => {
    await runReport(report('', '', []));
    const page = await getPage(app, '/gpu', session);
    expect(page.status).toBe(200);
    const gpus = section(page.html, 'gpus');
    expect(gpus).toContain('No GPU figures: no GPU source: enable one.');
    expect(gpus).toContain('<td>nvidia-smi is not installed here</td>');
    expect(page.html).toContain('No compute process on the GPUs belongs to an allowlisted container.');
  });

  test('the latest report: bars per GPU (hot past the thresholds) and per container; the trend over earlier runs', async () => {
    const first = await runReport(report(rtxAt(20), fixture('rtx3090-apps.csv'), OWNERS, '2026-03-01T10:00:00Z'));
    await runReport(new Error('worker image missing')); // a failed run is not part of the trend
    const second = await runReport(report(rtxAt(55), fixture('rtx3090-apps.csv'), OWNERS, '2026-03-02T10:00:00Z'));
    const latest = await runReport(report(rtxAt(87), fixture('rtx3090-apps.csv'), OWNERS, '2026-03-03T10:00:00Z'));
    const page = await getPage(app, '/gpu', session);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`href="/runs/${latest}"`);

    const gpus = section(page.html, 'gpus');
    expect(gpus).toContain('<h3>GPU 0: NVIDIA GeForce RTX 3090</h3>');
    // utilisation 87 % >= 80, memory 22845/24576 = 93 % >= 90, temperature 86 >= 85: all three hot
    expect(gpus).toMatch(/<rect class="bar hot"[^>]*><title>utilisation: 87 %<\/title>/);
    expect(gpus).toMatch(/<rect class="bar hot"[^>]*><title>memory in use: 22845 of 24576 MiB \(93 %\)<\/title>/);
    expect(gpus).toMatch(/<rect class="bar hot"[^>]*><title>temperature: 86 °C<\/title>/);
    expect(gpus).toMatch(/<rect class="bar"[^>]*><title>power: 331.27 of 350 W \(94.6 %\)<\/title>/);
    expect(gpus).toContain('<td class="num">87 %</td>');

    const perContainer = section(page.html, 'per-container');
    expect(perContainer).toMatch(/<rect class="bar"[^>]*><title>trainer: 18432 MiB<\/title>/);
    expect(perContainer).toMatch(/<rect class="bar"[^>]*><title>llm: 4096 MiB<\/title>/);
    expect(perContainer).toContain('<td>trainer</td><td class="num">18432 MiB</td>');
    expect(perContainer).toContain('41873 /usr/bin/python3 (18432 MiB)');

    const hotspots = section(page.html, 'hotspots');
    expect(hotspots).toContain('GPU 0: utilization 87 at or above 80');
    expect(hotspots).toContain('GPU 0: temperature 86 at or above 85');

    const trend = section(page.html, 'trend');
    // successful reports oldest first (the one without GPUs too); the failed run is left out
    const labels = [...trend.matchAll(/text-anchor="middle">(#\d+)<\/text>/g)].map((m) => m[1]);
    expect(labels.slice(-3)).toEqual([`#${first}`, `#${second}`, `#${latest}`]);
    expect(labels.length % 2).toBe(0);
    expect(trend).toContain(`run #${first}: 20 %`);
    expect(trend).toContain(`run #${second}: 55 %`);
    expect(trend).toMatch(new RegExp(`<rect class="bar hot"[^>]*><title>run #${latest}: 87 %</title>`));
    expect(trend).toContain(`<a href="/runs/${second}">#${second}</a>`);
    for (const th of page.html.match(/<th[ >][\s\S]*?<\/th>/g) ?? []) expect(th).toStartWith('<th scope="col"');
  });

  test('several GPUs with missing figures, and hostile GPU, container and process names, render as text', async () => {
    const gpus = fixture('t4-gtx1080-gpus.csv').replace('Tesla T4', `Tesla ${SCRIPT}`);
    const apps = `GPU-1d2c3b4a-5968-4776-8594-a3b2c1d0e9f8, 41873, ${IMG}, 300\nGPU-1d2c3b4a-5968-4776-8594-a3b2c1d0e9f8, 777, Xorg, 20\n`;
    await runReport(report(gpus, apps, [{ id: 'c'.repeat(64), name: SCRIPT, pids: [41873] }]));
    const page = await getPage(app, '/gpu', session);
    expect(page.status).toBe(200);
    const main = page.html.slice(page.html.indexOf('<main>'));
    expect(main).not.toContain('<script>');
    expect(main).not.toContain('<img');
    expect(main).toContain('GPU 0: Tesla &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(main).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(main).toContain('<h3>GPU 1: NVIDIA GeForce GTX 1080</h3>');
    // the GTX 1080 reports no power: no power bar, "n/a" in the table
    expect(main).toContain('<td class="num">n/a / n/a W</td>');
    expect(main).toContain('1 process using 20 MiB on the GPUs: not in an allowlisted container');
    expect(page.html.match(/<script/g)?.length).toBe(2);
  });
});
