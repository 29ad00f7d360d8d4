// Rough edges of what reaches the miner: binary output, very long lines, undecodable bytes, colours
// in examples, and records that span lines (.NET console, stack traces).
import { describe, expect, test } from 'bun:test';
import { createTriage } from '../../src/triage/pipeline.ts';

const run = (lines: string[]) => {
  const t = createTriage();
  for (const text of lines) t.push({ text });
  return t.finish();
};

describe('line guards', () => {
  test('binary output is counted as such and never a finding', () => {
    const bin = Array.from(
      { length: 50 },
      (_, i) => `\u0000\u0001ELF\u0000\u0000${String.fromCharCode(200 + i)}\u0000`,
    );
    const r = run([...bin, 'ERROR real problem']);
    expect(r.binaryLines).toBe(50);
    expect(r.templates).toHaveLength(1);
    expect(r.findings.every((f) => !f.template.template.includes('\u0000'))).toBe(true);
  });

  test('a 5 MB line is mined from its first 8 KiB', () => {
    const huge = 'ERROR payload ' + 'x'.repeat(5_000_000);
    const r = run([huge]);
    expect(r.cappedLines).toBe(1);
    expect(r.templates[0]!.template.length).toBeLessThanOrEqual(8192);
    expect(r.templates[0]!.exemplars[0]!.length).toBeLessThanOrEqual(1000);
  });

  test('invalid UTF-8 in one error does not split it into templates', () => {
    const dec = new TextDecoder();
    const lines = [0xff, 0xfe, 0xc3].map((b, i) =>
      dec.decode(
        new Uint8Array([...Buffer.from(`ERROR cannot open file na`), b, ...Buffer.from(`me${i}.txt for user bob`)]),
      ),
    );
    const r = run(lines);
    expect(r.templates).toHaveLength(1);
    expect(r.templates[0]!.count).toBe(3);
  });

  test('colour codes are not in the examples', () => {
    const r = run(['\u001b[31mERROR\u001b[0m disk on fire']);
    expect(r.templates[0]!.exemplars[0]).toBe('ERROR disk on fire');
  });

  test('a .NET console record (fail: header + message line) is one event of level error', () => {
    const r = run([
      'fail: Microsoft.EntityFrameworkCore.Database.Connection[20004]',
      "      An error occurred using the connection to database 'app' on server 'db'.",
      'info: Microsoft.Hosting.Lifetime[0]',
      '      Application started.',
      'fail: Microsoft.EntityFrameworkCore.Database.Connection[20004]',
      "      An error occurred using the connection to database 'app' on server 'db'.",
    ]);
    expect(r.lines).toBe(6);
    expect(r.events).toBe(3);
    const fail = r.templates.find((t) => t.level === 'error')!;
    expect(fail.count).toBe(2);
    expect(fail.template).toContain('An error occurred');
  });

  test('a Java stack trace counts as one event', () => {
    const r = run([
      '2026-12-03 10:00:00.123 ERROR 1 --- [main] c.e.App : request failed',
      'java.lang.NullPointerException: null',
      '\tat com.example.App.handle(App.java:42)',
      '\tat com.example.App.main(App.java:10)',
    ]);
    expect(r.events).toBe(1);
    expect(r.templates[0]!.level).toBe('error');
  });
});
