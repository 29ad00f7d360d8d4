// Slot arithmetic: the due slot after downtime is the latest one only, next times, cron checks.
import { describe, expect, test } from 'bun:test';
import { checkCron, dueSlot, nextSlots } from '../../src/runner/schedule-slots.ts';

const at = (s: string) => new Date(s);

describe('interval slots', () => {
  const t = {
    cron: null,
    every_seconds: 60,
    anchor_at: at('2026-01-01T00:00:00Z'),
    done_through: at('2026-01-01T00:00:00Z'),
  };
  test('nothing is due before the first slot', () => {
    expect(dueSlot(t, at('2026-01-01T00:00:59.999Z'))).toBeNull();
    expect(dueSlot(t, at('2026-01-01T00:01:00Z'))).toEqual(at('2026-01-01T00:01:00Z'));
  });
  test('after downtime only the latest missed slot is due', () => {
    expect(dueSlot(t, at('2026-01-01T05:07:30Z'))).toEqual(at('2026-01-01T05:07:00Z'));
  });
  test('a slot at or before done_through is not due again', () => {
    expect(dueSlot({ ...t, done_through: at('2026-01-01T00:02:00Z') }, at('2026-01-01T00:02:30Z'))).toBeNull();
  });
  test('next times follow the anchor', () => {
    expect(nextSlots(t, at('2026-01-01T00:02:30Z'), 2)).toEqual([
      at('2026-01-01T00:03:00Z'),
      at('2026-01-01T00:04:00Z'),
    ]);
    expect(nextSlots(t, at('2026-01-01T00:00:00Z'), 1)).toEqual([at('2026-01-01T00:01:00Z')]);
  });
});

describe('cron slots', () => {
  const t = {
    cron: '*/15 * * * *',
    every_seconds: null,
    anchor_at: at('2026-01-01T10:01:00Z'),
    done_through: at('2026-01-01T10:01:00Z'),
  };
  test('the latest cron time at or before now is due once', () => {
    expect(dueSlot(t, at('2026-01-01T10:14:59Z'))).toBeNull();
    expect(dueSlot(t, at('2026-01-01T10:15:00Z'))?.getTime()).toBe(at('2026-01-01T10:15:00Z').getTime());
    expect(dueSlot(t, at('2026-01-01T13:20:00Z'))?.getTime()).toBe(at('2026-01-01T13:15:00Z').getTime());
  });
  test('next times', () => {
    expect(nextSlots(t, at('2026-01-01T10:15:00Z'), 2).map((d) => d.getTime())).toEqual([
      at('2026-01-01T10:30:00Z').getTime(),
      at('2026-01-01T10:45:00Z').getTime(),
    ]);
  });
  test('bad expressions are named', () => {
    expect(checkCron('*/15 * * * *')).toBeNull();
    expect(checkCron('nonsense')).toContain('five, six');
    expect(checkCron('61 * * * *')).not.toBeNull();
  });
});
