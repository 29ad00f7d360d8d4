import { describe, expect, test } from 'bun:test';
import { CharSlot } from '../../src/triage/char-slot.ts';
import { MinuteCounts, minuteKey, minuteNumber } from '../../src/triage/minute-counts.ts';
import { maskTokens, shapeHash } from '../../src/triage/mask.ts';
import { createMiner } from '../../src/triage/miner.ts';
import { createTriage } from '../../src/triage/pipeline.ts';

describe('per-minute counts', () => {
  test('minute numbers read ISO and space-separated times, and write back as keys', () => {
    const m = minuteNumber('2024-02-29T23:59:59.123456789Z');
    expect(minuteKey(m)).toBe('2024-02-29T23:59');
    expect(minuteNumber('2024-02-29 23:59:01')).toBe(m);
    expect(minuteKey(minuteNumber('1970-01-01T00:00:00Z'))).toBe('1970-01-01T00:00');
    expect(minuteNumber('garbage')).toBeNaN();
    expect(minuteNumber('2024-13-01T00:00:00Z')).toBeNaN();
    expect(minuteNumber(undefined)).toBeNaN();
  });

  test('out-of-order minutes land in order; the cap drops new minutes only', () => {
    const c = new MinuteCounts(3);
    for (const t of [
      '2024-01-01T10:05',
      '2024-01-01T10:01',
      '2024-01-01T10:05',
      '2024-01-01T10:03',
      '2024-01-01T10:09',
      '2024-01-01T10:01',
    ])
      c.add(minuteNumber(t + ':00Z'));
    expect(c.entries()).toEqual([
      ['2024-01-01T10:01', 2],
      ['2024-01-01T10:03', 1],
      ['2024-01-01T10:05', 2],
    ]);
  });

  test('a template keeps at most maxMinutes counters however long the window', () => {
    const triage = createTriage({ maxMinutes: 60 });
    const start = Date.parse('2024-01-01T00:00:00Z');
    for (let i = 0; i < 600; i++) triage.push({ ts: new Date(start + i * 60_000).toISOString(), text: `tick ${i}` });
    const [t] = triage.finish().templates;
    expect(t!.count).toBe(600);
    expect(t!.perMinute.length).toBe(60);
    expect(t!.lastSeen).toBe(new Date(start + 599 * 60_000).toISOString());
  });
});

describe('character slots', () => {
  test('hold the latest text, cut at their size, and compare as strings do', () => {
    const s = new CharSlot(8);
    s.set('2024-01-01');
    expect(s.toString()).toBe('2024-01-');
    s.set('ab', 'cd');
    expect(s.toString()).toBe('ab\ncd');
    for (const [a, b] of [
      ['ab\ncd', 'ab\ncd'],
      ['ab', 'ab\ncd'],
      ['b', 'ab\ncd'],
      ['ab\ncde', 'ab\ncd'],
    ]) {
      expect(Math.sign(s.compare(a!))).toBe(Math.sign(a! < b! ? -1 : a! > b! ? 1 : 0));
    }
  });
});

test('exemplars: the first and the latest event, each cut at maxExemplarChars', () => {
  const triage = createTriage({ maxExemplarChars: 20 });
  for (let i = 1; i <= 5; i++) triage.push({ text: `job ${i} finished in ${i} ms with a long tail of words` });
  const [t] = triage.finish().templates;
  expect(t!.exemplars).toEqual(['job 1 finished in 1 ', 'job 5 finished in 5 ']);
});

test('shape hashes: equal masked lists hash equal, however they were made', () => {
  const a = maskTokens('connected to 10.0.0.1 in 5 ms');
  expect(shapeHash(a)).toBe(shapeHash(['connected', 'to', '<*>', 'in', '<*>']));
  expect(shapeHash(a)).not.toBe(shapeHash(['connected', 'to', '<*>', 'in']));
  // a list built by hand that collides with nothing still finds its cluster
  const miner = createMiner();
  const c = miner.addTokens(maskTokens('user 7 logged in'));
  expect(miner.addTokens(['user', '<*>', 'logged', 'in'])).toBe(c);
});
