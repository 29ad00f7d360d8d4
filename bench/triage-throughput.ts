// Throughput of log triage on one core: the template miner alone (mask + mine, on messages) and the whole
// pipeline (multi-line joining + parse + severity + mine + stats + findings), in lines per second
// on a corpus generated from the Loghub-2k lines with fresh variable values, and as a ratio to the
// time of merely splitting the same bytes into lines. Then, in a fresh process, peak RSS while
// 5,000,000 lines stream through the pipeline (bounded memory), and the digest size for 3,000 tokens.
//   bun bench/triage-throughput.ts [lines=1000000] [rssLines=5000000] [repeats=3]
import { readFileSync } from 'node:fs';
import { corpusChunks, corpusSource, forEachLine } from './lib/corpus.ts';
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

// Child mode: stream N lines through the pipeline and report peak RSS and the digest.
if (process.argv[2] === '--rss') {
  const lines = Number(process.argv[3]);
  const source = corpusSource();
  const triage = createTriage();
  const t0 = performance.now();
  for (const chunk of corpusChunks(source, lines, 50_000, 11)) forEachLine(chunk, (text) => triage.push({ text }));
  const result = triage.finish();
  const seconds = (performance.now() - t0) / 1000;
  const digest = digestOf(result, 3000);
  console.log(JSON.stringify({
    lines, seconds, peakRssMb: peakRssMb(), templates: result.templates.length, findings: result.findings.length,
    evicted: result.miner.evicted, digestTokens: digest.tokens, digestIncluded: digest.included, digestOmitted: digest.omitted,
  }));
  process.exit(0);
}

const lines = Number(process.argv[2] ?? 1_000_000);
const rssLines = Number(process.argv[3] ?? 5_000_000);
const repeats = Number(process.argv[4] ?? 3);
let source: string[];
try {
  source = corpusSource();
} catch (err) {
  console.error(`triage-throughput: ${(err as Error).message} (looked in ${loghubDir()})`);
  process.exit(2);
}
const chunks = [...corpusChunks(source, lines)];
const bytes = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
console.log(`corpus: ${lines.toLocaleString()} lines, ${(bytes / 2 ** 20).toFixed(0)} MiB, from ${source.length} Loghub-2k lines with fresh values`);

// the miner alone is fed messages (headers already parsed off, outside the timing)
const messages: string[][] = chunks.map((c) => {
  const out: string[] = [];
  forEachLine(c, (l) => out.push(parseLine(l).message));
  return out;
});

const split: number[] = [];
const miner: number[] = [];
const pipeline: number[] = [];
let sink = 0;
for (let r = 0; r < repeats; r++) {
  let t = performance.now();
  for (const c of chunks) forEachLine(c, (l) => (sink += l.length));
  split.push(performance.now() - t);

  const m = createMiner();
  t = performance.now();
  for (const msgs of messages) for (const l of msgs) sink += m.addTokens(maskTokens(l)).id;
  miner.push(performance.now() - t);

  const p = createTriage();
  t = performance.now();
  for (const c of chunks) forEachLine(c, (text) => p.push({ text }));
  sink += p.finish().templates.length;
  pipeline.push(performance.now() - t);
}
const rate = (ms: number) => Math.round(lines / (ms / 1000));
const ms = { split: median(split), miner: median(miner), pipeline: median(pipeline) };
console.log(`medians over ${repeats} runs (one core):`);
console.log(`  split into lines   ${rate(ms.split).toLocaleString().padStart(12)} lines/s   ${ms.split.toFixed(0)} ms`);
console.log(`  miner (mask+mine)  ${rate(ms.miner).toLocaleString().padStart(12)} lines/s   ${ms.miner.toFixed(0)} ms   ${(ms.miner / ms.split).toFixed(1)}x the split time   target >= 500,000 lines/s`);
console.log(`  whole pipeline     ${rate(ms.pipeline).toLocaleString().padStart(12)} lines/s   ${ms.pipeline.toFixed(0)} ms   ${(ms.pipeline / ms.split).toFixed(1)}x the split time   target >= 250,000 lines/s`);
if (sink === -1) console.log(sink);

const child = Bun.spawnSync(['bun', import.meta.path, '--rss', String(rssLines)], { stdout: 'pipe', stderr: 'inherit', env: process.env });
const out = JSON.parse(child.stdout.toString().trim().split('\n').pop() ?? '{}') as Record<string, number>;
console.log(`bounded memory: ${rssLines.toLocaleString()} lines through the pipeline in ${out.seconds?.toFixed(1)} s, peak RSS ${out.peakRssMb?.toFixed(0)} MB (target < 200 MB), ${out.templates} templates, ${out.evicted} clusters evicted`);
console.log(`digest for a 3,000-token budget: ${out.digestTokens} tokens (chars/4), ${out.digestIncluded} findings shown, ${out.digestOmitted} left out`);
