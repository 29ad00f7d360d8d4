// A redaction rule: a gate on the line's features (most lines fail it, so their pattern never runs),
// then a global pattern whose replacer may keep the non-secret part (a key name, a scheme) or decline a
// match by returning null (not a secret after all).
import type { RedactionCounts, RedactionKind } from './kinds.ts';

export interface Rule {
  kind: RedactionKind;
  /** Features of which the line must have one (scanFeatures), else the pattern cannot match. */
  needs: number;
  /** Reads the positions the feature scan recorded (which must then be of the current text). */
  usesScan?: boolean;
  /** Features the line must have all of, besides one of `needs`. */
  needsAll?: number;
  /** A further condition, checked only when `needs` holds. */
  also?: (features: number, text: string) => boolean;
  re: RegExp;
  /** The replacement, or null to leave the match as it is. `at` is the match's offset in `input`. */
  replace: (m: string, groups: (string | undefined)[], at: number, input: string) => string | null;
  /** Instead of re/replace, for rules faster written by hand; counts what it masks. */
  apply?: (text: string, counts: RedactionCounts) => string;
}

export function applyRule(rule: Rule, text: string, features: number, counts: RedactionCounts): string {
  if ((features & rule.needs) === 0 || (rule.needsAll !== undefined && (features & rule.needsAll) !== rule.needsAll))
    return text;
  if (rule.also && !rule.also(features, text)) return text;
  if (rule.apply) return rule.apply(text, counts);
  rule.re.lastIndex = 0;
  return text.replace(rule.re, (m: string, ...rest: unknown[]) => {
    // the replacer's arguments: groups..., offset, whole string (no named groups here)
    const groups = rest.slice(0, -2) as (string | undefined)[];
    const out = rule.replace(m, groups, rest[rest.length - 2] as number, rest[rest.length - 1] as string);
    if (out === null || out === m) return m;
    counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
    return out;
  });
}
