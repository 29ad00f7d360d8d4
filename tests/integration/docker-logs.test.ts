// Log streaming through the gateway against the real daemon: content, stream and order come back
// exactly for non-TTY and TTY containers, and since/until select exactly the lines inside the window.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { systemClock } from '../../src/clock.ts';
import type { DockerGateway } from '../../src/docker/gateway.ts';
import type { LogLine } from '../../src/docker/types.ts';
import { EventBus } from '../../src/events/bus.ts';
import { addToAllowlist } from '../../src/service/allowlist.ts';
import type { DockerContext } from '../../src/service/context.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { dockerCli, hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { testDockerGateway } from '../support/docker-gateway.ts';

const docker = hasDocker('docker log streaming');

// Writes known lines: both streams, \r\n, a line in many small writes, invalid UTF-8, multi-byte text,
// a 200 KB line (Docker cuts it into 16 KiB messages), and a last line without a newline.
const SCRIPT = [
  "echo 'plain stdout line'",
  'sleep 0.05',
  "echo 'to stderr' >&2",
  'sleep 0.05',
  "printf 'crlf line\\r\\n'",
  "printf 'in'; sleep 0.05; printf ' many'; sleep 0.05; printf ' small'; sleep 0.05; printf ' pieces\\n'",
  "printf 'bad \\377\\376 bytes\\n'",
  "printf '\\303\\274n\\303\\257c\\303\\266d\\303\\251 \\342\\230\\203\\n'",
  "head -c 204800 /dev/zero | tr '\\000' L; echo",
  "echo 'after long'",
  'sleep 0.05',
  "printf 'stderr without newline' >&2",
].join('\n');

const LONG = 'L'.repeat(204800);
const EXPECTED: [string, string][] = [
  ['stdout', 'plain stdout line'],
  ['stderr', 'to stderr'],
  ['stdout', 'crlf line'],
  ['stdout', 'in many small pieces'],
  ['stdout', 'bad \uFFFD\uFFFD bytes'],
  ['stdout', 'ünïcödé ☃'],
  ['stdout', LONG],
  ['stdout', 'after long'],
  ['stderr', 'stderr without newline'],
];

async function collect(it: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of it) out.push(l);
  return out;
}

const shape = (lines: LogLine[]) =>
  lines.map((l) => [
    l.stream,
    l.text.length > 100 ? `${l.text.length} chars, ${l.text === LONG ? 'exact' : 'DIFFERENT'}` : l.text,
  ]);

describe.skipIf(!docker)('gateway log stream (real dockerd)', () => {
  let db: TestDatabase;
  let gateway: DockerGateway;
  let ctx: DockerContext;
  const created: string[] = [];
  let plain: string;
  let tty: string;
  let ticker: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    const base = { db, clock: systemClock, events: new EventBus() };
    gateway = testDockerGateway(base);
    ctx = { ...base, docker: gateway };
    plain = runTestContainer({ name: uniqueName('cb-logs-plain'), cmd: ['sh', '-c', SCRIPT] });
    tty = runTestContainer({ name: uniqueName('cb-logs-tty'), tty: true, cmd: ['sh', '-c', SCRIPT] });
    ticker = runTestContainer({
      name: uniqueName('cb-logs-ticker'),
      cmd: ['sh', '-c', 'i=0; while [ $i -lt 12 ]; do echo "tick $i"; i=$((i+1)); sleep 0.1; done'],
    });
    created.push(plain, tty, ticker);
    for (const id of created) {
      expect(dockerCli(['wait', id]).stdout.trim()).toBe('0');
      await addToAllowlist(ctx, { container: id });
    }
  });

  afterAll(async () => {
    removeContainers(created);
    await db.close();
  });

  test('non-TTY: every line back exactly, with its stream, in order', async () => {
    const lines = await collect(gateway.logs(plain));
    expect(shape(lines)).toEqual(shape(EXPECTED.map(([stream, text]) => ({ stream, text }) as LogLine)));
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/.test(l.ts))).toBe(true);
    expect(lines.every((l, i) => i === 0 || l.ts >= lines[i - 1]!.ts)).toBe(true);
  });

  test('TTY: the same text (one stream), \\r\\n from the terminal stripped', async () => {
    const lines = await collect(gateway.logs(tty));
    expect(shape(lines)).toEqual(shape(EXPECTED.map(([, text]) => ({ stream: 'stdout', text }) as LogLine)));
  });

  test('since/until select exactly the lines inside the window, at sub-second precision', async () => {
    const all = await collect(gateway.logs(ticker));
    expect(all.map((l) => l.text)).toEqual(Array.from({ length: 12 }, (_, i) => `tick ${i}`));
    // bounds taken from the lines' own nanosecond timestamps: since inclusive, until exclusive
    const exact = await collect(gateway.logs(ticker, { since: all[3]!.ts, until: all[7]!.ts }));
    expect(exact.map((l) => l.text)).toEqual(['tick 3', 'tick 4', 'tick 5', 'tick 6']);
    // Date bounds between two lines (they are ~100 ms apart, so several fall in each second)
    const mid = (a: LogLine, b: LogLine) => new Date((Date.parse(a.ts) + Date.parse(b.ts)) / 2);
    const dated = await collect(gateway.logs(ticker, { since: mid(all[1]!, all[2]!), until: mid(all[5]!, all[6]!) }));
    expect(dated.map((l) => l.text)).toEqual(['tick 2', 'tick 3', 'tick 4', 'tick 5']);
    expect((await collect(gateway.logs(ticker, { since: all[10]!.ts }))).map((l) => l.text)).toEqual([
      'tick 10',
      'tick 11',
    ]);
    expect((await collect(gateway.logs(ticker, { until: all[1]!.ts }))).map((l) => l.text)).toEqual(['tick 0']);
  });

  test('an AbortSignal stops the stream promptly; breaking out closes it', async () => {
    const big = runTestContainer({ name: uniqueName('cb-logs-big'), cmd: ['sh', '-c', 'seq 1 300000'] });
    created.push(big);
    expect(dockerCli(['wait', big]).stdout.trim()).toBe('0');
    await addToAllowlist(ctx, { container: big });
    const controller = new AbortController();
    let seen = 0;
    const started = performance.now();
    const run = (async () => {
      for await (const _ of gateway.logs(big, { signal: controller.signal })) {
        if (++seen === 1000) controller.abort(new Error('enough'));
      }
    })();
    await expect(run).rejects.toThrow('enough');
    expect(seen).toBeLessThan(300000);
    expect(performance.now() - started).toBeLessThan(5000);

    let n = 0;
    for await (const _ of gateway.logs(big)) if (++n === 10) break;
    expect(n).toBe(10);
    // an already aborted signal: nothing is read
    await expect(collect(gateway.logs(big, { signal: AbortSignal.abort(new Error('pre')) }))).rejects.toThrow('pre');
  });

  test('tail counts from the end', async () => {
    expect((await collect(gateway.logs(ticker, { tail: 2 }))).map((l) => l.text)).toEqual(['tick 10', 'tick 11']);
  });
});
