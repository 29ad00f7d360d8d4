import { expect, test } from 'bun:test';
import { assessSeverity, guessLevel } from '../../src/triage/severity.ts';

test('signatures raise the level', () => {
  expect(assessSeverity('dial tcp 10.0.0.1:5432: connect: connection refused', 'info')).toEqual({
    level: 'error',
    signatures: ['connection_refused'],
  });
  expect(assessSeverity('Out of memory: Killed process 4242 (java)', undefined).level).toBe('critical');
  expect(assessSeverity('write /data/x: no space left on device', 'info').signatures).toEqual(['no_space']);
  expect(assessSeverity('Segmentation fault (core dumped)', undefined).signatures).toEqual(['segfault']);
  expect(assessSeverity('open /etc/shadow: permission denied', 'debug').level).toBe('error');
  expect(assessSeverity('upstream timed out after 30s', 'info')).toEqual({ level: 'warn', signatures: ['timeout'] });
  expect(assessSeverity('read: connection reset by peer', undefined).signatures).toEqual(['connection_reset']);
  expect(assessSeverity('goroutine panic: nil map', undefined).signatures).toContain('panic');
  expect(assessSeverity('java.lang.NullPointerException', 'info').signatures).toEqual(['exception']);
});

test('signatures never lower a level, and quiet lines keep theirs', () => {
  expect(assessSeverity('timeout while waiting', 'critical').level).toBe('critical');
  expect(assessSeverity('GET /health 200', undefined)).toEqual({ level: 'info', signatures: [] });
  expect(assessSeverity('cache warmed', 'debug').level).toBe('debug');
});

test('level words in text', () => {
  expect(guessLevel('worker 3 ERROR while saving')).toBe('error');
  expect(guessLevel('all good')).toBeUndefined();
});
