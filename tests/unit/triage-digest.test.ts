import { expect, test } from 'bun:test';
import { renderDigest } from '../../src/triage/digest.ts';
import type { Finding } from '../../src/triage/findings.ts';
import { estimateTokens } from '../../src/triage/token-estimate.ts';

function finding(i: number, size: number): Finding {
  return {
    rank: i + 1,
    kind: 'error',
    score: 100 - i,
    reasons: ['signatures: timeout'],
    template: {
      id: String(i),
      template: `template ${i} ${'word '.repeat(size)}`,
      fingerprint: 'f',
      count: 10 + i,
      level: 'error',
      signatures: ['timeout'],
      firstSeen: '2024-05-01T10:00:00Z',
      lastSeen: '2024-05-01T11:00:00Z',
      firstEvent: 1,
      lastEvent: 2,
      perMinute: [],
      exemplars: [`example ${'x'.repeat(size * 3)}`, 'second example'],
    },
  };
}

test('token estimate is chars / 4 rounded up', () => {
  expect(estimateTokens('')).toBe(0);
  expect(estimateTokens('abcd')).toBe(1);
  expect(estimateTokens('abcde')).toBe(2);
});

test('the digest never exceeds its budget', () => {
  let seed = 1;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let k = 0; k < 300; k++) {
    const findings = Array.from({ length: rand(60) }, (_, i) => finding(i, rand(200)));
    const budget = 1 + rand(3000);
    const d = renderDigest(findings, { budgetTokens: budget, lines: 123, templates: 45 });
    expect(d.tokens).toBe(estimateTokens(d.text));
    expect(d.tokens).toBeLessThanOrEqual(budget);
    expect(d.included + d.omitted).toBe(findings.length);
  }
});

test('best findings first, and what was left out is said', () => {
  const findings = Array.from({ length: 40 }, (_, i) => finding(i, 20));
  const d = renderDigest(findings, { budgetTokens: 400 });
  expect(d.text.indexOf('#1 ')).toBeLessThan(d.text.indexOf('#2 '));
  expect(d.omitted).toBeGreaterThan(0);
  expect(d.text).toContain(`${d.omitted} more findings left out`);
});
