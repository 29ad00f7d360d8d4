// Private keys in PEM armour are masked whole, body included, also when the block spans several log
// lines (each line of `cat key.pem` arrives as a line of its own): a line that opens a block without
// closing it puts the stream "inside" until the END line.
import { mark } from './kinds.ts';
import type { RedactionCounts } from './kinds.ts';

const LABEL = '(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?';
/** A whole block in one text (several lines, or escaped newlines in one line). */
const WHOLE = new RegExp(`-----BEGIN ${LABEL}-----[\\s\\S]*?-----END ${LABEL}-----`, 'g');
const BEGIN = new RegExp(`-----BEGIN ${LABEL}-----`);
const END = new RegExp(`-----END ${LABEL}-----`);

/** Longest block followed across lines: a key is a few dozen lines; a missing END must not mask a whole log. */
const MAX_BLOCK_LINES = 200;

export interface PemState {
  /** Lines of the open block seen so far; 0 when not inside one. */
  inside: number;
}

export function newPemState(): PemState {
  return { inside: 0 };
}

/** Masks every complete block in `text` (across its lines, or inside one line with escaped newlines). */
export function redactPemBlocks(text: string, counts: RedactionCounts): string {
  if (!text.includes('-----BEGIN')) return text;
  WHOLE.lastIndex = 0;
  return text.replace(WHOLE, () => {
    counts.private_key = (counts.private_key ?? 0) + 1;
    return mark('private_key');
  });
}

/** Masks PEM private-key material in one line, carrying an open block over to the next lines. */
export function redactPemLine(line: string, state: PemState, counts: RedactionCounts): string {
  if (state.inside > 0) {
    const end = END.exec(line);
    if (end) {
      state.inside = 0;
      // the closing marker ends the block; what follows it is ordinary text again
      return mark('private_key') + redactPemLine(line.slice(end.index + end[0].length), state, counts);
    }
    state.inside++;
    if (state.inside > MAX_BLOCK_LINES) state.inside = 0;
    return mark('private_key');
  }
  if (!line.includes('-----BEGIN')) return line;
  let out = redactPemBlocks(line, counts);
  const open = BEGIN.exec(out);
  if (open) {
    // a block opens here and does not close on this line: the rest of the line and the next lines are key
    counts.private_key = (counts.private_key ?? 0) + 1;
    state.inside = 1;
    out = out.slice(0, open.index) + mark('private_key');
  }
  return out;
}
