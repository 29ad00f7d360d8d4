import { expect, test } from 'bun:test';
import { stripAnsi } from '../../src/triage/strip-ansi.ts';

test('removes colour codes and leaves the text', () => {
  expect(stripAnsi('\u001b[32mINFO\u001b[0m server \u001b[1;31mstarted\u001b[m')).toBe('INFO server started');
  expect(stripAnsi('\u001b]0;title\u0007plain')).toBe('plain');
  const plain = 'no escapes here [1;2]';
  expect(stripAnsi(plain)).toBe(plain);
});
