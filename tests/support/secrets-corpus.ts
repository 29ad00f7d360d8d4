// The secrets corpus (tests/fixtures/secrets/corpus.jsonl) and the leak check the redaction tests share:
// a leak is any run of 8 characters of a secret found in an output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusLine } from '../fixtures/secrets/generate.ts';

export type { CorpusLine };

export const CORPUS_FILE = join(import.meta.dir, '..', 'fixtures', 'secrets', 'corpus.jsonl');

export function loadCorpus(): CorpusLine[] {
  return readFileSync(CORPUS_FILE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CorpusLine);
}

/** The corpus's secrets. */
export function corpusSecrets(corpus: CorpusLine[] = loadCorpus()): string[] {
  return corpus.flatMap((c) => (c.secret ? [c.secret] : []));
}

/** The secrets of which some 8-character run occurs in `text` (JSON escapes undone first). */
export function leaksIn(text: string, secrets: readonly string[]): string[] {
  const plain = text.includes('\\') ? text.replace(/\\(["\\/])/g, '$1') : text;
  return secrets.filter((s) => {
    for (let i = 0; i + 8 <= s.length; i++) {
      const run = s.slice(i, i + 8);
      if (text.includes(run) || plain.includes(run)) return true;
    }
    return false;
  });
}
