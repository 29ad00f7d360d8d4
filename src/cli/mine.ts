// `cli.ts mine`: one JSON object per input line, in order: {"line", "template_id", "template"}, with
// the templates as the miner holds them once every line is in (a line's group can only be told then).
// Two passes, so that memory stays bounded whatever the input's size: the first mines every line and
// keeps only its cluster number (4 bytes a line); the second reads the lines again, masks each once
// more and writes its final template. Standard input, which cannot be read twice, is copied to a
// temporary file during the first pass. Output waits for the reader (no unbounded buffering).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '../triage/fingerprint.ts';
import { MINING_CAP } from '../triage/line-guards.ts';
import { maskTokens } from '../triage/mask.ts';
import { createMiner, type Cluster } from '../triage/miner.ts';
import { learnLayout, parseWithLayout, SAMPLE_LINES, type HeaderLayout } from '../triage/header-layout.ts';

function templateText(c: Cluster, tokens: string[]): string {
  if (!c.words) return c.tokens.join(' ');
  return c.tokens.map((t, i) => (c.words![i] ? tokens[i]! : t)).join(' ');
}

/**
 * The group of every line, as a small number per line: clusters are numbered densely in order of
 * appearance and kept 2 bytes a line while there are fewer than 65,536 of them (a chunk widens to 4
 * bytes when one does not fit). Chunks, because one growing array would copy itself as it grows.
 */
class LineClusters {
  private chunks: (Uint16Array | Uint32Array)[] = [];
  private static readonly CHUNK = 1 << 20;
  private readonly dense = new Map<number, number>();
  readonly clusters: Cluster[] = [];
  length = 0;
  push(c: Cluster): void {
    let d = this.dense.get(c.id);
    if (d === undefined) {
      d = this.clusters.length;
      this.dense.set(c.id, d);
      this.clusters.push(c);
    }
    const at = this.length % LineClusters.CHUNK;
    if (at === 0) this.chunks.push(new Uint16Array(LineClusters.CHUNK));
    let chunk = this.chunks[this.chunks.length - 1]!;
    if (d > 0xffff && chunk instanceof Uint16Array) {
      chunk = Uint32Array.from(chunk);
      this.chunks[this.chunks.length - 1] = chunk;
    }
    chunk[at] = d;
    this.length++;
  }
  get(i: number): Cluster {
    return this.clusters[this.chunks[Math.floor(i / LineClusters.CHUNK)]![i % LineClusters.CHUNK]!]!;
  }
}

/** Lines between full collections: the garbage of millions of parsed lines would otherwise pile up before the collector catches it. */
const COLLECT_EVERY = 500_000;

const tokensOf = (line: string, layout: HeaderLayout) => maskTokens(parseWithLayout(line.length > MINING_CAP ? line.slice(0, MINING_CAP) : line, layout).message);

/**
 * Mines `lines` and writes one JSON line per input line. `again` reads the same lines a second time
 * (a file); without it the lines are copied to a temporary file during the first pass.
 */
export async function mine(lines: AsyncIterable<string>, write: (s: string) => void | Promise<void>, again?: () => AsyncIterable<string>): Promise<void> {
  const miner = createMiner();
  const ids = new LineClusters();
  let spool: { dir: string; file: string; writer: ReturnType<ReturnType<typeof Bun.file>['writer']> } | undefined;
  if (!again) {
    const dir = mkdtempSync(join(tmpdir(), 'cb-mine-'));
    const file = join(dir, 'lines');
    spool = { dir, file, writer: Bun.file(file).writer({ highWaterMark: 1 << 20 }) };
  }
  // the header layout is learned from the first lines, as the triage learns it for a stream
  let layout: HeaderLayout | undefined;
  const held: string[] = [];
  const take = (line: string) => {
    ids.push(miner.addTokens(tokensOf(line, layout!)));
    if (ids.length % COLLECT_EVERY === 0) Bun.gc(true);
    if (spool) {
      spool.writer.write(line);
      spool.writer.write('\n');
    }
  };
  const decide = () => {
    layout = learnLayout(held);
    for (const l of held) take(l);
    held.length = 0;
  };
  try {
    for await (const line of lines) {
      if (layout) take(line);
      else {
        held.push(line);
        if (held.length >= SAMPLE_LINES) decide();
      }
    }
    if (!layout) decide();
    if (spool) await spool.writer.end();
    // the first pass's garbage is all dead now: collecting it once keeps the heap from growing
    // across both passes (what the second pass needs is the miner and 4 bytes a line)
    Bun.gc(true);
    const second = again ? again() : readSpool(spool!.file);
    let out = '';
    let i = 0;
    for await (const line of second) {
      if (i >= ids.length) break;
      const c = ids.get(i);
      if (i > 0 && i % COLLECT_EVERY === 0) Bun.gc(true);
      const tokens = tokensOf(line, layout!);
      const variant = miner.variant(c, tokens);
      const id = variant ? `${c.id}.${fingerprint(variant).slice(0, 6)}` : String(c.id);
      i++;
      out += JSON.stringify({ line: i, template_id: id, template: templateText(c, tokens) }) + '\n';
      if (out.length > 1 << 16) {
        await write(out);
        out = '';
      }
    }
    if (out) await write(out);
  } finally {
    if (spool) rmSync(spool.dir, { recursive: true, force: true });
  }
}

async function* readSpool(file: string): AsyncGenerator<string> {
  const { readLines } = await import('./read-lines.ts');
  yield* readLines(file);
}
