import { describe, expect, test } from 'bun:test';
import { AppError } from '../../src/errors.ts';
import { parseInstant } from '../../src/service/tokens.ts';

describe('since/until parsing', () => {
  const good: [string, string][] = [
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T12:30', '2026-01-31T12:30:00.000Z'],
    ['2026-01-31T12:30:15Z', '2026-01-31T12:30:15.000Z'],
    ['2026-01-31T12:30:15.250Z', '2026-01-31T12:30:15.250Z'],
    ['2026-01-31T12:30:15+02:00', '2026-01-31T10:30:15.000Z'],
    ['2026-01-31T12:30:15 02:00', '2026-01-31T10:30:15.000Z'], // '+' decoded as a space from a query string
    ['2026-01-31T12:30:15-0130', '2026-01-31T14:00:15.000Z'],
    ['2026-01-31 12:30:15Z', '2026-01-31T12:30:15.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ];
  for (const [raw, iso] of good)
    test(`${raw} -> ${iso}`, () => expect(parseInstant('since', raw).toISOString()).toBe(iso));

  const bad = [
    '',
    'yesterday',
    '2026-13-01',
    '2026-02-30',
    '2025-02-29',
    '2026-01-31T25:00Z',
    '2026-01-31T12:60Z',
    '0000-01-01',
    '1969-12-31',
    '+275760-09-13',
    '2026-1-1',
    '1767225600',
    "2026-01-01'; drop table llm_calls; --",
  ];
  for (const raw of bad) {
    test(`refused: ${JSON.stringify(raw)}`, () => {
      let err: unknown;
      try {
        parseInstant('until', raw);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(400);
      expect((err as AppError).message).toStartWith('until must be an ISO 8601 date');
    });
  }
});
