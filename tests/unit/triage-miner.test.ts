import { expect, test } from 'bun:test';
import { maskTokens } from '../../src/triage/mask.ts';
import { createMiner } from '../../src/triage/miner.ts';

test('lines of one event share a cluster; the template generalises variables', () => {
  const miner = createMiner();
  const a = miner.add('user alice logged in from 10.0.0.1');
  const b = miner.add('user bob logged in from 10.0.0.2');
  const c = miner.add('disk /dev/sda1 is 91% full');
  expect(a.id).toBe(b.id);
  expect(c.id).not.toBe(a.id);
  expect(miner.template(a)).toBe('user <*> logged in from <*>');
});

test('a few distinct words are variants of an event until there are many', () => {
  const miner = createMiner();
  const on = maskTokens('BTLE scanner Powered On');
  const off = maskTokens('BTLE scanner Powered Off');
  const c1 = miner.addTokens(on);
  const c2 = miner.addTokens(off);
  expect(c1).toBe(c2);
  expect(miner.variant(c1, on)).not.toBe(miner.variant(c1, off));
  // many different names at one place: a variable, one group
  const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
  const cs = names.map((n) => miner.addTokens(maskTokens(`session opened for user ${n} by sshd`)));
  const vs = names.map((n, i) => miner.variant(cs[i]!, maskTokens(`session opened for user ${n} by sshd`)));
  expect(new Set(cs.map((c) => c.id)).size).toBe(1);
  expect(new Set(vs).size).toBe(1);
});

test('memory is bounded: clusters past the cap are evicted and counted', () => {
  const evicted: number[] = [];
  const miner = createMiner({ maxClusters: 100 }, (c) => evicted.push(c.id));
  // a word per number, in letters only, so that every line is its own event
  const word = (n: number) =>
    n
      .toString(26)
      .split('')
      .map((d) => String.fromCharCode(97 + parseInt(d, 26)))
      .join('');
  for (let i = 0; i < 1000; i++) miner.add(`${word(i)}q ${word(i + 7)}r ${word(i + 13)}s done`);
  const s = miner.stats();
  expect(s.clusters).toBeLessThanOrEqual(100);
  expect(s.evicted).toBe(evicted.length);
  expect(s.evicted).toBeGreaterThan(0);
  expect(s.lines).toBe(1000);
});
