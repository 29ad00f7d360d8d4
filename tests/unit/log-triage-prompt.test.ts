// The model prompt of a triage job: it fits LLM_CONTEXT_TOKENS with the answer reserve, whatever the
// findings, even where redaction markers are longer than what they replace; and the ranking across
// containers puts new error patterns first.
import { expect, test } from 'bun:test';
import type { Finding, TemplateSummary } from '../../src/triage/index.ts';
import type { Spike, TemplateStatus } from '../../src/triage/run-memory.ts';
import { asDigestFindings, rankAcrossContainers } from '../../src/tasks/log-triage-findings.ts';
import { planPrompt, promptTokens } from '../../src/tasks/log-triage-prompt.ts';

function template(
  fp: string,
  level: TemplateSummary['level'],
  text: string,
  count = 3,
  firstSeen = '2026-11-26T03:20:00.000000000Z',
): TemplateSummary {
  return {
    id: fp,
    template: text,
    fingerprint: fp,
    count,
    level,
    signatures: [],
    firstSeen,
    lastSeen: '2026-11-26T03:50:00.000000000Z',
    firstEvent: 1,
    lastEvent: 2,
    perMinute: [],
    exemplars: [`${text} (example)`],
  };
}

const finding = (t: TemplateSummary, score: number): Finding => ({
  rank: 0,
  kind: t.level === 'warn' ? 'warning' : 'error',
  score,
  reasons: [],
  template: t,
});

test('the prompt plus the answer reserve fits the context, for any number and size of findings', () => {
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let k = 0; k < 120; k++) {
    const context = 512 + rand(8000);
    // short secrets: their redaction markers are LONGER than they are
    const ts = Array.from({ length: rand(80) }, (_, i) =>
      template(`f${i}`, 'error', `user a${i}@b.io from 10.0.${i}.1 failed ${'x '.repeat(rand(150))}`, 1 + rand(100)),
    );
    const findings = rankAcrossContainers([
      {
        container: 'web',
        findings: ts.map((t) => finding(t, rand(100))),
        templates: ts,
        status: new Map(),
        spikes: new Map(),
        events: [],
      },
    ]);
    // the longest directive a 512-token context still has room for
    const directive = 'Explain briefly. '.repeat(rand(context < 1024 ? 10 : 40));
    const plan = planPrompt(
      directive,
      asDigestFindings(findings, new Map()),
      { lines: 1000, templates: ts.length, containers: 'web' },
      context,
    );
    expect(plan).not.toBeNull();
    expect(promptTokens(plan!.messages) + plan!.answerReserve).toBeLessThanOrEqual(context);
    const sent = plan!.messages.map((m) => m.content).join('\n');
    expect(sent).not.toMatch(/a\d+@b\.io|10\.0\.\d+\.1/);
    expect(plan!.digest.included + plan!.digest.omitted).toBe(findings.length);
  }
});

test('a directive that leaves no room for a digest gives no prompt', () => {
  expect(planPrompt('word '.repeat(3000), [], { lines: 0, templates: 0, containers: '' }, 1024)).toBeNull();
});

test('ranking across containers: severity first, then new, worsening, recurring; errors after an event before other recurring ones', () => {
  const old = template('old', 'error', 'db connection refused', 50, '2026-11-26T03:00:00.000000000Z');
  const fresh = template('fresh', 'error', 'disk full', 1);
  const warnNew = template('warn', 'warn', 'slow query', 2);
  const afterRestart = template('after', 'error', 'cache miss storm', 5, '2026-11-26T03:12:30.000000000Z');
  const spiky = template('spiky', 'info', 'request served', 900);
  const status = new Map<string, TemplateStatus>([
    ['old', 'recurring'],
    ['fresh', 'new'],
    ['warn', 'new'],
    ['after', 'recurring'],
    ['spiky', 'recurring'],
  ]);
  const spikes = new Map<string, Spike>([
    ['spiky', { fingerprint: 'spiky', count: 900, perHour: 900, earlierPerHour: 10, factor: 90, pValue: 1e-9 }],
  ]);
  const events = [{ kind: 'restart' as const, at: '2026-11-26T03:12:00.000Z', exit_code: null, restart_count: 1 }];
  const ranked = rankAcrossContainers([
    {
      container: 'api',
      findings: [finding(old, 900), finding(fresh, 10), finding(warnNew, 50), finding(afterRestart, 20)],
      templates: [old, fresh, warnNew, afterRestart, spiky],
      status,
      spikes,
      events,
    },
  ]);
  // an info spike, however large, never ranks above an error or a warning
  expect(ranked.map((f) => f.fingerprint)).toEqual(['fresh', 'after', 'old', 'warn', 'spiky']);
  expect(ranked.map((f) => f.rank)).toEqual([1, 2, 3, 4, 5]);
  expect(ranked[4]).toMatchObject({ kind: 'spike', spike: { factor: 90 } });
  expect(ranked[1]!.after_event).toMatchObject({ kind: 'restart' });
  expect(ranked[1]!.reasons.join(' ')).toContain("after the container's restart");
  expect(ranked[2]!.after_event).toBeNull();
});

test('a crash-looping container is a critical crash_loop finding above every error, tied to what it logged before dying', () => {
  const boom = template('boom', 'error', 'cannot open /data: permission denied', 7, '2026-11-26T03:11:00.000000000Z');
  boom.lastSeen = '2026-11-26T03:12:09.000000000Z';
  const other = template('other', 'error', 'db connection refused', 90);
  const events = [
    { kind: 'exit' as const, at: '2026-11-26T03:12:09.500Z', exit_code: 1, restart_count: 4 },
    { kind: 'restart' as const, at: '2026-11-26T03:12:10.000Z', exit_code: null, restart_count: 5 },
  ];
  const ranked = rankAcrossContainers([
    {
      container: 'cron',
      findings: [finding(boom, 10)],
      templates: [boom],
      status: new Map([['boom', 'recurring']]),
      spikes: new Map(),
      events,
      seconds: 600,
      crashLoop: { loop: { restarts: { window: 4, total: 5 }, state: 'restarting', exit_code: 1 }, status: 'new' },
    },
    {
      container: 'api',
      findings: [finding(other, 500)],
      templates: [other],
      status: new Map([['other', 'new']]),
      spikes: new Map(),
      events: [],
    },
  ]);
  expect(ranked[0]).toMatchObject({
    kind: 'crash_loop',
    level: 'critical',
    container: 'cron',
    restarts: { window: 4, total: 5 },
    status: 'new',
  });
  expect(ranked[0]!.reasons.join(' ')).toContain('permission denied');
  expect(ranked[0]!.per_hour).toBe(24);
});

test('a rare warning that names a known trouble (a certificate about to expire) ranks above thousands of routine warnings', async () => {
  const { createTriage } = await import('../../src/triage/pipeline.ts');
  const t = createTriage();
  for (let i = 0; i < 4000; i++)
    t.push({
      text: `time="2026-12-03T10:00:00Z" level=warning msg="Skipping service: no endpoints found" service=svc${i % 9}`,
    });
  for (let i = 0; i < 25; i++)
    t.push({
      text: `time="2026-12-03T10:00:00Z" level=warning msg="Certificate for domain example.org expires in ${30 - i} days"`,
    });
  const r = t.finish();
  const ranked = rankAcrossContainers([
    {
      container: 'traefik',
      findings: r.findings,
      templates: r.templates,
      status: new Map(),
      spikes: new Map(),
      events: [],
    },
  ]);
  expect(ranked[0]!.template).toContain('Certificate for domain');
  expect(ranked[0]!.level).toBe('warn');
});
