import { describe, expect, test } from 'bun:test';
import { dockerApiTime, dockerTimestamp, InvalidLogTimeError, windowFilter } from '../../src/docker/log-window.ts';

describe('log windows', () => {
  test('bounds keep nanoseconds and compare with Docker timestamps exactly', () => {
    const inside = windowFilter({ since: '2026-01-01T00:00:00.000000005Z', until: '2026-01-01T00:00:00.000000007Z' })!;
    expect(inside('2026-01-01T00:00:00.000000004Z')).toBe(false);
    expect(inside('2026-01-01T00:00:00.000000005Z')).toBe(true); // since is inclusive
    expect(inside('2026-01-01T00:00:00.000000006Z')).toBe(true);
    expect(inside('2026-01-01T00:00:00.000000007Z')).toBe(false); // until is exclusive
  });

  test('Dates, offsets and short fractions normalise to Docker form', () => {
    expect(dockerTimestamp(new Date('2026-03-04T05:06:07.089Z'))).toBe('2026-03-04T05:06:07.089000000Z');
    expect(dockerTimestamp('2026-03-04T07:06:07.5+02:00')).toBe('2026-03-04T05:06:07.500000000Z');
    expect(dockerApiTime('2026-01-01T00:00:01.000000123Z')).toBe('1767225601.000000123');
    expect(dockerApiTime(new Date(1500))).toBe('1.500000000');
  });

  test('no bounds: no filter; nonsense: a typed error', () => {
    expect(windowFilter({})).toBeNull();
    expect(() => windowFilter({ since: 'yesterday' })).toThrow(InvalidLogTimeError);
  });
});
