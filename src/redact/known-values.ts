// Known secret values (the triaged containers' env values, the appliance's own secrets) found verbatim
// anywhere in a line, whatever surrounds them. Hundreds of values are matched in one pass over the
// line: an Aho-Corasick automaton compiled to a dense table over the characters the values use, so a
// line costs one table step per character however many values there are.
import { buildAutomaton } from './automaton.ts';
import { mark, type RedactionCounts } from './kinds.ts';

export interface KnownValues {
  /** How many distinct values are matched. */
  readonly size: number;
  /** The text with every occurrence of a value masked (overlapping occurrences masked as one). */
  redact(text: string, counts: RedactionCounts): string;
}

const EMPTY: KnownValues = { size: 0, redact: (text) => text };

export function knownValueMatcher(values: Iterable<string>): KnownValues {
  const patterns = [...new Set([...values].filter((v) => v.length > 0))];
  if (patterns.length === 0) return EMPTY;
  const built = buildAutomaton(patterns.map((text) => ({ text })));
  const { alpha, symbols, longest: out } = built;
  // 16-bit entries where they fit: half the table, fewer cache misses per step
  const delta = built.states <= 65536 ? Uint16Array.from(built.delta) : built.delta;
  return {
    size: patterns.length,
    redact(text, counts) {
      let s = 0;
      let spans: number[] | undefined; // [start, end) pairs, in order of their end
      for (let i = 0; i < text.length; i++) {
        s = delta[s * symbols + alpha[text.charCodeAt(i)]!]!;
        const len = out[s]!;
        if (len === 0) continue;
        let start = i + 1 - len;
        spans ??= [];
        // absorb earlier spans this occurrence overlaps or touches (a long value may cover several)
        while (spans.length > 0 && spans[spans.length - 1]! >= start) {
          const prev = spans[spans.length - 2]!;
          spans.length -= 2;
          if (prev < start) start = prev;
        }
        spans.push(start, i + 1);
      }
      if (!spans) return text;
      let result = '';
      let at = 0;
      for (let k = 0; k < spans.length; k += 2) {
        result += text.slice(at, spans[k]) + mark('known_value');
        at = spans[k + 1]!;
      }
      counts.known_value = (counts.known_value ?? 0) + spans.length / 2;
      return result + text.slice(at);
    },
  };
}
