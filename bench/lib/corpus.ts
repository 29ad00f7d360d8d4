// Synthetic log corpus for throughput runs: Loghub-2k raw lines with fresh variable values (every
// digit run replaced by random digits of the same length), produced in chunks of newline-joined text
// so that a run of millions of lines need not hold them all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loghubDir } from './loghub.ts';

/** The raw lines of every Loghub-2k set (the .log files only; the labels are not needed here). */
export function corpusSource(dir = loghubDir()): string[] {
  if (!existsSync(dir)) throw new Error(`Loghub-2k data not found at ${dir}: set LOGHUB_2K_DIR or clone the repository next to shared/`);
  const lines: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, `${name}_2k.log`);
    if (existsSync(file)) for (const l of readFileSync(file, 'utf8').split('\n')) if (l) lines.push(l);
  }
  if (lines.length === 0) throw new Error(`no Loghub-2k logs under ${dir}`);
  return lines;
}

export function* corpusChunks(source: string[], lines: number, chunkLines = 100_000, seed = 7): Generator<string> {
  let s = seed >>> 0;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s;
  };
  const fresh = (d: string) => {
    let out = '';
    for (let i = 0; i < d.length; i++) out += String.fromCharCode(48 + (rand() % 10));
    return out;
  };
  for (let done = 0; done < lines; ) {
    const n = Math.min(chunkLines, lines - done);
    const parts: string[] = new Array(n);
    for (let i = 0; i < n; i++) parts[i] = source[rand() % source.length]!.replace(/\d+/g, fresh);
    done += n;
    yield parts.join('\n') + '\n';
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
