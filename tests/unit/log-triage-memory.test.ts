// Run-to-run memory, the pure part: new vs recurring, resolved error patterns, rate spikes.
import { describe, expect, test } from 'bun:test';
import {
  judgeAgainstMemory,
  observableSeconds,
  worseLevel,
  type RememberedTemplate,
} from '../../src/triage/run-memory.ts';

const mem = (fingerprint: string, level: string, total: number, seconds: number): RememberedTemplate => ({
  fingerprint,
  level,
  total_count: total,
  last_count: total,
  observed_seconds: seconds,
  runs_seen: 1,
});

test('templates memory knows are recurring, others new', () => {
  const v = judgeAgainstMemory(
    [
      { fingerprint: 'a', level: 'error', count: 2 },
      { fingerprint: 'b', level: 'info', count: 5 },
    ],
    [mem('a', 'error', 4, 3600)],
    [],
    3600,
  );
  expect(v.status.get('a')).toBe('recurring');
  expect(v.status.get('b')).toBe('new');
  expect(v.spikes.size).toBe(0);
});

test('error templates of the previous window that are absent now are resolved; warnings and present ones are not', () => {
  const previous = [
    mem('gone-error', 'error', 3, 60),
    mem('gone-critical', 'critical', 1, 60),
    mem('gone-warn', 'warn', 9, 60),
    mem('still', 'error', 2, 60),
  ];
  const v = judgeAgainstMemory([{ fingerprint: 'still', level: 'error', count: 1 }], previous, previous, 60);
  expect(v.resolved.map((r) => r.fingerprint).sort()).toEqual(['gone-critical', 'gone-error']);
});

test('a rate far above the earlier rate is a spike; the same rate, or a handful of events, is not', () => {
  // earlier: 24 per day = 1/h; now 60 in one hour
  const known = [mem('t', 'warn', 24, 86_400), mem('steady', 'info', 2400, 86_400), mem('few', 'error', 1, 86_400)];
  const v = judgeAgainstMemory(
    [
      { fingerprint: 't', level: 'warn', count: 60 },
      { fingerprint: 'steady', level: 'info', count: 100 },
      { fingerprint: 'few', level: 'error', count: 5 },
    ],
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

describe('honest baselines', () => {
  test('a first window over a young container counts from its creation, not from the lookback', () => {
    const until = new Date('2026-12-03T10:02:00Z');
    const since = new Date(until.getTime() - 86_400_000);
    expect(observableSeconds(since, until, new Date('2026-12-03T10:00:00Z'))).toBe(120);
    expect(observableSeconds(new Date('2026-12-03T10:01:00Z'), until, new Date('2026-12-03T10:00:00Z'))).toBe(60);
    expect(observableSeconds(since, until, null)).toBe(86_400);
  });

  test('the reported false spike (103 health checks in 104 s after a 2-minute-old first window) is no spike', () => {
    // the first window: 120 health checks over the 120 s the container had existed
    const v = judgeAgainstMemory(
      [{ fingerprint: 'health', level: 'info', count: 103 }],
      [mem('health', 'info', 120, 120)],
      [],
      104,
    );
    expect(v.spikes.size).toBe(0);
  });

  test('a steady pattern is never a spike, however many runs follow at whatever spacing', () => {
    // one event per second with Poisson noise, runs seconds to minutes apart, 200 runs
    let seed = 42;
    const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const poisson = (lambda: number) => {
      // sum of exponential gaps
      let k = 0;
      let t = -Math.log(1 - rand());
      while (t < lambda) {
        k++;
        t += -Math.log(1 - rand());
      }
      return k;
    };
    let total = poisson(60);
    let observed = 60;
    for (let run = 0; run < 200; run++) {
      const seconds = 2 + Math.floor(rand() * 120);
      const count = poisson(seconds);
      const v = judgeAgainstMemory(
        [{ fingerprint: 's', level: 'info', count }],
        [mem('s', 'info', total, observed)],
        [],
        seconds,
      );
      expect(v.spikes.size).toBe(0);
      total += count;
      observed += seconds;
    }
  });

  test('a real rise with enough evidence is a spike with its p-value', () => {
    const v = judgeAgainstMemory(
      [{ fingerprint: 'e', level: 'error', count: 40 }],
      [mem('e', 'error', 10, 600)],
      [],
      60,
    );
    const s = v.spikes.get('e')!;
    expect(s.factor).toBe(40);
    expect(s.pValue).toBeLessThan(0.001);
    // the same factor on a handful of events is not evidence enough
    expect(
      judgeAgainstMemory([{ fingerprint: 'e', level: 'error', count: 4 }], [mem('e', 'error', 1, 600)], [], 60).spikes
        .size,
    ).toBe(0);
  });
});
