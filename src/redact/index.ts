// The one redaction step. Every text that leaves the process with log content in it (model prompts,
// report templates and examples, the CLI's output, REST, MCP, pages) passes through here:
//   lineRedactor(): for a stream of log lines, one call per line where the line enters (it follows
//                   PEM blocks across lines, and matches known values);
//   redact(text):   for a whole text (a prompt, an answer, an exemplar), any number of lines.
// Rules run from the most specific to the most general, so that a JWT is counted as a JWT and not as
// a long base64 secret, and each later rule leaves earlier markers alone.
import { scanFeatures } from './features.ts';
import { emailRule, ipv4Rule, ipv6FullRule, ipv6Rule } from './identifiers.ts';
import { flagRule, headerRule, keyValueRule, toolFlagRules } from './key-names.ts';
import { knownValueMatcher, type KnownValues } from './known-values.ts';
import type { RedactionCounts } from './kinds.ts';
import { newPemState, redactPemBlocks, redactPemLine, type PemState } from './pem.ts';
import { nounVerbRule, prepositionRule, redisAuthRule } from './prose.ts';
import { applyRule, type Rule } from './rule.ts';
import { urlCredentialsRule } from './connection-strings.ts';
import { bearerRule, cloudKeyRule, unprefixedKeyRule, jwtRule, randomStringRule, webhookRule } from './token-shapes.ts';

export { addCounts, isSecretKind, mark, type RedactionCounts, type RedactionKind } from './kinds.ts';
export { knownValueMatcher, type KnownValues } from './known-values.ts';
export { envEntries, secretValuesOf, type EnvEntry } from './secret-values.ts';
export { applianceSecrets } from './appliance.ts';

const RULES: readonly Rule[] = [
  urlCredentialsRule,
  jwtRule,
  cloudKeyRule,
  unprefixedKeyRule,
  webhookRule,
  bearerRule,
  headerRule,
  ...toolFlagRules,
  flagRule,
  keyValueRule,
  nounVerbRule,
  prepositionRule,
  redisAuthRule,
  randomStringRule,
  emailRule,
  ipv6Rule,
  ipv6FullRule,
  ipv4Rule,
];

export interface Redacted {
  text: string;
  counts: RedactionCounts;
}

function redactOne(line: string, pem: PemState, known: KnownValues, counts: RedactionCounts): string {
  let out = redactPemLine(line, pem, counts);
  if (known.size > 0) out = known.redact(out, counts);
  let features = scanFeatures(out);
  if (features === 0) return out;
  let scanned = out;
  for (let i = 0; i < RULES.length; i++) {
    const rule = RULES[i]!;
    if ((features & rule.needs) === 0) continue;
    // an earlier rule changed the text: the key positions are of the old one
    if (rule.usesScan && scanned !== out) features = scanFeatures((scanned = out));
    out = applyRule(rule, out, features, counts);
  }
  return out;
}

const NONE = knownValueMatcher([]);

export interface LineRedactor {
  /** The line, redacted; counts what it masked. */
  line(text: string): string;
  /** What was masked so far, per kind. */
  readonly counts: RedactionCounts;
}

/** Redaction for one stream of lines (one container's log, one file): PEM blocks are followed across lines. */
export function lineRedactor(known: KnownValues = NONE): LineRedactor {
  const pem = newPemState();
  const counts: RedactionCounts = {};
  return { counts, line: (text) => redactOne(text, pem, known, counts) };
}

/** Masks secrets and identifiers in a whole text (any number of lines); counts what was masked, per kind. */
export function redact(text: string, known: KnownValues = NONE): Redacted {
  const counts: RedactionCounts = {};
  const pem = newPemState();
  if (!text.includes('\n')) return { text: redactOne(text, pem, known, counts), counts };
  // whole blocks first, as one marker each; then line by line (a block left open runs to the end)
  const out = redactPemBlocks(text, counts)
    .split('\n')
    .map((l) => redactOne(l, pem, known, counts));
  return { text: out.join('\n'), counts };
}
