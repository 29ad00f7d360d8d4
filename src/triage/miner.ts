// Streaming template miner in the manner of Drain (He et al., ICWS'17): masked tokens are routed by
// token count and leading constant tokens to a small leaf of clusters; the line joins the most similar
// cluster above a threshold (whose template then generalises where they differ) or starts a new one.
// Memory is bounded: past `maxClusters` the least recently used clusters are evicted and counted.
import { detach } from './detach.ts';
import { WILDCARD, keptTokens, maskTokens, shapeHash } from './mask.ts';

export interface MinerOptions {
  /** Share of positions that must agree for a line to join a cluster (0..1). */
  similarity?: number;
  /** Leading tokens (besides the token count) that route a line; wildcards route together. */
  prefixDepth?: number;
  /** Hard cap on live clusters; the least recently used are evicted past it. */
  maxClusters?: number;
  /** Distinct words at one position that make it a variable rather than a set of variants. */
  variantLimit?: number;
  /** Cap on the exact-shape cache that skips the similarity search for shapes seen before. */
  maxCacheEntries?: number;
}

export interface Cluster {
  readonly id: number;
  /** The template: masked tokens, with the wildcard where lines of this cluster differ. */
  tokens: string[];
  /**
   * Per position that was generalised from differing words: the words seen there while they are
   * few (a Set, still part of the event's identity: "Powered On" vs "Powered Off"), or null once
   * they reach `variantLimit` (a free variable: user names, host names).
   */
  words: (Set<string> | null | undefined)[] | undefined;
  size: number;
  lastUsed: number;
  alive: boolean;
}

export interface MinerStats {
  clusters: number;
  created: number;
  evicted: number;
  lines: number;
}

export interface Miner {
  /** Masks a message and assigns it to a cluster. */
  add(message: string): Cluster;
  /** Assigns already-masked tokens to a cluster. */
  addTokens(tokens: string[]): Cluster;
  template(cluster: Cluster): string;
  /**
   * The variant of a cluster that a line belongs to, as of now: the line's words at the positions
   * that still hold a few variants ('' when none). Cluster id + variant identify an event type.
   */
  variant(cluster: Cluster, tokens: string[]): string;
  clusters(): Cluster[];
  stats(): MinerStats;
}

export const DEFAULT_MINER_OPTIONS: Required<MinerOptions> = {
  similarity: 0.7,
  prefixDepth: 0,
  variantLimit: 4,
  maxClusters: 20_000,
  maxCacheEntries: 50_000,
};

const KEYED_VALUE = '=' + WILDCARD;

