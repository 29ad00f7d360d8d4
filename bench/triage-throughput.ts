// Throughput of log triage on one core: the template miner alone (mask + mine, on messages) and the whole
// pipeline (multi-line joining + parse + severity + mine + stats + findings), in lines per second
// on a corpus generated from the lines of ALL Loghub-2k sets plus structured application lines
// (Docker json-file records, logfmt, JSON; a quarter of the pool, see lib/app-lines.ts) with fresh
// variable values, and as a ratio to the
// time of merely splitting the same bytes into lines (measured in the same run, its repetitions first, then the miner and pipeline alternating; medians
// of `repeats`). The lines come as `docker logs --timestamps` gives them to the task: an RFC 3339
// time, a space, the line (one day of log per million lines, so per-minute counts are exercised),
// in chunks of about 64 KiB. Then, in fresh processes, peak RSS while 5,000,000 lines stream through
// the pipeline (bounded memory) beside the peak RSS of merely generating and splitting them, and the
// digest size for 3,000 tokens; and the peak RSS of the command line's `triage` and `mine` (the code
// behind `bun src/cli.ts triage|mine --input FILE`) on a file of those 5,000,000 lines.
//   bun bench/triage-throughput.ts [lines=1000000] [rssLines=5000000] [repeats=5]
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mine } from '../src/cli/mine.ts';
import { readLines } from '../src/cli/read-lines.ts';
import { triageFile } from '../src/cli/triage-file.ts';
import { corpusChunks, corpusSource, forEachLine, type CorpusOptions } from './lib/corpus.ts';
import { loghubDir } from './lib/loghub.ts';
import { maskTokens } from '../src/triage/mask.ts';
import { createMiner } from '../src/triage/miner.ts';
import { parseLine } from '../src/triage/parse-line.ts';
import { createTriage, digestOf } from '../src/triage/pipeline.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

// one day of log per million lines, in stream-sized chunks
const corpusOptions = (seed: number): CorpusOptions => ({
  chunkLines: 500,
  seed,
  timestamps: { start: Date.parse('2026-11-20T00:00:00Z'), stepMs: 86.4 },
});

/** Calls `each` with the time and the text of every line of a chunk ("<time> <text>"). */
function forEachStampedLine(chunk: string, each: (ts: string, text: string) => void): void {
  forEachLine(chunk, (line) => {
    const sp = line.indexOf(' ');
    each(line.slice(0, sp), line.slice(sp + 1));
  });
}

// Child mode, baseline: generate and split N lines, nothing else; report peak RSS.
if (process.argv[2] === '--rss-split') {
  const lines = Number(process.argv[3]);
  let sink = 0;
  for (const chunk of corpusChunks(corpusSource(), lines, corpusOptions(11)))
    forEachStampedLine(chunk, (ts, text) => (sink += ts.length + text.length));
  console.log(JSON.stringify({ lines, peakRssMb: peakRssMb(), sink }));
  process.exit(0);
}

// Child modes: the command line's triage or mine on a file; report peak RSS.
if (process.argv[2] === '--rss-cli-triage' || process.argv[2] === '--rss-cli-mine') {
  const file = process.argv[3]!;
  const t0 = performance.now();
  let out = 0;
  if (process.argv[2] === '--rss-cli-triage') {
    const report = await triageFile(file, readLines(file), { ...process.env, LLM_BASE_URL: '' });
    out = report.findings.length;
  } else {
    await mine(
      readLines(file),
      (s) => void (out += s.length),
      () => readLines(file),
    );
  }
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, peakRssMb: peakRssMb(), out }));
  process.exit(0);
}

// Child mode: stream N lines through the pipeline and report peak RSS and the digest.
if (process.argv[2] === '--rss') {
  const lines = Number(process.argv[3]);
  const source = corpusSource();
  const triage = createTriage();
  const t0 = performance.now();
  for (const chunk of corpusChunks(source, lines, corpusOptions(11)))
    forEachStampedLine(chunk, (ts, text) => triage.push({ ts, text }));
  const result = triage.finish();
  const seconds = (performance.now() - t0) / 1000;
  const digest = digestOf(result, 3000);
  console.log(
    JSON.stringify({
      lines,
      seconds,
      peakRssMb: peakRssMb(),
      templates: result.templates.length,
      findings: result.findings.length,
      evicted: result.miner.evicted,
      digestTokens: digest.tokens,
      digestIncluded: digest.included,
      digestOmitted: digest.omitted,
    }),
  );
  process.exit(0);
}

const lines = Number(process.argv[2] ?? 1_000_000);
const rssLines = Number(process.argv[3] ?? 5_000_000);
const repeats = Number(process.argv[4] ?? 5);
let source: string[];
try {
  source = corpusSource();
} catch (err) {
  console.error(`triage-throughput: ${(err as Error).message} (looked in ${loghubDir()})`);
  process.exit(2);
}
const chunks = [...corpusChunks(source, lines, corpusOptions(7))];
const bytes = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
console.log(
  `corpus: ${lines.toLocaleString()} lines, ${(bytes / 2 ** 20).toFixed(0)} MiB, from ${source.length} Loghub-2k lines with fresh values`,
);

