// An Aho-Corasick automaton compiled to a dense table: one step per character of the text, however
// many patterns there are. Only the characters the patterns use get a column; any other character
// sends the automaton back to its root (no pattern can span it).

export interface Automaton {
  /** Character code -> column (0: a character no pattern uses). */
  alpha: Uint16Array;
  /** Columns per state. */
  symbols: number;
  /** delta[state * symbols + column] -> next state. */
  delta: Int32Array;
  /** Longest pattern ending in each state (0: none). */
  longest: Int32Array;
  /** OR of the tags of the patterns ending in each state. */
  tags: Int32Array;
  states: number;
}

/** Builds the automaton; with `foldCase`, ASCII letters match either case. */
export function buildAutomaton(patterns: readonly { text: string; tag?: number }[], foldCase = false): Automaton {
  const alpha = new Uint16Array(65536);
  let symbols = 1;
  const fold = (c: number) => (foldCase && c >= 65 && c <= 90 ? c + 32 : c);
  for (const p of patterns)
    for (let i = 0; i < p.text.length; i++) {
      const c = fold(p.text.charCodeAt(i));
      if (alpha[c] === 0) alpha[c] = symbols++;
    }
  if (foldCase) for (let c = 65; c <= 90; c++) alpha[c] = alpha[c + 32]!;

  const next: Map<number, number>[] = [new Map()];
  const longest: number[] = [0];
  const tags: number[] = [0];
  for (const p of patterns) {
    let s = 0;
    for (let i = 0; i < p.text.length; i++) {
      const a = alpha[p.text.charCodeAt(i)]!;
      let t = next[s]!.get(a);
      if (t === undefined) {
        t = next.length;
        next.push(new Map());
        longest.push(0);
        tags.push(0);
        next[s]!.set(a, t);
      }
      s = t;
    }
    longest[s] = Math.max(longest[s]!, p.text.length);
    tags[s] = tags[s]! | (p.tag ?? 0);
  }

  // breadth first: failure links, folded into a dense table
  const states = next.length;
  const delta = new Int32Array(states * symbols);
  const fail = new Int32Array(states);
  const outLongest = Int32Array.from(longest);
  const outTags = Int32Array.from(tags);
  const queue: number[] = [];
  for (const [a, t] of next[0]!) {
    delta[a] = t;
    queue.push(t);
  }
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    const f = fail[s]!;
    // what ends at the failure state also ends here
    if (outLongest[f]! > outLongest[s]!) outLongest[s] = outLongest[f]!;
    outTags[s] = outTags[s]! | outTags[f]!;
    for (let a = 1; a < symbols; a++) {
      const t = next[s]!.get(a);
      if (t === undefined) delta[s * symbols + a] = delta[f * symbols + a]!;
      else {
        fail[t] = s === 0 ? 0 : delta[f * symbols + a]!;
        delta[s * symbols + a] = t;
        queue.push(t);
      }
    }
  }
  return { alpha, symbols, delta, longest: outLongest, tags: outTags, states };
}
