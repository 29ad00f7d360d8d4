// Grouping accuracy of the template miner on the Loghub-2k sample sets (see their README), fed the
// `Content` column and again fed the raw lines, through the same redact -> parse -> mask -> mine path with
// ONE configuration for all sets; each set read as a stream is, with a header layout learned from its
// first lines (see src/triage/header-layout.ts). The data folder is LOGHUB_2K_DIR, else ../shared/data/loghub-2k
// beside the repository.
//   bun bench/miner-accuracy.ts [--detail]
import { groupingAccuracy, loadLoghub, loghubDir, type LabelledSet } from './lib/loghub.ts';
import { maskTokens } from '../src/triage/mask.ts';
import { createMiner, DEFAULT_MINER_OPTIONS } from '../src/triage/miner.ts';
import { learnLayout, parseWithLayout, SAMPLE_LINES } from '../src/triage/header-layout.ts';
import { lineRedactor } from '../src/redact/index.ts';

function score(lines: string[], truth: string[]): { ga: number; groups: number } {
  const miner = createMiner();
  // each line redacted where it enters, as the triage and `mine` do; then, as the pipeline reads a
  // stream, a header layout learned from its first lines
  const redactor = lineRedactor();
  const redacted = lines.map((l) => redactor.line(l));
  const layout = learnLayout(redacted.slice(0, SAMPLE_LINES));
  const tokens = redacted.map((l) => maskTokens(parseWithLayout(l, layout).message));
  const clusters = tokens.map((t) => miner.addTokens(t));
  // groups as the miner holds them once every line is in: cluster + its still-distinct variant
  const groups = clusters.map((c, i) => `${c.id}|${miner.variant(c, tokens[i]!)}`);
  return { ga: groupingAccuracy(groups, truth), groups: new Set(groups).size };
}

let sets: LabelledSet[];
try {
  sets = loadLoghub();
} catch (err) {
  console.error(`miner-accuracy: ${(err as Error).message}`);
  console.error(`(looked in ${loghubDir()})`);
  process.exit(2);
}

console.log(`miner options: ${JSON.stringify(DEFAULT_MINER_OPTIONS)}`);
console.log(
  `${'set'.padEnd(10)} ${'lines'.padStart(6)} ${'truth'.padStart(6)} ${'GA content'.padStart(11)} ${'groups'.padStart(7)} ${'GA raw'.padStart(8)} ${'groups'.padStart(7)}`,
);
let sumC = 0;
let sumR = 0;
let minC = 1;
let minR = 1;
let maxGap = 0;
for (const s of sets) {
  const c = score(s.content, s.eventIds);
  const r = score(s.raw, s.eventIds);
  maxGap = Math.max(maxGap, Math.abs(r.ga - c.ga));
  sumC += c.ga;
  sumR += r.ga;
  minC = Math.min(minC, c.ga);
  minR = Math.min(minR, r.ga);
  const truth = new Set(s.eventIds).size;
  console.log(
    `${s.name.padEnd(10)} ${String(s.content.length).padStart(6)} ${String(truth).padStart(6)} ${c.ga.toFixed(4).padStart(11)} ${String(c.groups).padStart(7)} ${r.ga.toFixed(4).padStart(8)} ${String(r.groups).padStart(7)}`,
  );
}
const meanC = sumC / sets.length;
const meanR = sumR / sets.length;
console.log(
  `${'mean'.padEnd(10)} ${''.padStart(13)} ${meanC.toFixed(4).padStart(12)} ${''.padStart(7)} ${meanR.toFixed(4).padStart(8)}`,
);
console.log(
  `min content ${minC.toFixed(4)}   min raw ${minR.toFixed(4)}   raw - content ${(meanR - meanC).toFixed(4)}`,
);
const ok = meanC >= 0.9 && minC >= 0.75 && maxGap <= 0.03;
console.log(`largest |raw - content| of a set ${maxGap.toFixed(4)}`);
console.log(
  `targets (content mean >= 0.90, no set < 0.75, raw within 0.03 of content on every set): ${ok ? 'met' : 'NOT met'}`,
);
