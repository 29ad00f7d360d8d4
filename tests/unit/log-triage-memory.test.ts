// Run-to-run memory, the pure part: new vs recurring, resolved error patterns, rate spikes.
import { expect, test } from 'bun:test';
import { judgeAgainstMemory, worseLevel, type RememberedTemplate } from '../../src/triage/run-memory.ts';

const mem = (fingerprint: string, level: string, total: number, seconds: number): RememberedTemplate => ({
  fingerprint, level, total_count: total, last_count: total, observed_seconds: seconds, runs_seen: 1,
});

test('templates memory knows are recurring, others new', () => {
  const v = judgeAgainstMemory(
    [{ fingerprint: 'a', level: 'error', count: 2 }, { fingerprint: 'b', level: 'info', count: 5 }],
    [mem('a', 'error', 4, 3600)],
    [],
    3600,
  );
  expect(v.status.get('a')).toBe('recurring');
  expect(v.status.get('b')).toBe('new');
  expect(v.spikes.size).toBe(0);
});

test('error templates of the previous window that are absent now are resolved; warnings and present ones are not', () => {
  const previous = [mem('gone-error', 'error', 3, 60), mem('gone-critical', 'critical', 1, 60), mem('gone-warn', 'warn', 9, 60), mem('still', 'error', 2, 60)];
  const v = judgeAgainstMemory([{ fingerprint: 'still', level: 'error', count: 1 }], previous, previous, 60);
  expect(v.resolved.map((r) => r.fingerprint).sort()).toEqual(['gone-critical', 'gone-error']);
});

test('a rate far above the earlier rate is a spike; the same rate, or a handful of events, is not', () => {
  // earlier: 24 per day = 1/h; now 60 in one hour
  const known = [mem('t', 'warn', 24, 86_400), mem('steady', 'info', 2400, 86_400), mem('few', 'error', 1, 86_400)];
  const v = judgeAgainstMemory(
    [{ fingerprint: 't', level: 'warn', count: 60 }, { fingerprint: 'steady', level: 'info', count: 100 }, { fingerprint: 'few', level: 'error', count: 5 }],
    known,
    [],
    3600,
  );
  expect(v.spikes.get('t')).toMatchObject({ count: 60, perHour: 60, earlierPerHour: 1, factor: 60 });
  expect(v.spikes.has('steady')).toBe(false);
  expect(v.spikes.has('few')).toBe(false);
  // new templates are `new`, never spikes (there is no earlier rate)
  const fresh = judgeAgainstMemory([{ fingerprint: 'x', level: 'error', count: 500 }], [], [], 60);
  expect(fresh.spikes.size).toBe(0);
  expect(fresh.status.get('x')).toBe('new');
});

test('memory keeps the worst level', () => {
  expect(worseLevel('info', 'error')).toBe('error');
  expect(worseLevel('critical', 'warn')).toBe('critical');
  expect(worseLevel('warn', 'trace')).toBe('warn');
});
