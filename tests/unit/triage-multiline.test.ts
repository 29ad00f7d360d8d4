import { expect, test } from 'bun:test';
import { createJoiner, type LogEvent } from '../../src/triage/multiline.ts';

function join(lines: string[]): LogEvent[] {
  const j = createJoiner();
  const out: LogEvent[] = [];
  for (const text of lines) {
    const done = j.push({ text });
    if (done) out.push(done);
  }
  const last = j.flush();
  if (last) out.push(last);
  return out;
}

test('Java stack trace with Caused by joins its first line', () => {
  const ev = join([
    '2024-05-01 10:00:00 ERROR [main] c.e.App: request failed',
    'java.lang.IllegalStateException: bad state',
    '\tat com.example.App.run(App.java:10)',
    'Caused by: java.io.IOException: disk',
    '\t... 4 more',
    '2024-05-01 10:00:01 INFO [main] c.e.App: next',
  ]);
  expect(ev.length).toBe(2);
  expect(ev[0]!.lines).toBe(5);
  expect(ev[0]!.exception).toBe('Caused by: java.io.IOException: disk');
});

test('Python traceback ends at its exception line', () => {
  const ev = join([
    'ERROR:worker:job failed',
    'Traceback (most recent call last):',
    '  File "/app/w.py", line 3, in <module>',
    '    1/0',
    'ZeroDivisionError: division by zero',
    'INFO:worker:next job',
  ]);
  expect(ev.map((e) => e.lines)).toEqual([5, 1]);
  expect(ev[0]!.exception).toBe('ZeroDivisionError: division by zero');
});

test('Go panic with goroutine dump and blank lines', () => {
  const ev = join([
    'panic: runtime error: index out of range [3] with length 2',
    '',
    'goroutine 1 [running]:',
    'main.main()',
    '\t/app/main.go:8 +0x1d',
    'exit status 2',
    'server restarted',
  ]);
  expect(ev.length).toBe(2);
  expect(ev[0]!.lines).toBe(6);
  expect(ev[0]!.exception).toStartWith('panic: runtime error');
});

test('indented continuation lines join; ordinary lines do not', () => {
  const ev = join(['config loaded:', '  port: 80', '  host: x', 'ready', 'done']);
  expect(ev.map((e) => e.lines)).toEqual([3, 1, 1]);
});

test('a long trace is bounded', () => {
  const j = createJoiner({ maxLines: 10, maxChars: 200 });
  j.push({ text: 'boom' });
  for (let i = 0; i < 1000; i++) j.push({ text: `\tat frame${i}(X.java:1)` });
  const ev = j.flush()!;
  expect(ev.lines).toBe(1001);
  expect(ev.rest.length).toBeLessThanOrEqual(200);
});
