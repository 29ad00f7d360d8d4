// `cli.ts mine`: one JSON object per input line, in order: {"line", "template_id", "template"}, with
// the templates as the miner holds them once every line is in (a line's group can only be told then).
import { fingerprint } from '../triage/fingerprint.ts';
import { maskTokens } from '../triage/mask.ts';
import { createMiner, type Cluster } from '../triage/miner.ts';
import { parseLine } from '../triage/parse-line.ts';
import { lineRedactor, type KnownValues } from '../redact/index.ts';

function templateText(c: Cluster, tokens: string[]): string {
  if (!c.words) return c.tokens.join(' ');
  return c.tokens.map((t, i) => (c.words![i] ? tokens[i]! : t)).join(' ');
}

/** Each line is redacted where it enters, as in the triage: a template never shows a secret. */
export async function mine(lines: AsyncIterable<string>, write: (s: string) => void, knownValues?: KnownValues): Promise<void> {
  const redactor = lineRedactor(knownValues);
  const miner = createMiner();
  const clusters: Cluster[] = [];
  const tokens: string[][] = [];
  for await (const line of lines) {
    const t = maskTokens(parseLine(redactor.line(line)).message);
    tokens.push(t);
    clusters.push(miner.addTokens(t));
  }
  let out = '';
  for (let i = 0; i < clusters.length; i++) {
    const c = clusters[i]!;
    const variant = miner.variant(c, tokens[i]!);
    const id = variant ? `${c.id}.${fingerprint(variant).slice(0, 6)}` : String(c.id);
    out += JSON.stringify({ line: i + 1, template_id: id, template: templateText(c, tokens[i]!) }) + '\n';
    if (out.length > 1 << 16) {
      write(out);
      out = '';
    }
  }
  if (out) write(out);
}
