import { describe, expect, test } from 'bun:test';
import { DEFAULT_MAX_LINE_BYTES, LogLineParser, truncationMarker } from '../../src/docker/log-lines.ts';
import type { LogLine } from '../../src/docker/types.ts';

const enc = new TextEncoder();
const TS1 = '2026-01-01T00:00:01.000000001Z';
const TS2 = '2026-01-01T00:00:02.000000002Z';
const TS3 = '2026-01-01T00:00:03.000000003Z';

function bytes(...parts: (string | Uint8Array)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** One multiplexed frame: stream type (1 stdout, 2 stderr), 3 zero bytes, big-endian length, payload. */
function frame(type: 1 | 2, payload: string | Uint8Array): Uint8Array {
  const body = typeof payload === 'string' ? enc.encode(payload) : payload;
  const head = new Uint8Array(8);
  head[0] = type;
  new DataView(head.buffer).setUint32(4, body.length);
  return bytes(head, body);
}

function parse(input: Uint8Array, opts: { multiplexed: boolean; maxLineBytes?: number; chunk?: number }): LogLine[] {
  const lines: LogLine[] = [];
  const p = new LogLineParser({
    multiplexed: opts.multiplexed,
    maxLineBytes: opts.maxLineBytes,
    onLine: (l) => lines.push(l),
  });
  const size = opts.chunk ?? input.length;
  for (let i = 0; i < input.length; i += size) p.push(input.slice(i, i + size));
  p.end();
  return lines;
}

const texts = (lines: LogLine[]) => lines.map((l) => [l.stream, l.text]);

describe('multiplexed (non-TTY) streams', () => {
  const input = bytes(frame(1, `${TS1} hello\n`), frame(2, `${TS2} oops\r\n`), frame(1, `${TS3} world\n`));

  test('frames become lines with their stream and Docker timestamp; \\r\\n is one line end', () => {
    const lines = parse(input, { multiplexed: true });
    expect(lines).toEqual([
      { ts: TS1, stream: 'stdout', text: 'hello', truncated: false },
      { ts: TS2, stream: 'stderr', text: 'oops', truncated: false },
      { ts: TS3, stream: 'stdout', text: 'world', truncated: false },
    ]);
  });

  test('the same result whatever the chunking: headers, timestamps and text split anywhere', () => {
    const whole = parse(input, { multiplexed: true });
    for (const chunk of [1, 2, 3, 5, 7, 8, 9, 13, 31])
      expect(parse(input, { multiplexed: true, chunk })).toEqual(whole);
  });

  test('a line split across frames (Docker partial messages) is joined and keeps its first timestamp', () => {
    const lines = parse(
      bytes(frame(1, `${TS1} first half, `), frame(2, `${TS2} err\n`), frame(1, `${TS1} second half\n`)),
      { multiplexed: true, chunk: 4 },
    );
    expect(lines.map((l) => [l.ts, l.stream, l.text])).toEqual([
      [TS2, 'stderr', 'err'],
      [TS1, 'stdout', 'first half, second half'],
    ]);
  });

  test('a multi-byte character split across frames and chunks survives; invalid UTF-8 becomes U+FFFD', () => {
    const snow = enc.encode('☃'); // 3 bytes
    const lines = parse(
      bytes(
        frame(1, bytes(`${TS1} a`, snow.slice(0, 1))),
        frame(1, bytes(`${TS1} `, snow.slice(1), 'b\n')),
        frame(1, bytes(`${TS2} bad `, new Uint8Array([0xff, 0xfe]), ' end\n')),
      ),
      { multiplexed: true, chunk: 3 },
    );
    expect(texts(lines)).toEqual([
      ['stdout', 'a☃b'],
      ['stdout', 'bad \uFFFD\uFFFD end'],
    ]);
  });

  test('empty lines and a last line without newline', () => {
    expect(texts(parse(bytes(frame(1, `${TS1} \n`), frame(1, `${TS2} tail`)), { multiplexed: true }))).toEqual([
      ['stdout', ''],
      ['stdout', 'tail'],
    ]);
  });

  test('a very long line is capped with a marker, and memory held stays under the cap', () => {
    const cap = 1000;
    const lines: LogLine[] = [];
    const p = new LogLineParser({ multiplexed: true, maxLineBytes: cap, onLine: (l) => lines.push(l) });
    let maxHeld = 0;
    for (let i = 0; i < 200; i++) {
      p.push(frame(1, `${TS1} ${'x'.repeat(16384)}`));
      maxHeld = Math.max(maxHeld, p.bufferedBytes);
    }
    p.push(frame(1, `${TS1} \n`));
    p.push(frame(1, `${TS2} next\n`));
    p.end();
    expect(maxHeld).toBeLessThanOrEqual(cap);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.truncated).toBe(true);
    expect(lines[0]!.text).toBe('x'.repeat(cap) + truncationMarker(200 * 16384 - cap));
    expect(lines[1]).toMatchObject({ text: 'next', truncated: false });
  });

  test('a cap never cuts a character in half', () => {
    const lines = parse(frame(1, `${TS1} ${'é'.repeat(10)}\n`), { multiplexed: true, maxLineBytes: 5 });
    expect(lines[0]!.text).toBe('éé' + truncationMarker(16));
  });

  test('the default cap keeps a 200 KB line whole', () => {
    expect(DEFAULT_MAX_LINE_BYTES).toBeGreaterThan(200 * 1024);
  });
});

describe('raw (TTY) streams', () => {
  test('a timestamp starts every line; \\r\\n ends one', () => {
    const lines = parse(enc.encode(`${TS1} one\r\n${TS2} two\r\n${TS3} three`), { multiplexed: false, chunk: 4 });
    expect(lines.map((l) => [l.ts, l.text])).toEqual([
      [TS1, 'one'],
      [TS2, 'two'],
      [TS3, 'three'],
    ]);
  });

  test('a long line cut by Docker into 16 KiB messages is joined without the inner timestamps', () => {
    const long = 'y'.repeat(16384 * 2 + 100);
    const input = `${TS1} ${long.slice(0, 16384)}${TS1} ${long.slice(16384, 32768)}${TS1} ${long.slice(32768)}\r\n${TS2} after\r\n`;
    for (const chunk of [7, 1000, input.length]) {
      const lines = parse(enc.encode(input), { multiplexed: false, chunk });
      expect(lines.map((l) => [l.ts, l.text.length, l.text === long || l.text])).toEqual([
        [TS1, long.length, true],
        [TS2, 5, 'after'],
      ]);
    }
  });

  test('a line of exactly 16 KiB, then its newline as its own message', () => {
    const line = 'z'.repeat(16384);
    const lines = parse(enc.encode(`${TS1} ${line}${TS1} \r\n${TS2} b\r\n`), { multiplexed: false, chunk: 100 });
    expect(lines.map((l) => l.text)).toEqual([line, 'b']);
  });

  test('16 KiB of text that is not followed by a timestamp stays text', () => {
    const line = 'w'.repeat(16384) + 'not a timestamp at all';
    const lines = parse(enc.encode(`${TS1} ${line}\n`), { multiplexed: false, chunk: 50 });
    expect(lines.map((l) => l.text)).toEqual([line]);
  });
});