interface CacheEntry {
  tokens: string[];
  cluster: Cluster;
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Two differing tokens at one position mean a variable, not two variants of an event, when one is
 * a masked value, when one is a `key=` whose value was masked, or when both are identifiers with
 * numbers in them ("rdd_<*>" vs "broadcast_<*>"). Plain words ("On"/"Off", "HTTPS"/"SOCKS<*>")
 * stay variants until there are many of them.
 */
function isValueLike(a: string, b: string): boolean {
  if (a === WILDCARD || b === WILDCARD) return true;
  if (a.endsWith(KEYED_VALUE) || b.endsWith(KEYED_VALUE)) return true;
  return a.includes(WILDCARD) && b.includes(WILDCARD);
}

export function createMiner(options: MinerOptions = {}, onEvict?: (c: Cluster) => void): Miner {
  const opt = { ...DEFAULT_MINER_OPTIONS, ...options };
  const leaves = new Map<string, Cluster[]>();
  // exact shapes seen before -> their cluster, keyed by the shape's hash (checked word by word)
  const cache = new Map<number, CacheEntry>();
  const live = new Map<number, Cluster>();
  let nextId = 1;
  let clock = 0;
  let evicted = 0;
  let lines = 0;

  function leafKey(tokens: string[]): string {
    let key = String(tokens.length);
    const depth = Math.min(opt.prefixDepth, tokens.length);
    for (let i = 0; i < depth; i++) key += '\u0001' + tokens[i];
    return key;
  }

  function similarity(c: Cluster, tokens: string[]): number {
    const tpl = c.tokens;
    const words = c.words;
    let same = 0;
    for (let i = 0; i < tpl.length; i++) {
      const t = tpl[i]!;
      if (t === tokens[i]) same++;
      else if (t === WILDCARD) {
        // a wildcard matches a word only when the word is one of its known variants; matching
        // anything would let an all-wildcard template swallow every line of its length
        const w = words?.[i];
        if (w && w.has(tokens[i]!)) same++;
      }
    }
    return same / tpl.length;
  }

  function merge(c: Cluster, tokens: string[]): void {
    const tpl = c.tokens;
    for (let i = 0; i < tpl.length; i++) {
      const t = tpl[i]!;
      const tok = tokens[i]!;
      if (t !== WILDCARD) {
        if (t === tok) continue;
        tpl[i] = WILDCARD;
        if (opt.variantLimit <= 2 || isValueLike(t, tok)) continue;
        (c.words ??= [])[i] = new Set([t, detach(tok)]);
        continue;
      }
      const w = c.words?.[i];
      if (!w || w.has(tok)) continue;
      if (w.size + 1 >= opt.variantLimit || isValueLike(w.values().next().value ?? '', tok)) c.words![i] = null;
      else w.add(detach(tok));
    }
  }

  function evict(): void {
    // Evict a tenth at once so that the sort is amortised over many insertions.
    const all = [...live.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    const drop = Math.max(1, Math.floor(opt.maxClusters / 10));
    for (let i = 0; i < drop && i < all.length; i++) {
      const c = all[i]!;
      c.alive = false;
      live.delete(c.id);
      evicted++;
      onEvict?.(c);
    }
    for (const [key, leaf] of leaves) {
      const kept = leaf.filter((c) => c.alive);
      if (kept.length === 0) leaves.delete(key);
      else if (kept.length !== leaf.length) leaves.set(key, kept);
    }
    cache.clear();
  }

  function addTokens(tokens: string[]): Cluster {
    lines++;
    clock++;
    const shape = shapeHash(tokens);
    const entry = cache.get(shape);
    if (entry !== undefined && entry.cluster.alive && sameWords(entry.tokens, tokens)) {
      const hit = entry.cluster;
      hit.size++;
      hit.lastUsed = clock;
      return hit;
    }
    const key = leafKey(tokens);
    let leaf = leaves.get(key);
    let best: Cluster | undefined;
    let bestSim = -1;
    if (leaf) {
      for (const c of leaf) {
        const s = similarity(c, tokens);
        if (s > bestSim) {
          bestSim = s;
          best = c;
        }
      }
    }
    if (best && bestSim >= opt.similarity) {
      merge(best, tokens);
    } else {
      best = { id: nextId++, tokens: tokens.map(detach), words: undefined, size: 0, lastUsed: clock, alive: true };
      if (!leaf) leaves.set(key, (leaf = []));
      leaf.push(best);
      live.set(best.id, best);
      if (live.size > opt.maxClusters) evict();
    }
    best.size++;
    best.lastUsed = clock;
    if (best.alive) {
      if (cache.size >= opt.maxCacheEntries) cache.clear();
      cache.set(shape, { tokens: keptTokens(tokens), cluster: best });
    }
    return best;
  }

  return {
    add: (message) => addTokens(maskTokens(message)),
    addTokens,
    template: (c) => c.tokens.join(' '),
    variant: (c, tokens) => {
      if (!c.words) return '';
      let v = '';
      for (let i = 0; i < c.words.length; i++) if (c.words[i]) v += i + '=' + tokens[i] + '\u0001';
      return v;
    },
    clusters: () => [...live.values()],
    stats: () => ({ clusters: live.size, created: nextId - 1, evicted, lines }),
  };
}
