// The markdown report: sub-items stay nested under two-digit ranks, only the top findings are listed
// with a count of the rest, and long event lists are cut.
import { expect, test } from 'bun:test';
import { renderMarkdown as renderHtml } from '../../src/http/web/markdown.ts';
import type { ReportFinding } from '../../src/tasks/log-triage-findings.ts';
import { MARKDOWN_FINDINGS, renderMarkdown, type LogTriageReport } from '../../src/tasks/log-triage-report.ts';

const finding = (rank: number): ReportFinding => ({
  rank,
  container: 'api',
  kind: 'error',
  status: 'new',
  level: 'error',
  count: 3,
  score: 1,
  template: `failure number ${rank}`,
  fingerprint: `f${rank}`,
  first_seen: null,
  last_seen: null,
  peak_per_minute: null,
  reasons: ['new pattern'],
  per_hour: 12,
  spike: null,
  restarts: null,
  after_event: null,
  exemplars: [`failure ${rank} example`],
});

const report = (findings: ReportFinding[], total = findings.length): LogTriageReport => ({
  schema: 'cyber-brain.log_triage',
  version: 1,
  run_id: 1,
  job_id: 1,
  generated_at: '2026-12-03T10:00:00Z',
  directive: { name: null, version: null, sha256: '0'.repeat(64) },
  status: 'ok',
  status_reason: null,
  nothing_new: false,
  containers: [],
  findings,
  findings_total: total,
  analysis: { status: 'skipped', model: null, reason: 'none', text: null },
  digest: null,
  tokens: { prompt: 0, completion: 0, total: 0 },
  redactions: {},
});

test('sub-items of finding 10 and later stay nested under their item', () => {
  const md = renderMarkdown(report(Array.from({ length: 12 }, (_, i) => finding(i + 1))));
  expect(md).toContain('10. **NEW error**');
  expect(md).toContain('\n    - template: `failure number 10`');
  expect(md).toContain('\n   - template: `failure number 9`');
  const html = renderHtml(md);
  // every finding's details are a list inside its own item: 12 items, 12 nested lists
  expect((html.match(/<li>[^<]*<strong>NEW error<\/strong>[\s\S]*?<ul>/g) ?? []).length).toBe(12);
  expect(html).not.toMatch(/<p>- template/);
});

test('only the top findings are listed; the report says how many more there are', () => {
  const md = renderMarkdown(
    report(
      Array.from({ length: 100 }, (_, i) => finding(i + 1)),
      140,
    ),
  );
  expect(md).toContain(`${MARKDOWN_FINDINGS}. **NEW error**`);
  expect(md).not.toContain(`${MARKDOWN_FINDINGS + 1}. **NEW error**`);
  expect(md).toContain(`…and ${140 - MARKDOWN_FINDINGS} more findings`);
});