// the miner alone is fed messages (headers already parsed off, outside the timing)
const messages: string[][] = chunks.map((c) => {
  const out: string[] = [];
  forEachStampedLine(c, (_ts, text) => out.push(parseLine(text).message));
  return out;
});

// wall time of each step, and the process's CPU time (user + system, all threads: the garbage
// collector's helpers included), which a busy shared machine disturbs less than the wall clock
const wall: Record<'split' | 'miner' | 'pipeline', number[]> = { split: [], miner: [], pipeline: [] };
const cpu: Record<'split' | 'miner' | 'pipeline', number[]> = { split: [], miner: [], pipeline: [] };
let sink = 0;
function timed(key: 'split' | 'miner' | 'pipeline', work: () => void): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  work();
  wall[key].push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu[key].push((c.user + c.system) / 1000);
}
// The baseline's repetitions come first, before any code under test has run: timed between the
// pipeline's repetitions it would pay for the garbage they leave and look slower, which would
// flatter the ratios. (Forcing a full collection before each step instead is not neutral either:
// the heap it shrinks has to grow again during the next step.)
for (let r = 0; r < repeats; r++) {
  timed('split', () => {
    for (const c of chunks) forEachLine(c, (l) => (sink += l.length));
  });
}
for (let r = 0; r < repeats; r++) {
  const m = createMiner();
  timed('miner', () => {
    for (const msgs of messages) for (const l of msgs) sink += m.addTokens(maskTokens(l)).id;
  });
  const p = createTriage();
  timed('pipeline', () => {
    for (const c of chunks) forEachStampedLine(c, (ts, text) => p.push({ ts, text }));
    sink += p.finish().templates.length;
  });
}
const rate = (ms: number) =>
  Math.round(lines / (ms / 1000))
    .toLocaleString()
    .padStart(10);
const row = (label: string, key: 'split' | 'miner' | 'pipeline', target: string) => {
  const w = median(wall[key]);
  const c = median(cpu[key]);
  const ratio = key === 'split' ? '' : `   ${(w / median(wall.split)).toFixed(1).padStart(5)}x the split time`;
  console.log(
    `  ${label.padEnd(18)} ${rate(w)} lines/s  ${w.toFixed(0).padStart(6)} ms   (cpu ${rate(c)} lines/s)${ratio}${target}`,
  );
};
console.log(`medians over ${repeats} runs (one core), wall clock:`);
row('split into lines', 'split', '');
row('miner (mask+mine)', 'miner', '   target >= 500,000 lines/s');
row('whole pipeline', 'pipeline', '   target >= 250,000 lines/s');
if (sink === -1) console.log(sink);

const childRun = (mode: string, arg: string = String(rssLines)) => {
  const child = Bun.spawnSync(['bun', import.meta.path, mode, arg], {
    stdout: 'pipe',
    stderr: 'inherit',
    env: process.env,
  });
  return JSON.parse(child.stdout.toString().trim().split('\n').pop() ?? '{}') as Record<string, number>;
};
const base = childRun('--rss-split');
const out = childRun('--rss');
console.log(
  `bounded memory: ${rssLines.toLocaleString()} lines through the pipeline in ${out.seconds?.toFixed(1)} s, peak RSS ${out.peakRssMb?.toFixed(0)} MB (target < 200 MB; generating and splitting them alone: ${base.peakRssMb?.toFixed(0)} MB), ${out.templates} templates, ${out.evicted} clusters evicted`,
);
console.log(
  `digest for a 3,000-token budget: ${out.digestTokens} tokens (chars/4), ${out.digestIncluded} findings shown, ${out.digestOmitted} left out`,
);

// the command line on a file of the same lines (as `docker logs --timestamps` writes them)
const dir = mkdtempSync(join(tmpdir(), 'cb-bench-'));
try {
  const file = join(dir, 'corpus.log');
  writeFileSync(file, '');
  for (const chunk of corpusChunks(source, rssLines, { ...corpusOptions(11), chunkLines: 100_000 }))
    appendFileSync(file, chunk);
  const cliTriage = childRun('--rss-cli-triage', file);
  const cliMine = childRun('--rss-cli-mine', file);
  console.log(
    `command line on a file of ${rssLines.toLocaleString()} lines: triage peak RSS ${cliTriage.peakRssMb?.toFixed(0)} MB in ${cliTriage.seconds?.toFixed(1)} s, mine peak RSS ${cliMine.peakRssMb?.toFixed(0)} MB in ${cliMine.seconds?.toFixed(1)} s (target < 200 MB each)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
