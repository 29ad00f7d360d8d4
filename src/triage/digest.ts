// Renders the top findings as compact text for a small local model, within a token budget (see
// token-estimate.ts). Findings are added best first; one that does not fit whole is tried without
// its exemplars; whatever is left out is counted in the last line. The text never exceeds the budget.
import type { Finding } from './findings.ts';
import { estimateTokens } from './token-estimate.ts';

export interface DigestOptions {
  budgetTokens: number;
  /** Totals for the opening line. */
  lines?: number;
  templates?: number;
  /** Longest template or exemplar text kept, in characters. */
  maxTextChars?: number;
}

export interface Digest {
  text: string;
  tokens: number;
  included: number;
  omitted: number;
}

function cut(s: string, max: number): string {
  const one = s.replace(/\s*\n\s*/g, ' | ');
  return one.length <= max ? one : one.slice(0, max - 1) + '…';
}

function block(f: Finding, maxChars: number, withExemplars: boolean): string {
  const t = f.template;
  const when = t.firstSeen ? ` first ${t.firstSeen} last ${t.lastSeen}` : '';
  let s = `#${f.rank} ${f.kind} [${t.level}] x${t.count}${when}${f.peakPerMinute ? ` peak ${f.peakPerMinute}/min` : ''}\n`;
  s += `  template: ${cut(t.template, maxChars)}\n`;
  if (f.reasons.length) s += `  why: ${f.reasons.join('; ')}\n`;
  if (withExemplars) for (const ex of t.exemplars.slice(0, 2)) s += `  e.g.: ${cut(ex, maxChars)}\n`;
  return s;
}

export function renderDigest(findings: Finding[], options: DigestOptions): Digest {
  const budget = options.budgetTokens;
  const maxChars = options.maxTextChars ?? 300;
  const head = `Log triage: ${options.lines ?? '?'} lines, ${options.templates ?? '?'} templates, ${findings.length} findings (best first).\n`;
  const tail = (n: number) => `(${n} more findings left out to fit the budget)\n`;
  let text = head;
  let included = 0;
  if (estimateTokens(text) > budget) return { text: '', tokens: 0, included: 0, omitted: findings.length };
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    // keep room for the closing line in case later findings are left out
    const reserve = i < findings.length - 1 ? tail(findings.length - i).length : 0;
    const full = block(f, maxChars, true);
    const short = block(f, Math.min(maxChars, 160), false);
    if (estimateTokens(text + full) + Math.ceil(reserve / 4) + 1 <= budget) text += full;
    else if (estimateTokens(text + short) + Math.ceil(reserve / 4) + 1 <= budget) text += short;
    else break;
    included++;
  }
  const omitted = findings.length - included;
  if (omitted > 0 && estimateTokens(text + tail(omitted)) <= budget) text += tail(omitted);
  return { text, tokens: estimateTokens(text), included, omitted };
}
