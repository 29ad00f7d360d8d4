// Reports rendered for the web UI: raw HTML and unsafe links stay text, headings sit under the page's
// own, and a report known by its sha256 is read and rendered once.
import { describe, expect, test } from 'bun:test';
import { EventBus } from '../../src/events/bus.ts';
import { prerenderReports, renderMarkdown, reportHtml, REPORT_HEADING_SHIFT } from '../../src/http/web/markdown.ts';
import { PageParts } from '../../src/http/web/page.tsx';

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

describe('renderMarkdown', () => {
  test('raw HTML is escaped, never passed through', () => {
    const html = renderMarkdown(
      '# Errors <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n| a |\n|---|\n| <b>x</b> |',
    )!;
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<img|<b>/);
  });

  test('javascript: and vbscript: links are not made into links; http links are', () => {
    const html = renderMarkdown(
      '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](vbscript:x) [d](https://example.org/x)',
    )!;
    expect(html).not.toMatch(/href="(javascript|vbscript)/i);
    expect(html).toContain('href="https://example.org/x"');
  });

  test('headings shift under the page, never skip a level, cap at h6', () => {
    const html = renderMarkdown('# One\n\n## Two\n\n#### Four\n\n## Back', { headingShift: 3 })!;
    expect(html).toContain('<h4>One</h4>');
    expect(html).toContain('<h5>Two</h5>');
    expect(html).toContain('<h6>Four</h6>');
    expect(html).toContain('<h5>Back</h5>');
    // a report whose top heading is ### still starts right under the page's heading
    const deep = renderMarkdown('### Map\n\n##### Detail', { headingShift: 2 })!;
    expect(deep).toContain('<h3>Map</h3>');
    expect(deep).toContain('<h4>Detail</h4>');
  });

  test('a report with a sha256 is read and rendered once', () => {
    let reads = 0;
    const source = () => (reads++, '# Cached');
    const sha256 = `test-${Math.random()}`;
    expect(text(reportHtml(source, { sha256, headingShift: 0 }))).toContain('<h1>Cached</h1>');
    expect(text(reportHtml(source, { sha256, headingShift: 0 }))).toContain('<h1>Cached</h1>');
    expect(reads).toBe(1);
    expect(reportHtml(() => null, { sha256: `missing-${Math.random()}`, headingShift: 0 })).toBeNull();
  });

  test('a markdown artifact is rendered when written, before anyone asks', async () => {
    const events = new EventBus();
    const read: string[] = [];
    const stop = prerenderReports(events, (a) => (read.push(a.path), '# Written'));
    const sha256 = `prerender-${Math.random()}`;
    events.publish('artifact.written', {
      run_id: 1,
      path: 'log_triage.json',
      mime_type: 'application/json',
      sha256: 'x',
    });
    events.publish('artifact.written', { run_id: 1, path: 'log_triage.md', mime_type: 'text/markdown', sha256 });
    await Bun.sleep(10);
    stop();
    expect(read).toEqual(['log_triage.md']);
    let again = 0;
    expect(text(reportHtml(() => (again++, 'other'), { sha256, headingShift: REPORT_HEADING_SHIFT }))).toContain(
      '<h4>Written</h4>',
    );
    expect(again).toBe(0);
  });
});

describe('PageParts', () => {
  test('bytes go where their markers are; a page without parts stays a string', async () => {
    const parts = new PageParts();
    const a = parts.slot(new TextEncoder().encode('<p>één</p>'));
    const b = parts.slot(new TextEncoder().encode('<p>two</p>'));
    const body = parts.body(`<main>${a}<hr>${b}&lt;!--cb-part-0--&gt;</main>`);
    expect(body).toBeInstanceOf(Blob);
    expect(await (body as Blob).text()).toBe('<main><p>één</p><hr><p>two</p>&lt;!--cb-part-0--&gt;</main>');
    expect(new PageParts().body('<main>plain</main>')).toBe('<main>plain</main>');
  });
});
