import { describe, expect, test } from 'bun:test';
import { createLogger } from '../../src/log.ts';

describe('logger', () => {
  test('writes one JSON line per entry at or above its level', () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      (l) => lines.push(l),
      {},
      () => new Date('2026-01-02T03:04:05Z'),
    );
    log.debug('hidden');
    log.info('shown', { n: 1 });
    log.child({ run: 7 }).error('bad');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'shown', n: 1 },
      { time: '2026-01-02T03:04:05.000Z', level: 'error', msg: 'bad', run: 7 },
    ]);
  });
});
