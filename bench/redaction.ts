// Redaction figures, measured in one run:
//  1. false positives: of the Loghub-2k lines (real logs with no secrets in them), the share where the
//     redaction masked something of a SECRET kind (key/value, phrase, token shape, long random string,
//     URL credentials, PEM, known value); addresses (IPv4, IPv6, e-mail) are masked by policy and
//     counted apart. Each set is one stream, its raw lines in order. The lines are listed with --show.
//  2. recall: the secrets corpus (tests/fixtures/secrets) through the line redactor: lines where an
//     8-character run of the secret survives (must be 0), ordinary lines changed.
//  3. cost: redaction alone against the whole triage pipeline without it (the triage-throughput corpus
//     of Loghub lines with fresh values), alternating, CPU time, medians of `repeats`; and with 300
//     known values in the matcher.
//   bun bench/redaction.ts [lines=200000] [repeats=5] [--show]
import { corpusChunks, corpusSource, forEachLine } from './lib/corpus.ts';
import { loadLoghub, loghubDir } from './lib/loghub.ts';
import { isSecretKind, knownValueMatcher, lineRedactor, type RedactionKind } from '../src/redact/index.ts';
import { createTriage } from '../src/triage/pipeline.ts';
import { leaksIn, loadCorpus } from '../tests/support/secrets-corpus.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const show = process.argv.includes('--show');
const lines = Number(args[0] ?? 200_000);
const repeats = Number(args[1] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// 1. false positives on Loghub-2k
let sets: ReturnType<typeof loadLoghub>;
try {
  sets = loadLoghub();
} catch (err) {
  console.error(`redaction: ${(err as Error).message} (looked in ${loghubDir()})`);
  process.exit(2);
}
let total = 0;
let secretLines = 0;
let addressLines = 0;
const byKind: Partial<Record<RedactionKind, number>> = {};
for (const s of sets) {
  const r = lineRedactor();
  let setSecret = 0;
  for (const line of s.raw) {
    const before = { ...r.counts };
    const out = r.line(line);
    const kinds = (Object.keys(r.counts) as RedactionKind[]).filter((k) => (r.counts[k] ?? 0) > (before[k] ?? 0));
    total++;
    if (kinds.some(isSecretKind)) {
      secretLines++;
      setSecret++;
      if (show) console.log(`  ${s.name}: ${kinds.join(',')}: ${out.slice(0, 200)}`);
    } else if (kinds.length) addressLines++;
    for (const k of kinds) byKind[k] = (byKind[k] ?? 0) + 1;
  }
  console.log(
    `${s.name.padEnd(10)} ${String(s.raw.length).padStart(5)} lines, ${String(setSecret).padStart(3)} with a secret kind masked`,
  );
}
console.log(
  `false positives: ${secretLines} of ${total} Loghub-2k lines (${((secretLines / total) * 100).toFixed(3)} %) had a secret kind masked (target <= 0.5 %)`,
);
console.log(
  `  addresses masked by policy (not counted above): ${addressLines} lines; lines per kind: ${JSON.stringify(byKind)}`,
);

// 2. recall on the corpus
const corpus = loadCorpus();
const r = lineRedactor();
let leaked = 0;
let changed = 0;
for (const c of corpus) {
  const out = r.line(c.line);
  if (c.secret && leaksIn(out, [c.secret]).length) leaked++;
  if (!c.secret && c.form === 'ordinary' && out !== c.line) changed++;
}
const withSecret = corpus.filter((c) => c.secret);
console.log(
  `corpus: ${withSecret.length} lines with a secret in ${new Set(withSecret.map((c) => c.form)).size} forms: ${leaked} leaked; ${changed} of ${corpus.filter((c) => c.form === 'ordinary').length} ordinary lines changed`,
);

// 3. cost against the pipeline
const text: string[] = [];
for (const c of corpusChunks(corpusSource(), lines, { chunkLines: 500, seed: 7 })) forEachLine(c, (l) => text.push(l));
const values = Array.from(
  { length: 300 },
  (_, i) => `kv-${(i * 7919).toString(36)}-${(i * 104729).toString(36)}-secret`,
);
const cpu = (fn: () => void) => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
let sink = 0;
const P: number[] = [];
const R: number[] = [];
const K: number[] = [];
for (let i = 0; i < repeats; i++) {
  P.push(
    cpu(() => {
      // the pipeline with redaction in it; its own redaction is subtracted below by the separate timing
      const t = createTriage();
      for (const l of text) t.push({ text: l });
      sink += t.finish().templates.length;
    }),
  );
  R.push(
    cpu(() => {
      const red = lineRedactor();
      for (const l of text) sink += red.line(l).length;
    }),
  );
  K.push(
    cpu(() => {
      const red = lineRedactor(knownValueMatcher(values));
      for (const l of text) sink += red.line(l).length;
    }),
  );
}
const ns = (ms: number) => ((ms * 1e6) / text.length).toFixed(0);
const p = median(P);
const red = median(R);
const known = median(K);
console.log(
  `cost per line (CPU, medians of ${repeats}): pipeline incl. redaction ${ns(p)} ns, redaction ${ns(red)} ns, with 300 known values ${ns(known)} ns`,
);
console.log(
  `redaction's share of the pipeline: ${((red / p) * 100).toFixed(1)} % (${((known / p) * 100).toFixed(1)} % with 300 known values)`,
);
if (sink === -1) console.log(sink);
