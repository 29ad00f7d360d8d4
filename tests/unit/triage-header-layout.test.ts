// Header layouts learned from a stream's own first lines, on header forms the generic reading does not
// take whole. Each stream is written here in the shape its system prints (the lines are made up).
import { describe, expect, test } from 'bun:test';
import { isGeneric, learnLayout, LayoutReader, parseWithLayout } from '../../src/triage/header-layout.ts';
import { createTriage } from '../../src/triage/pipeline.ts';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

// two of the four messages are one word: glued to a pipe-delimited header, they used to vanish into <*>
const HEALTH = [
  (i: number) => `onStandStepChanged ${3000 + i}`,
  (i: number) => `getTodayTotalDetailSteps = ${i}`,
  () => 'flushTempCacheToDisk',
  () => 'onReceive',
];

const STREAMS: { name: string; lines: string[]; message: (i: number) => string; level?: string }[] = [
  {
    name: 'pipe-delimited header glued to the first word',
    lines: times(
      60,
      (i) =>
        `20171223-22:15:${pad(i % 60)}:${pad(i * 7, 3)}|Step_${i % 3 ? 'LSC' : 'SPUtils'}|3000${pad(i, 4)}|${HEALTH[i % 4]!(i)}`,
    ),
    message: (i) => HEALTH[i % 4]!(i),
  },
  {
    name: 'a file name before the header',
    lines: times(
      40,
      (i) =>
        `nova-compute.log.1.2017-05-16_13:55:${pad(i % 60)} 2017-05-16 00:00:${pad(i % 60)}.${pad(i, 3)} 2931 INFO nova.compute.manager [req-${i}abc - - - - -] ${i % 2 ? 'VM Started (Lifecycle Event)' : `Took ${i}.5 seconds to build instance.`}`,
    ),
    message: (i) =>
      `nova.compute.manager [req-${i}abc - - - - -] ${i % 2 ? 'VM Started (Lifecycle Event)' : `Took ${i}.5 seconds to build instance.`}`,
    level: 'info',
  },
  {
    name: 'two headers: an archive stamp before a syslog line',
    lines: times(
      40,
      (i) =>
        `- 11315664${pad(i)} 2005.11.09 dn${200 + i} Nov 9 12:01:${pad(i % 60)} dn${200 + i}/dn${200 + i} crond(pam_unix)[${2900 + i}]: session ${i % 2 ? 'opened' : 'closed'} for user root`,
    ),
    message: (i) => `session ${i % 2 ? 'opened' : 'closed'} for user root`,
  },
  {
    name: 'logcat: a one-letter level column and a tag',
    lines: times(
      40,
      (i) =>
        `03-17 16:13:${pad(i % 60)}.${pad(i, 3)}  1702  ${2395 + i} ${'DIWE'[i % 4]} ${i % 2 ? 'WindowManager' : 'PowerManagerService'}: ${i % 2 ? `printFreezingDisplayLogs inTransaction=false` : `userActivityNoUpdateLocked: eventTime=${261849 + i}`}`,
    ),
    message: (i) =>
      i % 2 ? `printFreezingDisplayLogs inTransaction=false` : `userActivityNoUpdateLocked: eventTime=${261849 + i}`,
  },
  {
    name: 'a mixed-case level column after the time',
    lines: times(
      40,
      (i) =>
        `2016-09-28 04:30:${pad(i % 60)}, ${i % 5 ? 'Info' : 'Error'}                  CBS    ${i % 2 ? 'Loaded Servicing Stack v6.1 with Core' : `Ending TrustedInstaller initialization.`}`,
    ),
    message: (i) =>
      `CBS    ${i % 2 ? 'Loaded Servicing Stack v6.1 with Core' : `Ending TrustedInstaller initialization.`}`,
  },
];

describe('header layouts learned from a stream', () => {
  for (const s of STREAMS) {
    test(s.name, () => {
      const layout = learnLayout(s.lines);
      expect(isGeneric(layout)).toBe(false);
      s.lines.forEach((line, i) => {
        const p = parseWithLayout(line, layout);
        expect(p.message).toBe(s.message(i));
        if (s.level) expect(p.level).toBe(s.level as never);
      });
    });
  }

  test('the logcat level letter feeds the level', () => {
    const s = STREAMS[3]!;
    const layout = learnLayout(s.lines);
    expect(parseWithLayout(s.lines[3]!, layout).level).toBe('error');
  });

  test('formats the generic reading takes whole keep the generic layout', () => {
    const spark = times(
      40,
      (i) => `17/06/09 20:10:${pad(i % 60)} INFO spark.SecurityManager: Changing view acls to: yarn,curi`,
    );
    const plain = times(40, (i) => `user ${i} logged in`);
    const json = times(40, (i) => JSON.stringify({ level: 'info', msg: `req ${i}` }));
    for (const lines of [spark, plain, json]) expect(isGeneric(learnLayout(lines))).toBe(true);
  });

  test('a line that does not fit the layout is read the generic way', () => {
    const s = STREAMS[0]!;
    const layout = learnLayout(s.lines);
    expect(parseWithLayout('ERROR something else entirely', layout)).toMatchObject({
      message: 'something else entirely',
      level: 'error',
    });
  });

  test('the reader holds the first lines until it has learned, then delivers them in order', () => {
    const got: number[] = [];
    const r = new LayoutReader<number>((n) => got.push(n));
    for (let i = 0; i < 10; i++) r.push(`line ${i}`, i);
    expect(got).toEqual([]);
    r.flush();
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('the pipeline groups a pipe-delimited stream by its messages, not its headers', () => {
    const t = createTriage();
    for (const line of STREAMS[0]!.lines) t.push({ text: line });
    const r = t.finish();
    expect(r.templates.map((x) => x.template).sort()).toEqual([
      'flushTempCacheToDisk',
      'getTodayTotalDetailSteps = <*>',
      'onReceive',
      'onStandStepChanged <*>',
    ]);
  });
});
