import { expect, test } from 'bun:test';
import { fingerprint } from '../../src/triage/fingerprint.ts';

test('fingerprint is a stable short hash of the template text', () => {
  const f = fingerprint('user <*> logged in');
  expect(f).toMatch(/^[0-9a-f]{16}$/);
  expect(fingerprint('user <*> logged in')).toBe(f);
  expect(fingerprint('user <*> logged out')).not.toBe(f);
});
