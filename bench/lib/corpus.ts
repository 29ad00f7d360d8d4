// Synthetic log corpus for throughput runs: Loghub-2k raw lines with fresh variable values (every
// digit run replaced by random digits of the same length), produced in chunks of newline-joined text
// so that a run of millions of lines need not hold them all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appLines } from './app-lines.ts';
import { loghubDir } from './loghub.ts';

/** Share of the corpus made of structured application lines (see app-lines.ts); the rest is Loghub. */
export const APP_SHARE = 0.25;

/**
 * The raw lines of every Loghub-2k set (the .log files only; the labels are not needed here), plus
 * structured application lines (Docker json-file, logfmt, JSON) repeated to make APP_SHARE of the pool.
 */
export function corpusSource(dir = loghubDir()): string[] {
  if (!existsSync(dir))
    throw new Error(`Loghub-2k data not found at ${dir}: set LOGHUB_2K_DIR or clone the repository next to shared/`);
  const lines: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, `${name}_2k.log`);
    if (existsSync(file)) for (const l of readFileSync(file, 'utf8').split('\n')) if (l) lines.push(l);
  }
  if (lines.length === 0) throw new Error(`no Loghub-2k logs under ${dir}`);
  const app = appLines();
  const copies = Math.round((lines.length * APP_SHARE) / (1 - APP_SHARE) / app.length);
  for (let k = 0; k < copies; k++) lines.push(...app);
  return lines;
}

/** Options of the generated stream. */
export interface CorpusOptions {
  chunkLines?: number;
  seed?: number;
  /**
   * Prefix every line with a Docker-style RFC 3339 nano timestamp and a space, as
   * `docker logs --timestamps` writes them: the first at `start` (ms), then `stepMs` apart.
   */
  timestamps?: { start: number; stepMs: number };
}

/**
 * Loghub lines picked at random, every digit run replaced by fresh random digits of the same length,
 * in chunks of newline-terminated text. Each chunk is written as UTF-8 bytes and decoded once, as a
 * stream reader decodes what it reads, so that generating millions of lines does not itself churn
 * memory (the bounded-memory run measures the pipeline, not this generator).
 */
export function* corpusChunks(source: string[], lines: number, options: CorpusOptions = {}): Generator<string> {
  const chunkLines = options.chunkLines ?? 100_000;
  let s = (options.seed ?? 7) >>> 0;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s;
  };
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  // every source line as literal byte pieces around its digit runs, all in one byte array: per line
  // [pieceStart, pieceEnd, digitRun, pieceStart, pieceEnd, digitRun, ..., pieceStart, pieceEnd]
  const bytes = encoder.encode(source.join('\n'));
  const shapes: Int32Array[] = [];
  {
    let at = 0;
    for (let l = 0; l < source.length; l++) {
      const shape: number[] = [];
      let from = at;
      while (at < bytes.length && bytes[at] !== 10) {
        if (bytes[at]! >= 48 && bytes[at]! <= 57) {
          const run = at;
          while (at < bytes.length && bytes[at]! >= 48 && bytes[at]! <= 57) at++;
          shape.push(from, run, at - run);
          from = at;
        } else at++;
      }
      shape.push(from, at);
      shapes.push(Int32Array.from(shape));
      at++; // the newline
    }
  }
  const ts = options.timestamps;
  let secondMs = NaN;
  let secondText = new Uint8Array(0);
  let buf = new Uint8Array(1 << 16);
  let len = 0;
  const room = (n: number) => {
    if (len + n <= buf.length) return;
    const bigger = new Uint8Array(Math.max(buf.length * 2, len + n));
    bigger.set(buf.subarray(0, len));
    buf = bigger;
  };
  const freshDigits = (n: number) => {
    for (let d = 0; d < n; d++) buf[len++] = 48 + ((rand() >>> 8) % 10);
  };
  let line = 0;
  for (let done = 0; done < lines; ) {
    const n = Math.min(chunkLines, lines - done);
    len = 0;
    for (let i = 0; i < n; i++, line++) {
      if (ts) {
        const at = ts.start + line * ts.stepMs;
        const sec = Math.floor(at / 1000) * 1000;
        if (sec !== secondMs) {
          secondMs = sec;
          secondText = encoder.encode(new Date(sec).toISOString().slice(0, 19) + '.');
        }
        room(secondText.length + 12);
        buf.set(secondText, len);
        len += secondText.length;
        const ms = Math.floor(at - sec);
        buf[len++] = 48 + Math.floor(ms / 100);
        buf[len++] = 48 + (Math.floor(ms / 10) % 10);
        buf[len++] = 48 + (ms % 10);
        freshDigits(6);
        buf[len++] = 90; // Z
        buf[len++] = 32;
      }
      const shape = shapes[rand() % shapes.length]!;
      for (let k = 0; k < shape.length; k += 3) {
        const a = shape[k]!;
        const b = shape[k + 1]!;
        room(b - a + (k + 2 < shape.length ? shape[k + 2]! : 0));
        for (let j = a; j < b; j++) buf[len++] = bytes[j]!;
        if (k + 2 < shape.length) freshDigits(shape[k + 2]!);
      }
      room(1);
      buf[len++] = 10;
    }
    done += n;
    yield decoder.decode(buf.subarray(0, len));
  }
}

/** Calls `each` for every line of a chunk, splitting on '\n' the way a log stream reader would. */
export function forEachLine(chunk: string, each: (line: string) => void): void {
  let start = 0;
  for (;;) {
    const nl = chunk.indexOf('\n', start);
    if (nl < 0) break;
    each(chunk.slice(start, nl));
    start = nl + 1;
  }
}
