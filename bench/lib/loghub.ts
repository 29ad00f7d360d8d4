// Loads the Loghub-2k sample sets and scores grouping accuracy as their README defines it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCsv } from './csv.ts';

export interface LabelledSet {
  name: string;
  content: string[];
  eventIds: string[];
  raw: string[];
}

/** Data folder: LOGHUB_2K_DIR, else ../shared/data/loghub-2k next to the repository. */
export function loghubDir(): string {
  return process.env.LOGHUB_2K_DIR ?? resolve(import.meta.dir, '..', '..', '..', 'shared', 'data', 'loghub-2k');
}

export function loadLoghub(dir = loghubDir()): LabelledSet[] {
  if (!existsSync(dir)) {
    throw new Error(`Loghub-2k data not found at ${dir}: set LOGHUB_2K_DIR or clone the repository next to shared/`);
  }
  const sets: LabelledSet[] = [];
  for (const name of readdirSync(dir).sort()) {
    const structured = join(dir, name, `${name}_2k.log_structured.csv`);
    const rawFile = join(dir, name, `${name}_2k.log`);
    if (!existsSync(structured) || !existsSync(rawFile)) continue;
    const rows = parseCsv(readFileSync(structured, 'utf8'));
    const header = rows[0]!;
    const ci = header.indexOf('Content');
    const ei = header.indexOf('EventId');
    const body = rows.slice(1).filter((r) => r.length === header.length);
    const raw = readFileSync(rawFile, 'utf8').split('\n');
    if (raw.at(-1) === '') raw.pop();
    sets.push({ name, content: body.map((r) => r[ci]!), eventIds: body.map((r) => r[ei]!), raw });
  }
  if (sets.length === 0) throw new Error(`no Loghub-2k data sets under ${dir}`);
  return sets;
}

/**
 * Grouping accuracy: a line is correct when the lines in its predicted group are exactly the lines
 * sharing its ground-truth event id. Returns the share of correct lines.
 */
export function groupingAccuracy(predicted: ArrayLike<number | string>, truth: string[]): number {
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<number | string, number[]>();
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i]!;
    let g = groups.get(p);
    if (!g) groups.set(p, (g = []));
    g.push(i);
  }
  let correct = 0;
  for (const lines of groups.values()) {
    const t = truth[lines[0]!]!;
    if (lines.every((i) => truth[i] === t) && truthSize.get(t) === lines.length) correct += lines.length;
  }
  return correct / truth.length;
}
